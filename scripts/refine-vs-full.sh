#!/usr/bin/env bash
# Runs a refined sweep spec and the full grid of its finest resolution, one after the other, and
# compares the two phase maps with analysis/sql/refine_agreement.sql: the share of the full grid's
# points where the refined map gives the full grid's majority phase, and the share of its runs
# the refined sweep took; prints both sweeps' wall times.
#
# Usage: scripts/refine-vs-full.sh [SPEC] [WORK_DIR]
#   SPEC      a refined spec whose ranges and refine block are one line each
#             (default: sweeps/ridge-phase-refined.yaml; axes step_size x weight_decay for the query)
#   WORK_DIR  where the full spec and both outputs go (default: results/refine-vs-full)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="${1:-$ROOT/sweeps/ridge-phase-refined.yaml}"
WORK="${2:-$ROOT/results/refine-vs-full}"
GROKGRID="${GROKGRID:-$ROOT/bin/grokgrid}"   # the launcher to use (default: this tree's)
mkdir -p "$WORK"
NAME="$(basename "$SPEC" .yaml)"
FULL="$WORK/$NAME-full.yaml"

# the full grid: every refined range at its finest points ((points - 1) * 2^levels + 1), no refine block
awk '
  /^refine:/ { match($0, /levels: *[0-9]+/); levels = substr($0, RSTART + 8, RLENGTH - 8) + 0;
               match($0, /axes: *\[[^]]*\]/); axes = substr($0, RSTART, RLENGTH) }
  { lines[NR] = $0 }
  END {
    for (n = 1; n <= NR; n++) {
      l = lines[n]
      if (l ~ /^refine:/) continue
      if (l ~ /^name:/) { sub(/$/, "-full", l) }
      if (match(l, /^ +[a-z_]+: *\{.*points: *[0-9]+/)) {
        key = l; sub(/^ +/, "", key); sub(/:.*/, "", key)
        if (index(axes, key) > 0) {
          match(l, /points: *[0-9]+/); p = substr(l, RSTART + 8, RLENGTH - 8) + 0
          sub(/points: *[0-9]+/, "points: " ((p - 1) * 2 ^ levels + 1), l)
        }
      }
      print l
    }
  }' "$SPEC" > "$FULL"

run() { # spec, out
  local start end
  start=$(date +%s)
  nice -n 10 "$GROKGRID" run "$1" --out "$2" --overwrite > "$2.log" 2>&1 || { tail -5 "$2.log" >&2; exit 1; }
  end=$(date +%s)
  echo "$(basename "$1" .yaml): $(grep '^wrote' "$2.log"); wall $((end - start)) s (launcher included)"
}
run "$SPEC" "$WORK/refined"
run "$FULL" "$WORK/full"
nice -n 10 "$GROKGRID" sql "$WORK/full" "$WORK/refined" --file "$ROOT/analysis/sql/refine_agreement.sql" --format table
