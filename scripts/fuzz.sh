#!/usr/bin/env bash
# Run every fuzz target in the repository for a bounded time, one after
# another, and stop at the first failure (its input is saved under the
# package's testdata/fuzz/ for `go test` to replay).
# Usage: scripts/fuzz.sh DURATION   (a go test -fuzztime value: 10s, 2m, 5000x)
set -euo pipefail
duration=${1:?usage: scripts/fuzz.sh DURATION (e.g. 10s)}
cd "$(dirname "$0")/.."

# "path/to/file_test.go:func FuzzName(" -> "./path/to FuzzName"
targets=$(grep -r "^func Fuzz" --include='*_test.go' --exclude-dir='.?*' --exclude-dir=testdata --exclude-dir=node_modules . \
  | sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#' | sort -u)
if [[ -z $targets ]]; then
  echo "fuzz.sh: no fuzz targets found" >&2
  exit 1
fi
n=$(wc -l <<<"$targets")
echo "fuzz.sh: $n targets, $duration each"
i=0
while read -r pkg name; do
  i=$((i + 1))
  echo "== [$i/$n] $name in $pkg ($duration)"
  start=$(date +%s)
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" "$pkg"; then
    echo "fuzz.sh: $name in $pkg FAILED; replay with: go test -run '^${name}\$' $pkg" >&2
    exit 1
  fi
  echo "   $name: ok in $(( $(date +%s) - start ))s"
done <<<"$targets"
echo "fuzz.sh: all $n targets passed ($duration each)"
