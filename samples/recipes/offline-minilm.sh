#!/usr/bin/env bash
# The best recipe measured for the built-in, offline MiniLM on CRAFT (issue 14; benchmarks/RESULTS.md, "CRF head and
# masked-LM pretraining"): no internet, no GPU, a few hours on 2 cores.
#
#   1. (PRETRAIN=1) continued masked-LM pretraining of MiniLM on 3.4 M words of PubMed/PMC sentences from the other
#      corpora of cambridgeltl/MTL-Bioinformatics-2016 (CRAFT excluded; build-pretrain-corpus.sh);
#   2. fine-tuning with the small-encoder recipe: lr 1e-4 and a CRF head (what `bioner train --model minilm` does);
#   3. scoring the kept model on the test split.
#
#   DATA=/path/to/CRAFT-IOB samples/recipes/offline-minilm.sh                     # steps 2–3
#   DATA=/path/to/CRAFT-IOB PRETRAIN=1 MTL=/path/to/MTL-Bioinformatics-2016 samples/recipes/offline-minilm.sh
#
# Without DATA it runs on the bundled sample (minutes). Every step is resumable: run the script again after a kill.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BIONER=${BIONER:-"$here/../../bioner"}
OUT=${OUT:-runs/offline-minilm}
THREADS=${THREADS:-0}
mkdir -p "$OUT"
if [[ -n "${DATA:-}" ]]; then
  data=(--train "$DATA/train.tsv" --dev "$DATA/devel.tsv" --test "$DATA/test.tsv" --label-map craft-iob)
else
  data=(--train "$here/../craft-sample/train.conll" --dev "$here/../craft-sample/dev.conll")
fi

model=minilm
if [[ "${PRETRAIN:-0}" == 1 ]]; then
  model="$OUT/minilm-pubmed"
  if [[ ! -f "$model/metrics.json" ]]; then
    [[ -f "$OUT/pretrain-corpus.txt" ]] || MTL=${MTL:?PRETRAIN=1 needs MTL} OUT="$OUT/pretrain-corpus.txt" "$here/../../benchmarks/experiments/build-pretrain-corpus.sh"
    if [[ -d "$model/checkpoints" ]]; then "$BIONER" pretrain --resume "$model"
    else "$BIONER" pretrain --model minilm --train "$OUT/pretrain-corpus.txt" --out "$model" --epochs "${PRETRAIN_EPOCHS:-1}" \
           --lr 1e-4 --warmup-ratio 0.06 --batch-size 16 --max-length 128 --whole-word-mask --threads "$THREADS" --save-steps 250
    fi
  fi
fi

ner="$OUT/ner"
if [[ -f "$ner/metrics.json" ]]; then echo "$ner: done"
elif [[ -d "$ner/checkpoints" ]]; then "$BIONER" train --resume "$ner"
else "$BIONER" train --model "$model" --recipe small-encoder "${data[@]}" --out "$ner" --eval-batch-size 32 --threads "$THREADS" --save-steps 1000
fi
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print('dev F1 %.4f' % m['eval_f1'] + ('; test F1 %.4f' % m['test_f1'] if 'test_f1' in m else ''))" "$ner/metrics.json"
