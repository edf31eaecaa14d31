#!/usr/bin/env bash
# Times internal/signature's benchmarks at a git revision and in the working
# tree, alternating the two binaries run by run so that both see the same
# host, and prints the minimum, 10th percentile and median of each. On a
# shared machine interference only ever adds time: compare the low figures.
#   scripts/bench-ab.sh REV [BENCH_REGEXP] [ROUNDS]      (BENCHTIME=3000x)
set -euo pipefail
rev=${1:?usage: $0 REV [BENCH_REGEXP] [ROUNDS]}
bench=${2:-TokenizeAndSignMixed\$}
rounds=${3:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

git -C "$root" worktree add --detach --quiet "$tmp/old" "$rev"
(cd "$tmp/old/internal/signature" && go test -c -o "$tmp/old.test" .)
(cd "$root/internal/signature" && go test -c -o "$tmp/new.test" .)

cd "$root/internal/signature" # the benchmarks generate their articles from testdata/
for ((i = 0; i < rounds; i++)); do
	for b in old new; do
		GOMAXPROCS=1 "$tmp/$b.test" -test.run '^$' -test.bench "$bench" -test.benchtime "${BENCHTIME:-3000x}" |
			awk -v b="$b" '/ns\/op/ { print $1, b, $3 }'
	done
done | sort -k1,1 -k2,2 -k3,3n | awk '
	function flush() {
		if (n) printf "%-45s %-3s min %8.0f  p10 %8.0f  median %8.0f ns/op  (%d runs)\n", key, who, v[1], v[int(n / 10) + 1], v[int(n / 2) + 1], n
	}
	$1 != key || $2 != who { flush(); key = $1; who = $2; n = 0 }
	{ v[++n] = $3 }
	END { flush() }'
