#!/usr/bin/env bash
# mt-glossary.sh — a STAND-IN machine-translation engine for `bioner translate --backend command:...`.
#
# It "translates" English to Spanish word by word with a small biomedical glossary (sed, whole words, case-sensitive),
# so the two-step transfer recipe runs end to end offline in seconds. It is NOT a translator: word order, agreement
# and most of the vocabulary stay English. The recipe uses it only as a FALLBACK, when Apertium is not installed
# (apt-get install apertium apertium-eng-spa; then --backend apertium is the default). Other real offline engines:
#   MT_COMMAND='python3 argos-mt.py {source} {target}'                     (Argos Translate, see docs/translate.md)
#   MT_COMMAND='bash marian-mt.sh'                                         (marian-decoder + SentencePiece, see docs/two-step-transfer.md)
# which the recipe passes on as:  bioner translate ... --backend "command:$MT_COMMAND"
#
# Contract of a command backend: one text per line on stdin, exactly one line per input line on stdout, exit 0.
# Entity markers such as `[Protein| KCNJ10 ]` must come back intact: the glossary only rewrites lowercase words and a
# few capitalised function words, never the type names inside markers (Cell, Chemical, Gene, Protein, Sequence, Taxon).
#
# Usage: bash mt-glossary.sh [SOURCE TARGET]   (only en -> es; the recipe passes {source} {target})
set -euo pipefail
src="${1:-en}" tgt="${2:-es}"
if [[ "$src" != en || "$tgt" != es ]]; then
  echo "mt-glossary.sh: only en -> es is known (got $src -> $tgt)" >&2
  exit 1
fi
export LC_ALL=C.UTF-8
# Rules run in order: phrases before their words; no Spanish output is itself an English key ("to" -> "a" runs after
# "a" -> "un").
exec sed -E \
  -e 's/\bwild type\b/tipo salvaje/g' -e 's/\bgene expression\b/expresión génica/g' \
  -e 's/\btranscription factors?\b/factor de transcripción/g' -e 's/\bneural crest\b/cresta neural/g' \
  -e 's/\bmutant mice\b/ratones mutantes/g' -e 's/\bcell lines\b/líneas celulares/g' \
  -e 's/\bThe\b/El/g' -e 's/\bthe\b/el/g' -e 's/\bIn\b/En/g' -e 's/\bin\b/en/g' -e 's/\bThis\b/Este/g' -e 's/\bthis\b/este/g' \
  -e 's/\bThese\b/Estos/g' -e 's/\bthese\b/estos/g' -e 's/\bWe\b/Nosotros/g' -e 's/\bwe\b/nosotros/g' \
  -e 's/\ban?\b/un/g' -e 's/\bto\b/a/g' -e 's/\bof\b/de/g' -e 's/\bfrom\b/de/g' -e 's/\band\b/y/g' -e 's/\bor\b/o/g' \
  -e 's/\bis\b/es/g' -e 's/\bare\b/son/g' -e 's/\bwas\b/fue/g' -e 's/\bwere\b/fueron/g' -e 's/\bbeen\b/sido/g' \
  -e 's/\bbe\b/ser/g' -e 's/\bhave\b/han/g' -e 's/\bhas\b/ha/g' -e 's/\bnot\b/no/g' -e 's/\bbut\b/pero/g' \
  -e 's/\bthat\b/que/g' -e 's/\bwhich\b/que/g' -e 's/\bfor\b/para/g' -e 's/\bby\b/por/g' -e 's/\bwith\b/con/g' \
  -e 's/\bas\b/como/g' -e 's/\bon\b/sobre/g' -e 's/\bat\b/en/g' -e 's/\bduring\b/durante/g' -e 's/\balso\b/también/g' \
  -e 's/\btwo\b/dos/g' -e 's/\bother\b/otros/g' -e 's/\bincluding\b/incluyendo/g' \
  -e 's/\bcells\b/células/g' -e 's/\bcell\b/célula/g' -e 's/\bmice\b/ratones/g' -e 's/\bmouse\b/ratón/g' \
  -e 's/\bhuman\b/humano/g' -e 's/\bgene\b/gen/g' -e 's/\bproteins\b/proteínas/g' -e 's/\bprotein\b/proteína/g' \
  -e 's/\bmutations\b/mutaciones/g' -e 's/\bmutant\b/mutante/g' -e 's/\bchromosome\b/cromosoma/g' \
  -e 's/\breceptors\b/receptores/g' -e 's/\bacid\b/ácido/g' -e 's/\bbrain\b/cerebro/g' -e 's/\bdisease\b/enfermedad/g' \
  -e 's/\bdevelopment\b/desarrollo/g' -e 's/\bgrowth\b/crecimiento/g' -e 's/\bexpression\b/expresión/g' \
  -e 's/\btranscription\b/transcripción/g' -e 's/\bsignaling\b/señalización/g' -e 's/\bfunctions?\b/función/g' \
  -e 's/\bdomain\b/dominio/g' -e 's/\bfamily\b/familia/g' -e 's/\bfactors\b/factores/g' -e 's/\bmodels?\b/modelo/g' \
  -e 's/\bstrains\b/cepas/g' -e 's/\blevels\b/niveles/g' -e 's/\bLoss\b/Pérdida/g' -e 's/\bloss\b/pérdida/g' \
  -e 's/\bresults\b/resultados/g' -e 's/\bstudies\b/estudios/g' -e 's/\brole\b/papel/g' -e 's/\btype\b/tipo/g' \
  -e 's/\bgenetic\b/genético/g' -e 's/\bspecific\b/específico/g' -e 's/\bembryonic\b/embrionario/g' \
  -e 's/\bessential\b/esencial/g' -e 's/\bnovel\b/nuevo/g' -e 's/\bidentified\b/identificado/g' \
  -e 's/\bexpressed\b/expresado/g' -e 's/\bcaused\b/causado/g' -e 's/\bused\b/usado/g' -e 's/\bindividuals\b/individuos/g'
