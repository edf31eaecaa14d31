#!/usr/bin/env bash
# Stop the emulators started by up.sh (by pid file) and remove their state.
# Idempotent: stopping something that is not running is a no-op.
#
# Usage: down.sh [--keep-data] [dynamodb|s3]...   (no service args = both,
#        and $CACHE/state/env.sh is removed too)
#   --keep-data   keep the data dirs ($CACHE/state/s3-PORT/data, dynamodb-PORT/data)
#                 (also: NEWSDEDUP_KEEP_DATA=1)
#   --no-lock     internal (used by up.sh, which already holds the lock)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=down

STOP_TIMEOUT="${STOP_TIMEOUT:-15}"

# The pid file may be stale and the pid reused by an unrelated process:
# only signal it if its command line looks like what we started.
looks_like() {  # looks_like PID KIND
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  case $2 in
    dynamodb-local) [[ $cmd == *ServerRunner* ]] ;;
    minio)          [[ $cmd == *minio* ]] ;;
    moto)           [[ $cmd == *moto* ]] ;;
    *)              return 1 ;;
  esac
}

stop_one() {  # stop_one SVC
  local svc=$1 dir pidf kindf pid kind=unknown i
  dir=$(svc_dir "$svc"); pidf="$dir/pid"; kindf="$dir/kind"
  [[ -s $kindf ]] && kind=$(<"$kindf")
  if [[ -s $pidf ]]; then
    pid=$(<"$pidf")
    if [[ $pid =~ ^[0-9]+$ ]] && running "$pid"; then
      if looks_like "$pid" "$kind"; then
        log "$svc: stopping $kind (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
          running "$pid" || break
          sleep 0.2
        done
        if running "$pid"; then
          log "$svc: pid $pid still alive after ${STOP_TIMEOUT}s, sending KILL"
          kill -KILL "$pid" 2>/dev/null || true
          for ((i = 0; i < 25; i++)); do running "$pid" || break; sleep 0.2; done
        fi
      else
        log "$svc: pid $pid is not our $kind process any more; leaving it alone"
      fi
    else
      log "$svc: not running (stale pid file)"
    fi
  else
    log "$svc: not running"
  fi
  rm -f "$pidf" "$kindf"
  if [[ $KEEP_DATA != 1 ]]; then
    rm -rf "$dir"
  fi
}

main() {
  local svcs=() s
  for s in "${ARGS[@]}"; do
    case $s in
      dynamodb|s3) svcs+=("$s") ;;
      *) die "unknown service '$s' (want: dynamodb s3)" ;;
    esac
  done
  if ((${#svcs[@]} == 0)); then
    svcs=(dynamodb s3)
    rm -f "$(env_file)"
  fi
  for s in "${svcs[@]}"; do stop_one "$s"; done
}

KEEP_DATA="${NEWSDEDUP_KEEP_DATA:-0}"
LOCK=1
ARGS=()
for a in "$@"; do
  case $a in
    --keep-data) KEEP_DATA=1 ;;
    --no-lock)   LOCK=0 ;;
    -h|--help)   sed -n '2,9p' "$0"; exit 0 ;;
    *)           ARGS+=("$a") ;;
  esac
done

ensure_dirs
if ((LOCK)); then with_lock emulators main; else main; fi
