#!/usr/bin/env bash
# Fault-injection tests against the real local servers: Toxiproxy (in-process,
# on loopback) between the in-process ingest/cluster handlers and DynamoDB
# Local / MinIO, and a DynamoDB Local of their own (another loopback port,
# persistent -dbPath) killed with SIGKILL and restarted mid-ingest. The tests
# are internal/faults/faults_test.go (build tag faults); the harness is
# internal/stress. About 50 s on 2 cores.
#
#   infra/local/faults.sh                 (make faults)
#
# Starts the emulators if they are not running (up.sh reuses running ones).
# Each test makes its own table and bucket and removes them; the killed
# instance is stopped and its data removed by the test (down.sh).
# Knobs: FAULTS_RUN (go test -run pattern), FAULTS_METRICS=file (one JSON
# line per scenario).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# shellcheck source=lib.sh
. "$HERE/lib.sh"
use_emulators # their endpoints, test credentials, nothing from the user's AWS setup

cd "$ROOT"
exec go test -tags faults -count=1 -v -timeout 6m ${FAULTS_RUN:+-run "$FAULTS_RUN"} ./internal/faults/
