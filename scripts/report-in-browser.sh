#!/usr/bin/env bash
# Shows that the report's page works offline in a real browser: writes `grokgrid report` of the
# given sweep directories (default: sweeps/quickstart.yaml and the same sweep with another seed,
# compared side by side), loads index.html from file:// in headless Chromium with every host
# name unresolvable and a refusing proxy (so any network request would fail), and checks that the
# interactive learning curves drew their panels with no script error and no console error. Writes
# screenshots of the median view, the individual-runs view, a zoomed view and a tooltip next to the page.
#
# Usage: scripts/report-in-browser.sh [WORK_DIR [SWEEP_DIR...]]
#   WORK_DIR   where sweeps (when none are given), the report and the screenshots go
#              (default: a new temporary directory)
# Needs Debian's chromium (apt-get install -y chromium). Exit status 0 when every check passes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d)}"
shift || true
mkdir -p "$WORK"
command -v chromium >/dev/null || { echo "report-in-browser: chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

DIRS=("$@")
if [[ ${#DIRS[@]} -eq 0 ]]; then
  sed -e 's/^name: quickstart/name: quickstart-seed8/' -e 's/^seed: 7/seed: 8/' \
    "$ROOT/sweeps/quickstart.yaml" >"$WORK/quickstart-seed8.yaml"
  for spec in "$ROOT/sweeps/quickstart.yaml" "$WORK/quickstart-seed8.yaml"; do
    name="$(basename "$spec" .yaml)"
    if [[ ! -f "$WORK/$name/sweep.json" ]] || ! grep -q '"complete"' "$WORK/$name/sweep.json"; then
      echo "[report-in-browser] running $name" >&2
      "$ROOT/bin/grokgrid" run "$spec" --out "$WORK/$name" --overwrite >"$WORK/$name.log" 2>&1 \
        || { tail -5 "$WORK/$name.log" >&2; exit 1; }
    fi
    DIRS+=("$WORK/$name")
  done
fi

REPORT="$WORK/report"
"$ROOT/bin/grokgrid" report "${DIRS[@]}" --out "$REPORT" >&2
INDEX="$REPORT/index.html"

browse() { # extra chromium arguments...; the URL last
  chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/chromium-profile" \
    --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 \
    --virtual-time-budget=5000 --enable-logging=stderr --v=0 "$@"
}

fail=0
browse --dump-dom "file://$INDEX" >"$WORK/dom.html" 2>"$WORK/chromium.log" || true
root="$(grep -o '<div id="gg-explore"[^>]*>' "$WORK/dom.html" || true)"
echo "[report-in-browser] rendered: $root"
if [[ -z "$root" ]]; then echo "FAIL: no interactive section in the page" >&2; fail=1; fi
if grep -q 'data-error' <<<"$root"; then echo "FAIL: script error: $root" >&2; fail=1; fi
if ! grep -Eq 'data-panels="[1-9][0-9]*"' <<<"$root"; then echo "FAIL: no panel drawn" >&2; fail=1; fi
if ! grep -Eq 'data-ink="[1-9][0-9]{3,}"' <<<"$root"; then echo "FAIL: a panel is (nearly) blank" >&2; fail=1; fi
canvases="$(grep -o '<canvas' "$WORK/dom.html" | wc -l)"
echo "[report-in-browser] canvases: $canvases"
if grep -E 'Uncaught|:ERROR:CONSOLE|CONSOLE.*[Ee]rror' "$WORK/chromium.log"; then
  echo "FAIL: console errors (see $WORK/chromium.log)" >&2; fail=1
fi
if grep -Eo '(src|href)="[a-z]+://[^"]*"' "$INDEX"; then
  echo "FAIL: the page references the network" >&2; fail=1
fi

for view in "band:mode=band" "runs:mode=runs" "zoomed:mode=band&from=1&to=2.5" "hover:mode=band&tip"; do
  name="${view%%:*}"
  browse --window-size=1300,1500 --screenshot="$REPORT/explore-$name.png" \
    "file://$INDEX#explore&${view#*:}" 2>>"$WORK/chromium.log" >/dev/null || true
  [[ -s "$REPORT/explore-$name.png" ]] && echo "[report-in-browser] screenshot: $REPORT/explore-$name.png"
done
[[ $fail -eq 0 ]] && echo "[report-in-browser] OK: $INDEX renders offline"
exit $fail
