#!/usr/bin/env bash
# Side-by-side benchmark: newsdedup vs datasketch vs rensa on one synthetic
# corpus (see bench/README.md). Arguments go to bench/compare.py, e.g.
#   scripts/bench-compare.sh -n 20000 --scale 100000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}
venv=$cache/bench-venv
py=${PYTHON:-python3}

if [ ! -x "$venv/bin/python" ]; then
	echo "bench: creating $venv" >&2
	mkdir -p "$cache"
	"$py" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import datasketch, numpy' 2>/dev/null; then
	grep -v '^rensa' "$root/bench/requirements.txt" | "$venv/bin/pip" install -q -r /dev/stdin
fi
if ! "$venv/bin/python" -c 'import rensa' 2>/dev/null; then
	if ! "$venv/bin/pip" install -q "$(grep '^rensa' "$root/bench/requirements.txt")"; then
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
		echo "!!! rensa could not be installed (no wheel for this platform?)." >&2
		echo "!!! Continuing without it: its columns will be missing." >&2
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
	fi
fi

mkdir -p "$root/out/bin"
(cd "$root" && go build -o out/bin/ ./cmd/gencorpus ./cmd/benchsig ./cmd/benchcluster)
exec "$venv/bin/python" "$root/bench/compare.py" --bin "$root/out/bin" "$@"
