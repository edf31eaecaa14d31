# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared settings and helpers for infra/local/*.sh. Source it, don't run it.
#
# Everything here is overridable from the environment; see README.md.

# ---------------------------------------------------------------- locations
CACHE="${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}"
BIN_DIR="$CACHE/bin"
STATE_DIR="$CACHE/state"
LOG_DIR="$STATE_DIR/logs"
DDB_HOME="$CACHE/dynamodb-local"
SAM_VENV="$CACHE/sam-venv"

# ---------------------------------------------------------------- versions
# DynamoDB Local from Maven Central (com.amazonaws:DynamoDBLocal). Pinned for
# reproducible CI; set DDB_LOCAL_VERSION=latest to take the newest 2.x.
DDB_LOCAL_VERSION="${DDB_LOCAL_VERSION:-2.6.1}"
MVN_DEPENDENCY_PLUGIN="${MVN_DEPENDENCY_PLUGIN:-org.apache.maven.plugins:maven-dependency-plugin:3.8.1}"
MINIO_MODULE="${MINIO_MODULE:-github.com/minio/minio@latest}"
SAM_PIP_SPEC="${SAM_PIP_SPEC:-aws-sam-cli}"

# Upper bounds so nothing ever hangs forever (seconds).
INSTALL_TIMEOUT="${INSTALL_TIMEOUT:-3600}"   # per component (minio builds from source:
                                             # ~4 min idle, ~19 min on a loaded 2-core box)
START_TIMEOUT="${START_TIMEOUT:-60}"         # per emulator until it answers
LOCK_TIMEOUT="${LOCK_TIMEOUT:-4000}"         # waiting for another up/down/install

# ---------------------------------------------------------------- endpoints
HOST=127.0.0.1
DDB_PORT="${DDB_PORT:-8000}"
MINIO_PORT="${MINIO_PORT:-9000}"
MINIO_CONSOLE_PORT="${MINIO_CONSOLE_PORT:-$((MINIO_PORT + 1))}"

# MinIO insists on its root credentials; DynamoDB Local and moto accept
# anything, so the same pair is used for every endpoint.
MINIO_ROOT_USER="${MINIO_ROOT_USER:-newsdedup}"
MINIO_ROOT_PASSWORD="${MINIO_ROOT_PASSWORD:-newsdedup-secret}"

# ---------------------------------------------------------------- resources
# Keep in sync with template.yaml.
TABLE_NAME="${TABLE_NAME:-newsdedup-signatures}"
UPLOADS_BUCKET="${UPLOADS_BUCKET:-newsdedup-uploads}"
REPORTS_BUCKET="${REPORTS_BUCKET:-newsdedup-reports}"

# ---------------------------------------------------------------- helpers
log()  { printf '[%s] %s\n' "${LOG_TAG:-local}" "$*" >&2; }
warn() {
  printf '\n' >&2
  printf '*** WARNING: %s ***\n' "$*" >&2
  printf '\n' >&2
}
die() {
  printf '\n*** ERROR: %s ***\n\n' "$*" >&2
  exit 1
}

ensure_dirs() { mkdir -p "$BIN_DIR" "$STATE_DIR" "$LOG_DIR"; }

# with_lock NAME CMD... : run CMD holding an exclusive flock on
# $STATE_DIR/NAME.lock (bounded wait). Serialises concurrent callers, e.g.
# several `go test` packages calling up.sh at once.
with_lock() {
  local name=$1; shift
  ensure_dirs
  local lockfile="$STATE_DIR/$name.lock"
  (
    if ! flock -w "$LOCK_TIMEOUT" 9; then
      die "timed out after ${LOCK_TIMEOUT}s waiting for $lockfile"
    fi
    "$@"
  ) 9>"$lockfile"
}

# Run the aws CLI hermetically against a local endpoint: ignore the user's
# ~/.aws config/profiles, never touch EC2 metadata, fixed region + creds.
awsl() {
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_SESSION_TOKEN \
      -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_S3 -u AWS_ENDPOINT_URL_DYNAMODB \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_ACCESS_KEY_ID="$MINIO_ROOT_USER" AWS_SECRET_ACCESS_KEY="$MINIO_ROOT_PASSWORD" \
    AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_EC2_METADATA_DISABLED=true AWS_PAGER="" \
    timeout 60 aws --cli-read-timeout 20 --cli-connect-timeout 5 "$@"
}

# http_code URL [curl args...] : print the HTTP status ("000" if nothing answers).
http_code() {
  local url=$1; shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 3 --noproxy '*' "$@" "$url" 2>/dev/null || true
}

svc_port() { case $1 in dynamodb) echo "$DDB_PORT" ;; s3) echo "$MINIO_PORT" ;; esac; }

# svc_dir SVC : per-instance state dir, e.g. $STATE_DIR/dynamodb-8000 (pid,
# kind, data). Keyed by port so instances on different ports don't collide.
svc_dir() { echo "$STATE_DIR/$1-$(svc_port "$1")"; }

# env_file : where up.sh writes the export line. Default ports -> env.sh;
# other ports get their own file so parallel instances don't clobber it.
env_file() {
  if [[ -n ${NEWSDEDUP_ENV_FILE:-} ]]; then echo "$NEWSDEDUP_ENV_FILE"
  elif [[ $DDB_PORT == 8000 && $MINIO_PORT == 9000 ]]; then echo "$STATE_DIR/env.sh"
  else echo "$STATE_DIR/env-$DDB_PORT-$MINIO_PORT.sh"
  fi
}

# running PID : true if PID exists and is not a zombie (a daemon killed from
# outside stays a zombie until its new parent reaps it).
running() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0   # no procfs: trust kill -0
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# pid_alive PIDFILE : true if the pid in PIDFILE is a running process.
pid_alive() {
  local pidfile=$1 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  running "$pid"
}

# port_in_use PORT : true if something listens on 127.0.0.1:PORT (or 0.0.0.0).
port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# use_emulators starts (or reuses) the emulators and points this shell's AWS
# settings at them and at nothing else: their endpoints and test credentials,
# no profile, no shared config files, no instance metadata. Every script that
# runs tests against the emulators calls it, so loopback is the only target.
use_emulators() {
  local line
  line=$("$(dirname "${BASH_SOURCE[0]}")/up.sh")
  eval "$line"
  unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
  export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
}
