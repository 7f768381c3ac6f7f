#!/usr/bin/env bash
# Times Xu et al. Figure 1 (right) on R runs, in one session: the batched PyTorch dual form
# (scripts/pytorch/fig1_right.py) on 1 and on 2 threads and as two 1-thread processes with half
# the runs each, and grokgrid (bin/grokgrid run on a copy of sweeps/xor-fig1-right.yaml with
# replicates: R, local[*]). docs/performance-pytorch.md
# has the numbers and what they mean.
#
# Usage: scripts/pytorch/compare.sh [R] [WORK_DIR]     (R default 8, WORK_DIR default /tmp/torch-cmp)
# Installs nothing. Needs Debian's PyTorch under Debian's Python and Debian's OpenBLAS:
#   sudo apt-get install -y python3-torch libopenblas0-openmp   (Debian 12: torch 1.13.1, OpenBLAS 0.3.21)
# Debian's torch calls whatever libblas.so.3 the system's alternatives select; by default that is
# the reference BLAS (~2 GFLOP/s, 20x slower). This script does not rely on the alternatives: it
# puts OpenBLAS's directory first on LD_LIBRARY_PATH for the PyTorch runs only, and lets OpenBLAS
# choose its kernels (it unsets OPENBLAS_CORETYPE; set TORCH_OPENBLAS_CORETYPE to force one). If
# the caller's environment sets OPENBLAS_CORETYPE (some machines set Haswell for every process),
# one more 1-thread run keeps it, for comparison. grokgrid runs with the caller's environment.
# Prints `uptime` before each timing: time on an otherwise idle machine (load well under 1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
R="${1:-8}"
WORK="${2:-/tmp/torch-cmp}"
PY=/usr/bin/python3
OPENBLAS_DIR="${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}"

if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: PyTorch is not importable by $PY; install Debian's package: sudo apt-get install -y python3-torch" >&2
  exit 2
fi
if [[ ! -e "$OPENBLAS_DIR/libblas.so.3" ]]; then
  echo "compare.sh: no OpenBLAS in $OPENBLAS_DIR (torch would run on the reference BLAS); install it: sudo apt-get install -y libopenblas0-openmp" >&2
  exit 2
fi
CORE="${TORCH_OPENBLAS_CORETYPE:-}"
torch_run() { # THREADS CORETYPE (empty: OpenBLAS's own choice) RUNS SEED [CSV]
  echo "# load before pytorch threads=$1 openblas_coretype=${2:-own-choice} runs=$3 seed=$4: $(uptime)"
  env -u OPENBLAS_CORETYPE LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    ${2:+OPENBLAS_CORETYPE=$2} "$PY" "$ROOT/scripts/pytorch/fig1_right.py" --runs "$3" --threads "$1" \
    --seed "$4" ${5:+--out "$5"}
}
mkdir -p "$WORK"
rm -rf "$WORK/out"

# grokgrid builds itself on first use: do it before any timing
"$ROOT/bin/grokgrid" validate "$ROOT/sweeps/xor-fig1-right.yaml" >/dev/null

echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), torch $("$PY" -c 'import torch; print(torch.__version__)')"
torch_run 1 "$CORE" "$R" 7 "$WORK/pytorch-R$R-T1.csv"
torch_run 2 "$CORE" "$R" 7 "$WORK/pytorch-R$R-T2.csv"
# one 1-thread process per core, half the runs each (other seeds for the second half)
echo "# two processes, $((R / 2)) runs each: wall of both below"
start=$(date +%s.%N)
torch_run 1 "$CORE" $((R / 2)) 7 &
torch_run 1 "$CORE" $((R - R / 2)) 8 &
wait
end=$(date +%s.%N)
echo "{\"case\":\"fig1-right-pytorch-2-processes\",\"runs\":$R,\"wall_s\":$(awk "BEGIN{printf \"%.1f\", $end - $start}"),\"note\":\"python start-up included\"}"
if [[ -n "${OPENBLAS_CORETYPE:-}" && -z "$CORE" ]]; then
  torch_run 1 "$OPENBLAS_CORETYPE" "$R" 7
fi

sed -e "s/^name: .*/name: xor-fig1-right-r$R/" -e "s/^replicates: .*/replicates: $R/" \
  "$ROOT/sweeps/xor-fig1-right.yaml" >"$WORK/fig1-$R.yaml"
echo "# load before grokgrid: $(uptime)"
start=$(date +%s.%N)
"$ROOT/bin/grokgrid" run "$WORK/fig1-$R.yaml" --out "$WORK/out" 2>"$WORK/grokgrid-run.log"
end=$(date +%s.%N)
echo "{\"case\":\"fig1-right-grokgrid\",\"runs\":$R,\"master\":\"local[*]\",\"cores\":$(nproc),\"wall_s\":$(awk "BEGIN{printf \"%.1f\", $end - $start}"),\"note\":\"wall of bin/grokgrid run, JVM and Spark start-up included\"}"

# the same medians as fig1_right.py prints, from grokgrid's curves (not timed)
"$ROOT/bin/grokgrid" sql "$WORK/out" "
  SELECT min(CASE WHEN med_train >= 1.0 THEN step END) AS first_step_median_train_acc_1,
         min(CASE WHEN med_test >= 0.95 THEN step END) AS first_step_median_test_acc_ge_95
  FROM (SELECT step, percentile(train_acc, 0.5) AS med_train, percentile(test_acc, 0.5) AS med_test
        FROM curves GROUP BY step)" --format json
