#!/usr/bin/env bash
# Augmentation experiment: dev F1 of the built-in minilm encoder (reference recipe: lr 3e-5, batch 8, 4 epochs,
# linear schedule, best epoch by dev F1 kept) trained on the CRAFT sample with and without 20% mention replacement.
#
# For each seed S:
#   baseline  = bioner train --train train.conll --seed S
#   augmented = bioner augment --method mention-replacement --ratio 0.2 --seed S --concat  (original + 1 copy each)
#               bioner train --train <that file> --seed S
# Runs one after another (the machine is shared), 2 libtorch threads each. Outputs go to $OUT (default
# runs/augexp, git-ignored): one folder per run with metrics.json/README.md, train/augment logs, and times.tsv.
# Afterwards `benchmarks/experiments/augmentation.sh summary` prints the Markdown tables used in RESULTS.md.
#
# Control (optional, `augmentation.sh control`): for each seed, train on train.conll repeated twice (`FILE:2`): the
# same 720 sentences / 360 optimizer steps as the augmented run, with no mention replaced. It separates the effect of
# the replaced mentions from the effect of twice as many updates (the augmented file keeps unchanged copies).
#
# Usage (from the repository root):
#   benchmarks/experiments/augmentation.sh            # seeds 42 43 44
#   SEEDS="42 43" benchmarks/experiments/augmentation.sh
#   benchmarks/experiments/augmentation.sh summary
#   SEEDS="42 43" benchmarks/experiments/augmentation.sh control
# Reproducibility check quoted in RESULTS.md (same seed and threads give bit-identical scores whatever the load):
#   ./bioner train --train samples/craft-sample/train.conll --dev samples/craft-sample/dev.conll \
#     --out runs/augexp/repro-baseline-42 --seed 42 --threads 2   # then compare metrics.json with baseline-42
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT="${OUT:-runs/augexp}"
SEEDS="${SEEDS:-42 43 44}"
THREADS="${THREADS:-2}"
DATA=samples/craft-sample

# Runs "$@" (a bioner command) with its output in $log, and appends "name<TAB>seconds<TAB>exit code<TAB>1-minute
# load average at start<TAB>at end" to times.tsv (the machine is shared: the load explains most of the wall time).
timed() {
  local name="$1" log="$2"; shift 2
  local start end rc=0 load0
  start=$(date +%s); load0=$(cut -d' ' -f1 /proc/loadavg)
  ./bioner "$@" >"$log" 2>&1 || rc=$?
  end=$(date +%s)
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$((end - start))" "$rc" "$load0" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/times.tsv"
  if [ "$rc" -ne 0 ]; then echo "FAILED ($rc): $name, see $log" >&2; tail -20 "$log" >&2; fi
  return "$rc"
}

run_seed() {
  local s="$1"
  echo "== seed $s: baseline"
  timed "baseline-$s" "$OUT/baseline-$s.log" train --train "$DATA/train.conll" --dev "$DATA/dev.conll" \
    --out "$OUT/baseline-$s" --seed "$s" --threads "$THREADS"
  echo "== seed $s: augment"
  timed "augment-$s" "$OUT/augment-$s.log" augment --in "$DATA/train.conll" --out "$OUT/train-mr-$s.conll" \
    --method mention-replacement --ratio 0.2 --terms "$DATA/terms" --seed "$s" --concat
  echo "== seed $s: augmented"
  timed "augmented-$s" "$OUT/augmented-$s.log" train --train "$OUT/train-mr-$s.conll" --dev "$DATA/dev.conll" \
    --out "$OUT/augmented-$s" --seed "$s" --threads "$THREADS"
}

run_control() {
  local s="$1"
  echo "== seed $s: duplicated (control)"
  timed "duplicated-$s" "$OUT/duplicated-$s.log" train --train "$DATA/train.conll:2" --dev "$DATA/dev.conll" \
    --out "$OUT/duplicated-$s" --seed "$s" --threads "$THREADS"
}

summary() {
  python3 "$(dirname "${BASH_SOURCE[0]}")/augmentation_summary.py" "$OUT" $SEEDS
}

mode="${1:-run}"
if [ "$mode" = summary ]; then summary; exit 0; fi
./bioner --help >/dev/null  # build once before timing anything
mkdir -p "$OUT"
for s in $SEEDS; do
  if [ "$mode" = control ]; then run_control "$s"; else run_seed "$s"; fi
done
summary
