#!/usr/bin/env bash
# Load test against the real local servers: S3 events (duplicates and
# out-of-order versions mixed in) handled by the real ingest handler,
# in-process, with 32 concurrent simulated Lambda instances, against
# DynamoDB Local and MinIO. The test is internal/load/load_test.go (build tag
# load); the harness is internal/stress.
#
#   infra/local/load.sh            2,000 events, about 5 s   (make load)
#   infra/local/load.sh --soak     20,000 events, about 50 s (make soak)
#
# Prints the figures as one line `LOAD {...json...}`. Knobs: LOAD_EVENTS,
# LOAD_WORKERS (override the size), LOAD_METRICS=file (append the JSON line).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

tags=load
case ${1:-} in
  --soak) tags='load soak' ;;
  "") ;;
  *) echo "usage: $0 [--soak]" >&2; exit 2 ;;
esac

# shellcheck source=lib.sh
. "$HERE/lib.sh"
use_emulators # their endpoints, test credentials, nothing from the user's AWS setup

cd "$ROOT"
exec go test -tags "$tags" -count=1 -v -timeout 20m ./internal/load/
