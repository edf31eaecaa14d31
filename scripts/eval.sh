#!/usr/bin/env bash
# One table of story and copy quality on every shared labelled set, each
# scored by `newsdedup eval` (the same pipeline as `newsdedup run`):
#   scripts/eval.sh            (make eval)
# Sets: BASIL dated and with its dates ignored, ECB+, the seeds, the
# multilingual set when testdata/multilingual has labels, and a synthetic
# corpus of EVAL_SYNTH articles (default 10000; 0 skips it), generated once
# into the cache. The rewrites set is labelled at the rewrite level only (no
# story labels): its rows score rewrites, dated and undated. The shared datasets are read from ../shared/datasets beside
# the repository (NEWSDEDUP_DATASETS overrides); a missing set is skipped
# with a note on standard error.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}
DATA=${NEWSDEDUP_DATASETS:-../shared/datasets}
SYNTH=${EVAL_SYNTH:-10000}
mkdir -p out/bin
go build -o out/bin/newsdedup ./cmd/newsdedup
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# row NAME LEVEL DIR LABELS [FLAGS...]
row() {
  local name=$1 level=$2 dir=$3 labels=$4
  shift 4
  if [[ ! -d $dir || ! -f $labels ]]; then
    echo "eval: skipping $name ($dir or $labels missing)" >&2
    return
  fi
  out/bin/newsdedup eval --row "$name" --level "$level" --labels "$labels" "$@" "$dir"
}

# A shared set keeps its README and labels beside articles/: score the
# articles folder alone (the README and labels are no articles), with the
# labels' keys made relative to it.
articles() {
  local set=$1
  [[ -f $DATA/$set/labels.csv ]] && sed 's#^articles/##' "$DATA/$set/labels.csv" > "$tmp/$set.csv"
}
articles basil || true
articles ecbplus || true
articles rewrites || true

echo "| set | level | articles | precision | recall | F1 | ARI | BCubed F1 |"
echo "|---|---|---|---|---|---|---|---|"
row "BASIL" story "$DATA/basil/articles" "$tmp/basil.csv"
row "BASIL, dates ignored" story "$DATA/basil/articles" "$tmp/basil.csv" --ignore-dates
row "ECB+" story "$DATA/ecbplus/articles" "$tmp/ecbplus.csv"
row "rewrites" rewrite "$DATA/rewrites/articles" "$tmp/rewrites.csv"
row "rewrites, dates ignored" rewrite "$DATA/rewrites/articles" "$tmp/rewrites.csv" --ignore-dates

# The seeds: five reports of one event, 001 and 003 share wire copy.
printf 'article,story\n' > "$tmp/seeds-story.csv"
printf 'article,story\n' > "$tmp/seeds-copy.csv"
for f in testdata/seeds/*; do
  k=${f#testdata/seeds/}
  printf '%s,one\n' "$k" >> "$tmp/seeds-story.csv"
  case $k in 001_* | 003_*) g=wire ;; *) g=alone-$k ;; esac
  printf '%s,%s\n' "$k" "$g" >> "$tmp/seeds-copy.csv"
done
row "seeds" story testdata/seeds "$tmp/seeds-story.csv"
row "seeds" copy testdata/seeds "$tmp/seeds-copy.csv"

# Multilingual (testdata/multilingual): labels beside the articles.
ml=testdata/multilingual
row "multilingual" story "$ml" "$ml/labels-story.csv"
row "multilingual" copy "$ml" "$ml/labels-copy.csv"

if ((SYNTH > 0)); then
  syn=$CACHE/eval/synth-$SYNTH
  if [[ ! -s $syn.labels.csv ]]; then
    echo "eval: generating $SYNTH synthetic articles into $syn" >&2
    rm -rf "$syn"
    go run ./cmd/gencorpus -q -n "$SYNTH" -seed 1 -out "$syn"
  fi
  row "synthetic, $SYNTH articles" story "$syn" "$syn.labels.csv"
  row "synthetic, $SYNTH articles" copy "$syn" "$syn.copygroups.csv"
fi
