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
  for try in 1 2 3; do
    log=$(mktemp)
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$duration" "$pkg" 2>&1 | tee "$log"; then
      rm -f "$log"
      break
    fi
    # A finding always leaves its input under testdata/fuzz. Go's engine also
    # fails with "context deadline exceeded" and no input when the time runs
    # out while a worker, slowed by other load, is still busy: not a finding.
    if grep -q "Failing input written to" "$log" || ! grep -q "context deadline exceeded" "$log"; then
      rm -f "$log"
      echo "fuzz.sh: $name in $pkg FAILED; replay with: go test -run '^${name}\$' $pkg" >&2
      exit 1
    fi
    rm -f "$log"
    if ((try == 3)); then
      echo "fuzz.sh: *** WARNING: $name hit the fuzzing engine's deadline three times with no failing input (machine overloaded?) ***" >&2
    else
      echo "fuzz.sh: $name: engine deadline with no failing input; running it again" >&2
    fi
  done
  echo "   $name: done in $(( $(date +%s) - start ))s"
done <<<"$targets"
echo "fuzz.sh: all $n targets passed ($duration each)"
