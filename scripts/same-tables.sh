#!/usr/bin/env bash
# Shows that a change altered no number the tool writes: runs sweeps/quickstart.yaml and the small
# specs beside this script (gaussian-mixture, ridge in both forms, modular-addition,
# univariate-regression by GD and by the min-norm solver) with the code at OLD_REV and with this
# working tree, then compares every table (runs, curves, grokking, overfitting_cost) row for row
# with Spark SQL's EXCEPT ALL both ways, over the columns the tables had at OLD_REV (a column added
# since, such as a new metric, is new information, not a changed number: the script names them).
# Only runs.wall_ms (a timing) is left out.
#
# Usage: scripts/same-tables.sh OLD_REV [WORK_DIR]
#   OLD_REV   a commit, e.g. the one before a refactor
#   WORK_DIR  where the old checkout and the sweep outputs go (default: a new temporary directory)
# Exit status 0 when every table of every sweep is equal, 1 otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OLD_REV="${1:?usage: scripts/same-tables.sh OLD_REV [WORK_DIR]}"
WORK="${2:-$(mktemp -d)}"
SPECS=("$ROOT"/scripts/same-tables/*.yaml "$ROOT"/sweeps/quickstart.yaml)
export GROKGRID_CDS=0

if [[ ! -d "$WORK/old" ]]; then
  git -C "$ROOT" worktree add --detach "$WORK/old" "$OLD_REV" >/dev/null
fi
run_all() { # launcher root, output dir
  local spec name
  for spec in "${SPECS[@]}"; do
    name="$(basename "$spec" .yaml)"
    [[ -f "$2/$name/sweep.json" ]] && grep -q '"complete"' "$2/$name/sweep.json" && continue
    echo "[same-tables] $(basename "$1"): $name" >&2
    "$1/bin/grokgrid" run "$spec" --out "$2/$name" --master 'local[2]' --overwrite >"$2/$name.log" 2>&1 \
      || { tail -5 "$2/$name.log" >&2; exit 1; }
  done
}
mkdir -p "$WORK/before" "$WORK/after"
run_all "$WORK/old" "$WORK/before"
run_all "$ROOT" "$WORK/after"

status=0
for spec in "${SPECS[@]}"; do
  name="$(basename "$spec" .yaml)"
  a="$WORK/before/$name"
  b="$WORK/after/$name"
  query=""
  for t in runs curves grokking overfitting_cost; do
    # the old table's columns, but the timing wall_ms
    before_cols="$("$ROOT/bin/grokgrid" sql "$a" "SELECT * FROM parquet.\`$a/$t\` LIMIT 0" --format csv 2>/dev/null \
      | head -1 | tr -d '\r' | tr ',' '\n')"
    after_cols="$("$ROOT/bin/grokgrid" sql "$b" "SELECT * FROM parquet.\`$b/$t\` LIMIT 0" --format csv 2>/dev/null \
      | head -1 | tr -d '\r' | tr ',' '\n')"
    added="$(comm -13 <(sort <<<"$before_cols") <(sort <<<"$after_cols") | paste -sd' ' -)"
    [[ -n "$added" ]] && echo "[same-tables] $name/$t: columns added since $OLD_REV (not compared): $added" >&2
    cols="$(grep -vx 'wall_ms' <<<"$before_cols" | sed 's/.*/`&`/' | paste -sd, -)"
    sel_a="SELECT $cols FROM parquet.\`$a/$t\`"
    sel_b="SELECT $cols FROM parquet.\`$b/$t\`"
    query+="${query:+ UNION ALL }SELECT '$t' AS tbl, (SELECT count(*) FROM parquet.\`$a/$t\`) AS rows_before,"
    query+=" (SELECT count(*) FROM parquet.\`$b/$t\`) AS rows_after,"
    query+=" (SELECT count(*) FROM ($sel_a EXCEPT ALL $sel_b)) AS only_before,"
    query+=" (SELECT count(*) FROM ($sel_b EXCEPT ALL $sel_a)) AS only_after"
  done
  out="$("$ROOT/bin/grokgrid" sql "$a" "$query" --format csv 2>"$WORK/$name.sql.err")" || { cat "$WORK/$name.sql.err" >&2; exit 2; }
  echo "== $name"
  echo "$out"
  if echo "$out" | tr -d '\r' | tail -n +2 | awk -F, '$4 != 0 || $5 != 0 || $2 != $3 { bad = 1 } END { exit bad }'; then :; else status=1; fi
done
echo "[same-tables] before: $OLD_REV, after: working tree of $(git -C "$ROOT" rev-parse --short HEAD); outputs under $WORK" >&2
exit $status
