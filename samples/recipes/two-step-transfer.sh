#!/usr/bin/env bash
# two-step-transfer.sh — the workflow behind roberta-base-biomedical-clinical-es-finetuned-ner-CRAFT_AugmentedTransfer_ES
# as one runnable recipe (docs/two-step-transfer.md explains every step):
#   1. augment the English training set with 20% mention replacement, original + copies (--concat)
#   2. machine-translate the augmented train set and dev en -> es, projecting the entity labels with markers
#      (Apertium's word-bound blanks when Apertium is installed); alignment, then piece-by-piece translation, for
#      the sentences the markers lost
#   3. stage 1: fine-tune MODEL on English augmented + Spanish train, dev = English dev
#   4. stage 2: fine-tune the stage-1 model on the Spanish data alone, dev = Spanish dev
# Every evaluation of a stage also scores the other sets (`--eval-also`): stage 1 the Spanish dev set, stage 2 the
# English dev set, both the English test set when there is one, so each stage's card has a per-epoch table for each.
# The final model card (OUT/stage2/README.md) records both stages, with those tables, under "Training lineage".
#
# Parameters (environment variables; defaults run on the bundled CRAFT sample in minutes on a laptop):
#   MODEL       base model: folder, hub id (PlanTL-GOB-ES/roberta-base-biomedical-clinical-es) or built-in  [minilm]
#   DATA        folder with train.conll and dev.conll (six-tag IOB2)                            [samples/craft-sample]
#   TERMS       term sources for mention replacement, space-separated (folder of TAG.txt, TAG=file.obo, harvest)
#                                                                                                       [$DATA/terms]
#   MT_BACKEND  `bioner translate --backend` SPEC        [apertium when `apertium -l` lists eng-spa, else the glossary below]
#   MT_COMMAND  offline MT program, used as --backend command:... ({source}/{target} are substituted; overrides MT_BACKEND)
#               [fallback only: bash samples/recipes/mt-glossary.sh {source} {target}, a glossary STAND-IN, not a translator]
#   TEST        optional English test set scored by both stages at every evaluation     [$DATA/test.conll if it exists]
#   OUT         output folder                                                                   [runs/two-step-transfer]
#   EPOCHS      epochs of each stage (overrides stage1.json / stage2.json)                                           [4]
#   SEED        seed of augmentation and of both stages                                                            [42]
#   RATIO       mention-replacement probability                                                                   [0.2]
#   MT_BATCH    sentences per MT program call                                                                      [256]
#   TRANSLATE_ARGS  extra `bioner translate` flags, e.g. "--timeout 600" for a slow real engine                  []
#   TRAIN_ARGS  extra `bioner train` flags for both stages (not --epochs/--seed), e.g. "--max-steps 20 --threads 2" []
#   BIONER      how to run the CLI                                                              [./bioner of this checkout]
#   FRESH       1 = redo every step; otherwise a rerun into the same OUT skips the steps whose outputs are complete and
#               resumes a stage that was killed from its last checkpoint (`bioner train --resume`)                    []
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
MODEL="${MODEL:-minilm}"
DATA="${DATA:-$root/samples/craft-sample}"
if [[ -n "${TERMS:-}" ]]; then read -r -a terms <<<"$TERMS"; else terms=("$DATA/terms"); fi
glossary="bash '$here/mt-glossary.sh' {source} {target}"   # (a literal '}' cannot sit inside ${VAR:-...})
if [[ -n "${MT_COMMAND:-}" ]]; then
  MT_BACKEND="command:$MT_COMMAND"
elif [[ -z "${MT_BACKEND:-}" ]]; then
  if command -v apertium >/dev/null && apertium -l 2>/dev/null | grep -x '[[:space:]]*eng-spa' >/dev/null; then   # (no grep -q: pipefail)
    MT_BACKEND=apertium
  else
    MT_BACKEND="command:$glossary"
    echo "two-step-transfer.sh: Apertium (eng-spa) not installed, using the glossary STAND-IN (not a translator);" \
      "for a real translation: apt-get install apertium apertium-eng-spa" >&2
  fi
