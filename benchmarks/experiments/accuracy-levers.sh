#!/usr/bin/env bash
# The accuracy levers of the offline encoder on the full CRAFT-IOB split (issue 14), one run each, resumable: a run
# whose metrics.json exists is skipped, a killed one continues from its checkpoint (bioner train --resume).
#
#   DATA=/path/to/CRAFT-IOB  MTL=/path/to/MTL-Bioinformatics-2016  benchmarks/experiments/accuracy-levers.sh
#
# DATA holds Crichton et al.'s train.tsv / devel.tsv / test.tsv (cambridgeltl/MTL-Bioinformatics-2016, data/CRAFT-IOB);
# MTL is only needed for the pretraining levers (the unlabelled text, build-pretrain-corpus.sh). LEVERS picks runs
# (default: all, in this order), SEEDS the seeds (default 42), OUT the folder of runs. Prints a table of dev/test F1,
# Protein/Gene test F1 and wall time at the end (also written to $OUT/levers.md). The +aug levers train on the seed's
# augmentation (the training set followed by a 20%-mention-replacement copy, terms harvested from the training set's own
# mentions) for AUG_EPOCHS epochs (default 2: the same number of optimizer steps as 4 epochs of the plain set).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BIONER=${BIONER:-"$here/../../bioner"}
DATA=${DATA:?set DATA to the CRAFT-IOB folder (train.tsv, devel.tsv, test.tsv)}
OUT=${OUT:-runs/levers}
SEEDS=${SEEDS:-42}
LEVERS=${LEVERS:-"seed lr1e-4 lr1e-4+constrained lr1e-4+crf dapt+crf"}
THREADS=${THREADS:-0}
PRETRAIN_EPOCHS=${PRETRAIN_EPOCHS:-1}
AUG_EPOCHS=${AUG_EPOCHS:-2}
mkdir -p "$OUT"
common=(--dev "$DATA/devel.tsv" --test "$DATA/test.tsv" --label-map craft-iob
        --eval-batch-size 32 --threads "$THREADS" --save-steps 1000)

# A training run: skipped when finished, resumed when killed.
train() {
  local dir=$1; shift
  if [[ -f "$dir/metrics.json" ]]; then echo "$dir: done" >&2; return; fi
  local start=$SECONDS
  if [[ -d "$dir/checkpoints" ]] && ls "$dir"/checkpoints/checkpoint-*/resume.json >/dev/null 2>&1; then
    "$BIONER" train --resume "$dir"
  else
    mkdir -p "$dir"
    "$BIONER" train "$@" --out "$dir"
  fi
  echo $((SECONDS - start + $(cat "$dir/.wall" 2>/dev/null || echo 0))) > "$dir/.wall"
}

# The domain-adapted encoder: MiniLM after continued MLM pretraining on the other corpora of MTL-Bioinformatics-2016.
pretrained() {
  local dir="$OUT/minilm-dapt"
  if [[ ! -f "$dir/metrics.json" ]]; then
    [[ -f "$OUT/pretrain-corpus.txt" ]] || MTL=${MTL:?set MTL for the pretraining levers} OUT="$OUT/pretrain-corpus.txt" "$here/build-pretrain-corpus.sh"
    if [[ -d "$dir/checkpoints" ]]; then "$BIONER" pretrain --resume "$dir" >&2
    else "$BIONER" pretrain --model minilm --train "$OUT/pretrain-corpus.txt" --out "$dir" \
           --epochs "$PRETRAIN_EPOCHS" --lr 1e-4 --warmup-ratio 0.06 --batch-size 16 --max-length 128 --whole-word-mask --threads "$THREADS" --save-steps 250 >&2
    fi
  fi
  echo "$dir"
}

# The seed's augmentation of the training set, per seed: original sentences, then one mention-replaced copy of each.
augmented() {
  local file="$OUT/train.aug-s$1.conll"
  [[ -f "$file" ]] || "$BIONER" augment --in "$DATA/train.tsv" --out "$file" --method mention-replacement --ratio 0.2 \
    --terms harvest --seed "$1" --concat >&2
  echo "$file"
}

for seed in $SEEDS; do
  for lever in $LEVERS; do
    dir="$OUT/$lever-s$seed"
    case $lever in
      seed)               train "$dir" --model minilm "${common[@]}" --train "$DATA/train.tsv" --recipe seed --seed "$seed" ;;
      lr1e-4)             train "$dir" --model minilm "${common[@]}" --train "$DATA/train.tsv" --recipe seed --lr 1e-4 --seed "$seed" ;;
      lr1e-4+constrained) train "$dir" --model minilm "${common[@]}" --train "$DATA/train.tsv" --recipe seed --lr 1e-4 --constrained-decoding --seed "$seed" ;;
      lr1e-4+crf)         train "$dir" --model minilm "${common[@]}" --train "$DATA/train.tsv" --recipe seed --lr 1e-4 --head crf --seed "$seed" ;;
      dapt+crf)           model=$(pretrained); train "$dir" --model "$model" "${common[@]}" --train "$DATA/train.tsv" --recipe seed --lr 1e-4 --head crf --seed "$seed" ;;
      lr1e-4+crf+aug)     aug=$(augmented "$seed"); train "$dir" --model minilm "${common[@]}" --train "$aug" --recipe seed --lr 1e-4 --head crf --epochs "$AUG_EPOCHS" --seed "$seed" ;;
      dapt+crf+aug)       model=$(pretrained); aug=$(augmented "$seed")
                          train "$dir" --model "$model" "${common[@]}" --train "$aug" --recipe seed --lr 1e-4 --head crf --epochs "$AUG_EPOCHS" --seed "$seed" ;;
      *) echo "unknown lever $lever" >&2; exit 2 ;;
    esac
  done
done

python3 - "$OUT" <<'EOF' | tee "$OUT/levers.md"
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
print("| run | dev F1 | test F1 | test Protein F1 | test Gene F1 | wall |")
print("|---|---|---|---|---|---|")
for m in sorted(out.glob("*/metrics.json")):
    if m.parent.name == "minilm-dapt": continue
    j = json.loads(m.read_text()); r = j.get("test_report", {})
    wall = (m.parent / ".wall").read_text().strip() if (m.parent / ".wall").exists() else "?"
    f = lambda t: f"{r[t]['f1-score']:.4f}" if t in r else "-"
    print(f"| {m.parent.name} | {j['eval_f1']:.4f} | {j.get('test_f1', float('nan')):.4f} | {f('Protein')} | {f('Gene')} | {wall} s |")
dapt = out / "minilm-dapt" / "metrics.json"
if dapt.exists():
    d = json.loads(dapt.read_text())
    print(f"\npretraining: perplexity {d['perplexity_before']:.2f} -> {d['perplexity_after']:.2f}, {d['train_seconds']:.0f} s")
EOF
