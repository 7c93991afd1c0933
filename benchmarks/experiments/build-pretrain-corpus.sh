#!/usr/bin/env bash
# Builds the unlabelled in-domain text for `bioner pretrain` from the other corpora of
# cambridgeltl/MTL-Bioinformatics-2016 (PubMed abstracts and PMC text: anatomy, genes, chemicals, diseases, species,
# events), one sentence per line, in corpus order, duplicates removed (BioNLP09/13GE and the BC5CDR subsets share text).
# CRAFT is never read, and as a guard any sentence that also occurs in CRAFT-IOB's devel or test split is dropped.
#
#   git clone https://github.com/cambridgeltl/MTL-Bioinformatics-2016     # or any checkout / bare mirror of it
#   MTL=MTL-Bioinformatics-2016 OUT=pretrain-corpus.txt benchmarks/experiments/build-pretrain-corpus.sh
#
# Licences (recorded in benchmarks/RESULTS.md): the repository's data are CC BY 4.0 (its LICENSE.md) except where a
# corpus folder carries its own LICENSE (BioNLP11ID, BioNLP13CG, BioNLP13PC: CC BY 3.0; JNLPBA's original data: GENIA
# licence); the repository notes that BC4CHEMD's redistribution status is unclear, so it is left out unless
# WITH_BC4CHEMD=1. Nothing built here is committed: the output is a few tens of MB.
set -euo pipefail
MTL=${MTL:?set MTL to a checkout (or bare mirror) of cambridgeltl/MTL-Bioinformatics-2016}
OUT=${OUT:-pretrain-corpus.txt}
CORPORA=${CORPORA:-"AnatEM-IOB BC2GM-IOB BC5CDR-IOB BioNLP09-IOB BioNLP11EPI-IOB BioNLP11ID-IOB BioNLP13CG-IOB BioNLP13GE-IOB BioNLP13PC-IOB Ex-PTM-IOB JNLPBA NCBI-disease-IOB linnaeus-IOB"}
[[ "${WITH_BC4CHEMD:-0}" == 1 ]] && CORPORA="$CORPORA BC4CHEMD"

# Prints data/<corpus>/<split>.tsv from a working tree or, failing that, from the git objects (a bare mirror).
show() {
  if [[ -f "$MTL/data/$1" ]]; then cat "$MTL/data/$1"
  elif git --git-dir="$MTL" cat-file -e "HEAD:data/$1" 2>/dev/null; then git --git-dir="$MTL" show "HEAD:data/$1"
  elif git -C "$MTL" cat-file -e "HEAD:data/$1" 2>/dev/null; then git -C "$MTL" show "HEAD:data/$1"
  else return 1; fi
}
# word<TAB>tag lines, blank between sentences → one sentence per line, words joined by a space.
sentences() { awk -F'\t' 'NF == 0 || $1 == "" { if (s != "") print s; s = ""; next } { s = (s == "" ? $1 : s " " $1) } END { if (s != "") print s }'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for split in devel test; do show "CRAFT-IOB/$split.tsv" | sentences; done | sort -u > "$tmp/craft-heldout"
: > "$tmp/all"
for corpus in $CORPORA; do
  for split in train devel test; do
    if show "$corpus/$split.tsv" > "$tmp/part" 2>/dev/null; then
      n=$(sentences < "$tmp/part" | tee -a "$tmp/all" | wc -l)
      echo "$corpus/$split: $n sentences" >&2
    else
      echo "$corpus/$split: not in this checkout, skipped" >&2
    fi
  done
done
awk 'NR == FNR { held[$0] = 1; next } !($0 in held) && !seen[$0]++' "$tmp/craft-heldout" "$tmp/all" > "$tmp/out"
dropped=$(awk 'NR == FNR { held[$0] = 1; next } ($0 in held)' "$tmp/craft-heldout" "$tmp/all" | wc -l)
mv "$tmp/out" "$OUT"
echo "$OUT: $(wc -l < "$OUT") unique sentences, $(wc -w < "$OUT") words ($(wc -l < "$tmp/all") read, $dropped also in CRAFT dev/test dropped)" >&2
