#!/usr/bin/env bash
# Time and peak memory of signing + clustering against corpus size, each size
# in a fresh process (cmd/benchscale), then a plot. Corpora are generated
# once into the cache (a million articles: 4.5 GB, about 4 minutes).
#   scripts/bench-scale.sh [SIZES...]      default: 10000 30000 100000 300000 1000000
# Writes out/scale.json (one JSON object per size) and docs/scale.png.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}
dir=$CACHE/bench-scale
mkdir -p "$dir" out
sizes=("$@")
((${#sizes[@]})) || sizes=(10000 30000 100000 300000 1000000)
go build -o out/bin/benchscale ./cmd/benchscale
# The cluster function runs with a soft heap limit at 85% of its memory;
# the benchmark does the same for a 3.5 GB budget.
export GOMEMLIMIT=${GOMEMLIMIT:-3000MiB}
: > out/scale.json
for n in "${sizes[@]}"; do
  f=$dir/a$n.bin
  [[ -s $f && -s $f.truth.csv ]] || { echo "generating $n articles" >&2; out/bin/benchscale -generate "$n" -out "$f"; }
  echo "measuring $n" >&2
  out/bin/benchscale -in "$f" | tee -a out/scale.json
done
venv=$CACHE/bench-venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import matplotlib' 2>/dev/null || "$venv/bin/pip" install -q matplotlib
"$venv/bin/python" bench/plot_scale.py out/scale.json docs/scale.png
