#!/usr/bin/env bash
# The best recipe measured for the built-in, offline MiniLM on CRAFT (issue 14; benchmarks/RESULTS.md, "Accuracy of the
# offline encoder: every lever"): no internet, no GPU, under two hours on 2 cores. On the full CRAFT-IOB split, seed 42:
# steps 3–4 alone give dev/test F1 0.8335/0.7792, PRETRAIN=1 0.8389/0.7838, PRETRAIN=1 AUG=1 0.8312/0.7931 (the best test).
#
#   1. (PRETRAIN=1) continued masked-LM pretraining of MiniLM on 3.4 M words of PubMed/PMC sentences from the other
#      corpora of cambridgeltl/MTL-Bioinformatics-2016 (CRAFT excluded; build-pretrain-corpus.sh);
#   2. (AUG=1) the seed's augmentation: the training set followed by a 20%-mention-replacement copy (terms harvested
#      from the training set's own mentions), fine-tuned for 2 epochs instead of 4 (the same number of steps);
#   3. fine-tuning with the small-encoder recipe: lr 1e-4 and a CRF head (what `bioner train --model minilm` does);
#   4. scoring the kept model on the test split.
#
#   DATA=/path/to/CRAFT-IOB samples/recipes/offline-minilm.sh                     # steps 3–4
#   DATA=/path/to/CRAFT-IOB PRETRAIN=1 MTL=/path/to/MTL-Bioinformatics-2016 samples/recipes/offline-minilm.sh
#
# Without DATA it runs on the bundled sample (minutes). Every step is resumable: run the script again after a kill.
# MODEL replaces the built-in minilm (a folder or hub id), TRAIN_ARGS adds flags to `bioner train`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BIONER=${BIONER:-"$here/../../bioner"}
OUT=${OUT:-runs/offline-minilm}
THREADS=${THREADS:-0}
mkdir -p "$OUT"
if [[ -n "${DATA:-}" ]]; then
  train="$DATA/train.tsv"; data=(--dev "$DATA/devel.tsv" --test "$DATA/test.tsv" --label-map craft-iob)
else
  train="$here/../craft-sample/train.conll"; data=(--dev "$here/../craft-sample/dev.conll")
fi
epochs=()
if [[ "${AUG:-0}" == 1 ]]; then
  aug="$OUT/train.aug.conll"
  [[ -f "$aug" ]] || "$BIONER" augment --in "$train" --out "$aug" --method mention-replacement --ratio 0.2 --terms harvest --seed 42 --concat
  train=$aug; epochs=(--epochs 2)
fi

model=${MODEL:-minilm}
if [[ "${PRETRAIN:-0}" == 1 ]]; then
  base=$model; model="$OUT/minilm-pubmed"
  if [[ ! -f "$model/metrics.json" ]]; then
    [[ -f "$OUT/pretrain-corpus.txt" ]] || MTL=${MTL:?PRETRAIN=1 needs MTL} OUT="$OUT/pretrain-corpus.txt" "$here/../../benchmarks/experiments/build-pretrain-corpus.sh"
    if [[ -d "$model/checkpoints" ]]; then "$BIONER" pretrain --resume "$model"
    else "$BIONER" pretrain --model "$base" --train "$OUT/pretrain-corpus.txt" --out "$model" --epochs "${PRETRAIN_EPOCHS:-1}" \
           --lr 1e-4 --warmup-ratio 0.06 --batch-size 16 --max-length 128 --whole-word-mask --threads "$THREADS" --save-steps 250
    fi
  fi
fi

ner="$OUT/ner"
if [[ -f "$ner/metrics.json" ]]; then echo "$ner: done"
elif [[ -d "$ner/checkpoints" ]]; then "$BIONER" train --resume "$ner"
else "$BIONER" train --model "$model" --recipe small-encoder --train "$train" "${data[@]}" ${epochs[@]+"${epochs[@]}"} --out "$ner" --eval-batch-size 32 --threads "$THREADS" --save-steps 1000 ${TRAIN_ARGS:-}
fi
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print('dev F1 %.4f' % m['eval_f1'] + ('; test F1 %.4f' % m['test_f1'] if 'test_f1' in m else ''))" "$ner/metrics.json"
