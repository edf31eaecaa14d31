#!/usr/bin/env bash
# Start the local AWS emulators on loopback and create newsdedup's resources.
#
#   DynamoDB Local  127.0.0.1:$DDB_PORT   (default 8000)   -inMemory -sharedDb
#   MinIO (S3)      127.0.0.1:$MINIO_PORT (default 9000), console 127.0.0.1:$MINIO_CONSOLE_PORT
#
# Missing tools are installed first (install.sh). If DynamoDB Local or MinIO
# cannot be installed or started, moto_server is started on that port instead,
# with a loud warning. Already-running healthy emulators (started by this
# script, tracked by pid files) are reused.
#
# stdout: exactly one line, `export AWS_ENDPOINT_URL_S3=... NEWSDEDUP_EMULATORS=...`
# (also written to $CACHE/state/env.sh), so `eval "$(infra/local/up.sh)"` works.
# All progress goes to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=up

DDB_IN_MEMORY="${DDB_IN_MEMORY:-1}"     # 0 = persist under $STATE_DIR/dynamodb-$DDB_PORT/data
DDB_JAVA_OPTS="${DDB_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
EMULATOR_FALLBACK="${EMULATOR_FALLBACK:-moto}"   # moto | none

# ------------------------------------------------------------ health checks
# Any HTTP answer on the DynamoDB port means the server is up (an unsigned
# request gets a 400 from DynamoDB Local).
ddb_answers() {
  local code
  code=$(http_code "http://$HOST:$DDB_PORT/" -X POST \
           -H 'Content-Type: application/x-amz-json-1.0' \
           -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -d '{}')
  [[ $code != 000 ]]
}

s3_answers() {
  local kind=$1
  if [[ $kind == minio ]]; then
    [[ $(http_code "http://$HOST:$MINIO_PORT/minio/health/live") == 200 ]]
  else
    [[ $(http_code "http://$HOST:$MINIO_PORT/") != 000 ]]
  fi
}

answers() {  # answers SVC KIND
  case $1 in
    dynamodb) ddb_answers ;;
    s3) s3_answers "$2" ;;
  esac
}

# ------------------------------------------------------------ process mgmt
# launch SVC KIND CMD... : start CMD detached (own session, stdio to a log
# file so callers that capture our output never wait on it), record its pid.
launch() {
  local svc=$1 kind=$2; shift 2
  local logf dir
  logf="$LOG_DIR/$svc-$(svc_port "$svc")-$kind.log"
  dir=$(svc_dir "$svc"); mkdir -p "$dir"
  printf '\n===== %s: starting %s\n' "$(date -u +%FT%TZ)" "$*" >>"$logf"
  local setsid=()
  command -v setsid >/dev/null && setsid=(setsid)
  # close_fds: the daemon must inherit no lock: neither our fd 9 nor the fd
  # of a caller's `flock /tmp/newsdedup-emulators.lock make ...` (flock(1)
  # passes its fd on). An inherited lock fd holds the lock for the daemon's
  # whole life and blocks every later up.sh/down.sh and every flock'd run.
  (cd "$STATE_DIR" && close_fds && exec "${setsid[@]}" "$@") </dev/null >>"$logf" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  echo "$kind" >"$dir/kind"
  log "$svc: started $kind (pid $pid, log $logf)"
}

# close_fds : close every descriptor above 2 of the current (sub)shell.
close_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# wait_healthy SVC KIND : poll until it answers; false if it dies or times out.
wait_healthy() {
  local svc=$1 kind=$2 pid deadline logf
  pid=$(<"$(svc_dir "$svc")/pid")
  logf="$LOG_DIR/$svc-$(svc_port "$svc")-$kind.log"
  deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! running "$pid"; then
      log "$svc: $kind (pid $pid) exited during startup; last log lines:"
      tail -n 20 "$logf" | sed 's/^/    /' >&2 || true
      return 1
    fi
    if answers "$svc" "$kind"; then
      log "$svc: $kind answers on port $(svc_port "$svc") ($((SECONDS - deadline + START_TIMEOUT))s)"
      return 0
    fi
    sleep 0.5
  done
  log "$svc: $kind did not answer within ${START_TIMEOUT}s; last log lines:"
  tail -n 20 "$logf" | sed 's/^/    /' >&2 || true
  return 1
}

