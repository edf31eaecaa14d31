#!/usr/bin/env bash
# Run one newsdedup Lambda function locally, without Docker: build its
# bootstrap, start it under the Lambda Runtime Interface Emulator
# (aws-lambda-rie) on loopback, send it one event, print the response, stop.
#
#   infra/local/invoke.sh FUNCTION EVENT_FILE      FUNCTION: ingest | cluster
#   infra/local/invoke.sh ingest events/s3-put.json
#   infra/local/invoke.sh cluster events/schedule.json
#
# The function talks to the emulators started by infra/local/up.sh: their
# endpoints and credentials come from $HOME/.cache/newsdedup/state/env.sh.
# Variables already set in the caller's environment win over env.sh, so
#   TABLE_NAME=my-table REPORTS_BUCKET=my-bucket infra/local/invoke.sh cluster events/schedule.json
# runs against other resources. The function's settings (as template.yaml
# names them): TABLE_NAME, REPORTS_BUCKET, UPLOADS_BUCKET, REPORTS_PREFIX,
# WINDOW_DAYS, MAX_ARTICLE_BYTES, STORY_THRESHOLD, COPY_CONTAINMENT, LOG_LEVEL;
# unset ones take the function's defaults.
#
# stdout: the function's response (one JSON document). stderr: build output,
# the function's logs and RIE's START/END/REPORT lines.
# Exit status: 0 if the function succeeded, 1 if it returned an error, 2 on
# a usage or setup problem.
#
# Other knobs: NEWSDEDUP_BOOTSTRAP=path reuses a built bootstrap (no build);
# NEWSDEDUP_RIE=path picks the emulator binary; INVOKE_TIMEOUT (seconds,
# default: the function's timeout from template.yaml).
#
# Nothing here listens on or talks to anything but 127.0.0.1: endpoints that
# are not loopback are refused, the function gets no AWS profile files and
# no instance metadata.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}"

die() { printf 'invoke: %s\n' "$*" >&2; exit 2; }

[[ $# -eq 2 ]] || die "usage: $0 ingest|cluster EVENT_FILE"
FN=$1 EVENT=$2
case $FN in
  ingest) MEMORY=256 TIMEOUT=30 VARS=(TABLE_NAME MAX_ARTICLE_BYTES LOG_LEVEL) ;;
  cluster) MEMORY=4096 TIMEOUT=900
    VARS=(TABLE_NAME REPORTS_BUCKET UPLOADS_BUCKET REPORTS_PREFIX WINDOW_DAYS MAX_ARTICLE_BYTES
          STORY_THRESHOLD COPY_CONTAINMENT LOG_LEVEL SCAN_SEGMENTS) ;;
  *) die "unknown function '$FN' (want ingest or cluster)" ;;
esac
[[ -f $EVENT ]] || die "no event file $EVENT"
EVENT="$(cd "$(dirname "$EVENT")" && pwd)/$(basename "$EVENT")"

# ---------------------------------------------------------------- settings
# env.sh first, then the caller's exported values on top.
ENV_SH="$CACHE/state/env.sh"
saved=$(export -p)
if [[ -f $ENV_SH ]]; then
  # shellcheck disable=SC1090
  . "$ENV_SH"
elif [[ -z ${AWS_ENDPOINT_URL_S3:-} || -z ${AWS_ENDPOINT_URL_DYNAMODB:-} ]]; then
  die "no $ENV_SH and no endpoints in the environment: start the emulators with infra/local/up.sh"
fi
eval "$saved"

for v in AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_DYNAMODB AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; do
  [[ -n ${!v:-} ]] || die "$v is not set (see $ENV_SH)"
done
for v in AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_DYNAMODB; do
  [[ ${!v} =~ ^https?://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/?$ ]] ||
    die "$v=${!v} is not a loopback endpoint; refusing to run against anything but this machine"
done

# ---------------------------------------------------------------- emulator
RIE="${NEWSDEDUP_RIE:-}"
if [[ -z $RIE ]]; then
  RIE="$CACHE/bin/aws-lambda-rie"
  if [[ ! -x $RIE ]]; then
    arch=$(uname -m); [[ $arch == aarch64 ]] && arch=arm64
    RIE=$(find "$CACHE/sam-venv" -name "aws-lambda-rie-$arch" -type f 2>/dev/null | head -n 1 || true)
  fi
fi
[[ -n $RIE && -x $RIE ]] || die "aws-lambda-rie not found (run infra/local/install.sh sam, or set NEWSDEDUP_RIE)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/newsdedup-invoke.XXXXXX")
RIE_PID=
cleanup() {
  if [[ -n $RIE_PID ]]; then
    kill -TERM -- "-$RIE_PID" 2>/dev/null || kill -TERM "$RIE_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$RIE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$RIE_PID" 2>/dev/null || true
    wait "$RIE_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---------------------------------------------------------------- build
if [[ -n ${NEWSDEDUP_BOOTSTRAP:-} ]]; then
  cp "$NEWSDEDUP_BOOTSTRAP" "$TMP/bootstrap"
else
  (cd "$ROOT" && CGO_ENABLED=0 GOOS=linux GOARCH="$(go env GOHOSTARCH)" \
     go build -tags lambda.norpc -trimpath -o "$TMP/bootstrap" "./functions/$FN") >&2
fi

# ---------------------------------------------------------------- run
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free port found"
}
PORT=$(free_port)
API_PORT=$(free_port)
[[ $API_PORT != "$PORT" ]] || API_PORT=$(free_port)

fenv=(
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
  "AWS_ENDPOINT_URL_S3=$AWS_ENDPOINT_URL_S3" "AWS_ENDPOINT_URL_DYNAMODB=$AWS_ENDPOINT_URL_DYNAMODB"
  "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
  "AWS_LAMBDA_FUNCTION_NAME=newsdedup-$FN" "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=$MEMORY"
  "AWS_LAMBDA_FUNCTION_TIMEOUT=$TIMEOUT"
)
for v in "${VARS[@]}"; do
  [[ -n ${!v+set} ]] && fenv+=("$v=${!v}")
done

setsid=(); command -v setsid >/dev/null && setsid=(setsid)
(cd "$TMP" && exec "${setsid[@]}" env -i "${fenv[@]}" "$RIE" --log-level error \
   --runtime-interface-emulator-address "127.0.0.1:$PORT" \
   --runtime-api-address "127.0.0.1:$API_PORT" ./bootstrap) >"$TMP/function.log" 2>&1 &
RIE_PID=$!

for _ in $(seq 150); do
  port_free "$PORT" || break
  kill -0 "$RIE_PID" 2>/dev/null || { cat "$TMP/function.log" >&2; die "aws-lambda-rie exited during startup"; }
  sleep 0.1
done
port_free "$PORT" && die "aws-lambda-rie did not listen on 127.0.0.1:$PORT"

URL="http://127.0.0.1:$PORT/2015-03-31/functions/function/invocations"
status=0
response=$(curl -sS --max-time "${INVOKE_TIMEOUT:-$((TIMEOUT + 5))}" -X POST \
             -H 'Content-Type: application/json' --data-binary "@$EVENT" "$URL") || status=$?
cat "$TMP/function.log" >&2
if ((status != 0)); then
  die "invocation failed (curl exit $status)"
fi
printf '%s\n' "$response"
# RIE answers a function error with HTTP 200 and {"errorMessage":...,"errorType":...}.
if [[ $response == \{\"errorMessage\":* || $response == *\"errorType\":* ]]; then
  exit 1
fi
