#!/usr/bin/env bash
# End-to-end test of both Lambda functions, locally and without Docker:
# seeds uploaded to MinIO, S3 events delivered to the real ingest bootstrap
# under aws-lambda-rie, the cluster bootstrap run with events/schedule.json,
# the report read back from MinIO and compared with `newsdedup run` on the
# same files. The test itself is internal/e2e/e2e_test.go (build tag e2e);
# it also drives infra/local/invoke.sh.
#
#   infra/local/e2e.sh            (make e2e; part of make test)
#
# Starts the emulators if they are not running (infra/local/up.sh reuses
# running ones). The test makes its own table and bucket and removes them.
# Knobs: E2E_LATENCY_RUNS (extra warm ingest rounds over the 5 seeds,
# default 10), E2E_METRICS=file (latency numbers as JSON), E2E_KEEP=1 (keep
# the table and bucket), E2E_RUN (go test -run pattern).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# shellcheck source=lib.sh
. "$HERE/lib.sh"
use_emulators # their endpoints, test credentials, nothing from the user's AWS setup

cd "$ROOT"
exec go test -tags e2e -count=1 -v -timeout 20m ${E2E_RUN:+-run "$E2E_RUN"} ./internal/e2e/