fi
TEST="${TEST:-$([[ -f "$DATA/test.conll" ]] && echo "$DATA/test.conll" || true)}"
OUT="${OUT:-runs/two-step-transfer}"
EPOCHS="${EPOCHS:-4}"
SEED="${SEED:-42}"
RATIO="${RATIO:-0.2}"
MT_BATCH="${MT_BATCH:-256}"
TRANSLATE_ARGS="${TRANSLATE_ARGS:-}"
TRAIN_ARGS="${TRAIN_ARGS:-}"
if [[ -n "${BIONER:-}" ]]; then read -r -a bioner <<<"$BIONER"; else bioner=("$root/bioner"); fi
read -r -a translate_args <<<"$TRANSLATE_ARGS"
read -r -a train_args <<<"$TRAIN_ARGS"
test_args=()
if [[ -n "$TEST" ]]; then test_args=(--test "$TEST" --eval-also "en-test=$TEST"); fi

step() { printf '\n=== %s === (%s)\n' "$*" "$(date -u +%FT%TZ)"; }
fresh() { [[ "${FRESH:-}" == 1 ]]; }
done_file() { ! fresh && [[ -s "$1" ]]; }                                   # a step's output is there: skip the step
stage_done() { ! fresh && [[ -f "$1/metrics.json" && -f "$1/model.safetensors" ]]; }
resumable() { ! fresh && compgen -G "$1/checkpoints/checkpoint-*/resume.json" >/dev/null; }
# train_stage DIR ARGS...: a finished stage is kept, a killed one resumes from its last checkpoint, else it starts.
train_stage() {
  local dir="$1"; shift
  if stage_done "$dir"; then echo "$dir is complete (metrics.json): kept (FRESH=1 retrains)"; return; fi
  if resumable "$dir"; then
    echo "$dir has a checkpoint: resuming it"
    "${bioner[@]}" train --resume "$dir"
    return
  fi
  "${bioner[@]}" train "$@" --out "$dir"
}
mkdir -p "$OUT"

step "1/4 augment: $RATIO mention replacement of $DATA/train.conll (original + copies)"
if done_file "$OUT/train.aug.conll"; then echo "$OUT/train.aug.conll exists: kept"; else
"${bioner[@]}" augment --in "$DATA/train.conll" --out "$OUT/train.aug.conll" --method mention-replacement \
  --ratio "$RATIO" --terms "${terms[@]}" --seed "$SEED" --concat
fi

step "2/4 translate the augmented train set and dev en -> es with $MT_BACKEND"
for pair in "$OUT/train.aug.conll:$OUT/train.es.conll" "$DATA/dev.conll:$OUT/dev.es.conll"; do
  if done_file "${pair#*:}"; then echo "${pair#*:} exists: kept"; continue; fi
  "${bioner[@]}" translate --in "${pair%%:*}" --out "${pair#*:}" --source en --target es \
    --backend "$MT_BACKEND" --projection markers+align+segments --batch "$MT_BATCH" ${translate_args[@]+"${translate_args[@]}"}
done

step "3/4 stage 1: $MODEL on English augmented + Spanish train (dev: English)"
train_stage "$OUT/stage1" --model "$MODEL" --train "$OUT/train.aug.conll" --train "$OUT/train.es.conll" --dev "$DATA/dev.conll" \
  --eval-also "es-dev=$OUT/dev.es.conll" --config "$here/stage1.json" --epochs "$EPOCHS" --seed "$SEED" ${test_args[@]+"${test_args[@]}"} \
  ${train_args[@]+"${train_args[@]}"}

step "4/4 stage 2: the stage-1 model on Spanish train (dev: Spanish)"
train_stage "$OUT/stage2" --model "$OUT/stage1" --train "$OUT/train.es.conll" --dev "$OUT/dev.es.conll" \
  --eval-also "en-dev=$DATA/dev.conll" --config "$here/stage2.json" --epochs "$EPOCHS" --seed "$SEED" ${test_args[@]+"${test_args[@]}"} \
  ${train_args[@]+"${train_args[@]}"}

step "final model $OUT/stage2 — training lineage from its model card"
sed -n '/^## Training lineage/,/^## Training speed/{/^## Training speed/d;p}' "$OUT/stage2/README.md"