# stop_svc SVC : stop what our pid file points to (see down.sh).
stop_svc() { "$HERE/down.sh" --no-lock --keep-data "$1"; }

# ------------------------------------------------------------ starters
start_dynamodb_local() {
  "$HERE/install.sh" dynamodb-local >&2 || return 1
  local store=(-inMemory)
  if [[ $DDB_IN_MEMORY != 1 ]]; then
    local data; data="$(svc_dir dynamodb)/data"
    mkdir -p "$data"; store=(-dbPath "$data")
  fi
  # shellcheck disable=SC2206  # DDB_JAVA_OPTS is intentionally word-split
  local jopts=($DDB_JAVA_OPTS)
  # Stock ServerRunner listens on all interfaces; the launcher built by
  # install.sh (ddb/LoopbackServerRunner.java) binds $HOST only.
  local main=(-cp "$DDB_HOME/lib/*" com.amazonaws.services.dynamodbv2.local.main.ServerRunner)
  if [[ -f $DDB_HOME/launcher/LoopbackServerRunner.class ]]; then
    main=(-Dnewsdedup.bindHost="$HOST" -cp "$DDB_HOME/launcher:$DDB_HOME/lib/*" LoopbackServerRunner)
  else
    log "dynamodb: no loopback launcher; DynamoDB Local listens on all interfaces"
  fi
  # DynamoDB Local sends telemetry (Pinpoint) unless told not to: both switches.
  launch dynamodb dynamodb-local env DDB_LOCAL_TELEMETRY=0 \
    java "${jopts[@]}" \
      -Djava.library.path="$DDB_HOME/native" -Dsqlite4java.library.path="$DDB_HOME/native" \
      "${main[@]}" -port "$DDB_PORT" "${store[@]}" -sharedDb -disableTelemetry
  wait_healthy dynamodb dynamodb-local
}

start_minio() {
  "$HERE/install.sh" minio >&2 || return 1
  local dir; dir=$(svc_dir s3)
  mkdir -p "$dir/data" "$dir/certs"
  launch s3 minio env \
    MINIO_ROOT_USER="$MINIO_ROOT_USER" MINIO_ROOT_PASSWORD="$MINIO_ROOT_PASSWORD" \
    MINIO_BROWSER=off MINIO_UPDATE=off MINIO_CALLHOME_ENABLE=off \
    MINIO_SITE_REGION=us-east-1 \
    "$BIN_DIR/minio" server --quiet \
      --address "$HOST:$MINIO_PORT" --console-address "$HOST:$MINIO_CONSOLE_PORT" \
      --certs-dir "$dir/certs" "$dir/data"
  wait_healthy s3 minio
}

start_moto() {  # start_moto SVC
  local svc=$1
  command -v moto_server >/dev/null || { log "$svc: moto_server not found in PATH"; return 1; }
  launch "$svc" moto moto_server -H "$HOST" -p "$(svc_port "$svc")"
  wait_healthy "$svc" moto
}

# ensure SVC PRIMARY_KIND : reuse, or start primary, or fall back to moto.
ensure() {
  local svc=$1 primary=$2 port kind dir
  port=$(svc_port "$svc")
  dir=$(svc_dir "$svc")
  if pid_alive "$dir/pid" && [[ -s $dir/kind ]]; then
    kind=$(<"$dir/kind")
    if answers "$svc" "$kind"; then
      log "$svc: reusing running $kind (pid $(<"$dir/pid"), port $port)"
      return 0
    fi
    log "$svc: $kind (pid $(<"$dir/pid")) is running but not answering; restarting it"
  fi
  # clear stale pid files / hung processes of ours
  [[ -e $dir/pid ]] && stop_svc "$svc"
  if port_in_use "$port"; then
    die "$svc: port $HOST:$port is already in use by a process not started by $HERE/up.sh; stop it or pick another port (DDB_PORT / MINIO_PORT)"
  fi

  if "start_${primary//-/_}"; then
    return 0
  fi
  [[ -e $dir/pid ]] && stop_svc "$svc"
  if [[ $EMULATOR_FALLBACK != moto ]]; then
    die "$svc: could not install/start $primary (EMULATOR_FALLBACK=$EMULATOR_FALLBACK)"
  fi
  warn "$svc: could not install/start $primary on port $port -- falling back to moto_server"
  start_moto "$svc" || { stop_svc "$svc"; die "$svc: moto_server fallback failed too"; }
}

