#!/usr/bin/env bash
# sam build for both functions (Go, arm64, static), then checks that each
# .aws-sam/build/<Function>/bootstrap is an ARM64 ELF executable.
# Extra arguments go to `sam build` (e.g. a function's logical id).
#
# SAM's go1.x builder runs `go build` in place in the function's CodeUri with
# GOOS=linux and GOARCH from Architectures; the module root (go.mod) is found
# by walking up, so internal/ packages resolve. It takes other settings from
# the environment, hence CGO_ENABLED and GOFLAGS here.
#
# Never use `sam build --cached` (or cached = true in samconfig.toml): the
# cache key is a hash of the CodeUri folder only, so a change under internal/
# would silently reuse the old binary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=infra/sam/lib.sh
. "$ROOT/infra/sam/lib.sh"
cd "$ROOT"
command -v go >/dev/null || die "go is not on PATH (sam build needs it)"

for fn in ingest cluster; do
  [[ -f "functions/$fn/main.go" ]] || die "functions/$fn/main.go does not exist yet"
done

CGO_ENABLED=0 GOFLAGS="$(go env GOFLAGS) -tags=lambda.norpc -ldflags=-s" \
  sam_offline build --template-file template.yaml "$@"

# ELF magic, 64-bit class, and e_machine 183 (EM_AARCH64) at offset 18.
check_arm64() {
  local f=$1 magic class machine
  [[ -f "$f" ]] || die "$f was not built"
  magic=$(od -An -tx1 -N4 "$f" | tr -d ' \n')
  class=$(od -An -tu1 -j4 -N1 "$f" | tr -d ' \n')
  machine=$(od -An -tu2 -j18 -N2 --endian=little "$f" | tr -d ' \n')
  [[ "$magic" == 7f454c46 && "$class" == 2 && "$machine" == 183 ]] ||
    die "$f is not a 64-bit ARM ELF executable (magic=$magic class=$class machine=$machine)"
  log "ok: $f is ELF64 aarch64 ($(wc -c <"$f" | tr -d ' ') bytes)"
}
for fn in IngestFunction ClusterFunction; do
  if [[ $# -eq 0 || " $* " == *" $fn "* ]]; then
    check_arm64 ".aws-sam/build/$fn/bootstrap"
  fi
done