# ------------------------------------------------------------ resources
create_resources() {
  local ddb="http://$HOST:$DDB_PORT" s3="http://$HOST:$MINIO_PORT" b

  # Table: schema lives in table.json (keep in sync with template.yaml; add a
  # GSI there as "GlobalSecondaryIndexes" plus its AttributeDefinitions).
  if awsl dynamodb describe-table --endpoint-url "$ddb" --table-name "$TABLE_NAME" >/dev/null 2>&1; then
    log "dynamodb: table $TABLE_NAME exists"
  else
    log "dynamodb: creating table $TABLE_NAME (pk:S HASH, PAY_PER_REQUEST)"
    awsl dynamodb create-table --endpoint-url "$ddb" --table-name "$TABLE_NAME" \
      --cli-input-json "file://$HERE/table.json" >/dev/null
    awsl dynamodb wait table-exists --endpoint-url "$ddb" --table-name "$TABLE_NAME"
  fi
  # TTL as in template.yaml (CreateTable cannot set it): tombstones carry
  # expires_at. Idempotent: an already-enabled table is left alone.
  if ! awsl dynamodb describe-time-to-live --endpoint-url "$ddb" --table-name "$TABLE_NAME" \
       --query 'TimeToLiveDescription.TimeToLiveStatus' --output text 2>/dev/null | grep -q ENABLED; then
    log "dynamodb: enabling TTL on $TABLE_NAME (attribute expires_at)"
    awsl dynamodb update-time-to-live --endpoint-url "$ddb" --table-name "$TABLE_NAME" \
      --time-to-live-specification Enabled=true,AttributeName=expires_at >/dev/null
  fi

  for b in "$UPLOADS_BUCKET" "$REPORTS_BUCKET"; do
    if awsl s3api head-bucket --endpoint-url "$s3" --bucket "$b" >/dev/null 2>&1; then
      log "s3: bucket $b exists"
    else
      log "s3: creating bucket $b"
      awsl s3api create-bucket --endpoint-url "$s3" --bucket "$b" >/dev/null
    fi
  done
}

# env_pairs K V K V ... : ' K=V' each, shell-quoted only when needed so the
# line also reads cleanly as a dotenv file.
env_pairs() {
  while (($#)); do
    if [[ $2 =~ ^[A-Za-z0-9_./:,@+=-]*$ ]]; then
      printf ' %s=%s' "$1" "$2"
    else
      printf ' %s=%q' "$1" "$2"
    fi
    shift 2
  done
}

write_env() {
  local emus line
  emus="$(<"$(svc_dir dynamodb)/kind"),$(<"$(svc_dir s3)/kind")"
  line=$(printf 'export'; env_pairs \
    AWS_ENDPOINT_URL_S3 "http://$HOST:$MINIO_PORT" \
    AWS_ENDPOINT_URL_DYNAMODB "http://$HOST:$DDB_PORT" \
    AWS_ACCESS_KEY_ID "$MINIO_ROOT_USER" \
    AWS_SECRET_ACCESS_KEY "$MINIO_ROOT_PASSWORD" \
    AWS_REGION us-east-1 \
    AWS_DEFAULT_REGION us-east-1 \
    AWS_EC2_METADATA_DISABLED true \
    TABLE_NAME "$TABLE_NAME" \
    UPLOADS_BUCKET "$UPLOADS_BUCKET" \
    REPORTS_BUCKET "$REPORTS_BUCKET" \
    NEWSDEDUP_EMULATORS "$emus")
  local f; f=$(env_file)
  mkdir -p "$(dirname "$f")"
  printf '%s\n' "$line" >"$f.tmp"
  mv -f "$f.tmp" "$f"
  log "environment written to $f"
  printf '%s\n' "$line"
}

main() {
  command -v curl >/dev/null || die "curl is required"
  command -v aws  >/dev/null || die "the aws CLI is required"
  ensure dynamodb dynamodb-local
  ensure s3 minio
  create_resources
  write_env
}

with_lock emulators main
