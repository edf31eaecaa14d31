#!/usr/bin/env bash
# Idempotently install the local emulators/tools into $NEWSDEDUP_CACHE
# (default ~/.cache/newsdedup):
#
#   minio            $CACHE/bin/minio                (go install, builds from source)
#   dynamodb-local   $CACHE/dynamodb-local/          (Maven Central, jar + deps + sqlite4java natives)
#   sam              $CACHE/sam-venv, $CACHE/bin/sam, $CACHE/bin/aws-lambda-rie   (pip)
#   moto             $CACHE/moto-venv, $CACHE/bin/moto_server   (pip; SQS for the redrive test)
#
# Usage: install.sh [minio|dynamodb-local|sam|moto]...   (no args = all)
# Already-installed components are skipped. Exit status is non-zero if any
# requested component failed (the others are still attempted).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=install

# ------------------------------------------------------------------ minio
minio_ok() { [[ -x $BIN_DIR/minio ]] && "$BIN_DIR/minio" --version >/dev/null 2>&1; }

install_minio() {
  if minio_ok; then
    log "minio: already installed ($("$BIN_DIR/minio" --version 2>/dev/null | head -n1))"
    return 0
  fi
  command -v go >/dev/null || { log "minio: 'go' not found in PATH"; return 1; }
  log "minio: GOBIN=$BIN_DIR go install $MINIO_MODULE (compiles MinIO from source; several minutes on a cold cache)"
  # Run outside any module/workspace so the repo's go.mod/go.work can't interfere.
  (cd / && GOBIN="$BIN_DIR" GOWORK=off GOFLAGS="${MINIO_GOFLAGS:-}" \
     timeout "$INSTALL_TIMEOUT" go install "$MINIO_MODULE") || return 1
  minio_ok || { log "minio: installed binary does not run"; return 1; }
  log "minio: installed $("$BIN_DIR/minio" --version | head -n1)"
}

# ---------------------------------------------------------- dynamodb-local
DDB_MAIN=com.amazonaws.services.dynamodbv2.local.main.ServerRunner

java_major() {
  # `java -version` prints e.g. 'openjdk version "17.0.15" 2025-04-15' (or "1.8.0_392").
  local v
  v=$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

ddb_ok() {
  [[ -s $DDB_HOME/INSTALLED && -e $DDB_HOME/lib/DynamoDBLocal.jar && -d $DDB_HOME/native ]] || return 1
  [[ $DDB_LOCAL_VERSION == latest || $(<"$DDB_HOME/INSTALLED") == "$DDB_LOCAL_VERSION" ]]
}

install_dynamodb_local() {
  if ddb_ok; then
    log "dynamodb-local: already installed (version $(<"$DDB_HOME/INSTALLED") in $DDB_HOME)"
  else
    fetch_and_install_dynamodb_local || return 1
  fi
  build_ddb_launcher
}

# DynamoDB Local has no bind-address option; ddb/LoopbackServerRunner.java
# starts it on 127.0.0.1 instead of all interfaces. Optional: without javac
# up.sh falls back to the stock ServerRunner.
build_ddb_launcher() {
  local src="$HERE/ddb/LoopbackServerRunner.java" out="$DDB_HOME/launcher" sum
  sum=$(cat "$src" "$DDB_HOME/INSTALLED" | sha256sum | cut -d' ' -f1)
  if [[ -f $out/LoopbackServerRunner.class && -s $out/SOURCE_SHA256 && $(<"$out/SOURCE_SHA256") == "$sum" ]]; then
    return 0
  fi
  rm -rf "$out" "$out.tmp"
  if ! command -v javac >/dev/null; then
    log "dynamodb-local: no javac; DynamoDB Local will listen on ALL interfaces (not just $HOST)"
    return 0
  fi
  mkdir -p "$out.tmp"
  if timeout 180 javac -nowarn --release 17 -cp "$DDB_HOME/lib/*" -d "$out.tmp" "$src" >&2; then
    echo "$sum" >"$out.tmp/SOURCE_SHA256"
    mv "$out.tmp" "$out"
    log "dynamodb-local: built loopback launcher in $out"
  else
    rm -rf "$out.tmp"
    log "dynamodb-local: could not compile $src; DynamoDB Local will listen on ALL interfaces"
  fi
}

fetch_and_install_dynamodb_local() {
  command -v java >/dev/null || { log "dynamodb-local: 'java' not found (needs Java 17+)"; return 1; }
  command -v mvn  >/dev/null || { log "dynamodb-local: 'mvn' not found"; return 1; }
  local jm; jm=$(java_major)
  if [[ ! $jm =~ ^[0-9]+$ ]] || (( jm < 17 )); then
    log "dynamodb-local: Java ${jm:-(version unknown)} found; DynamoDB Local 2.x (Jetty 12) needs Java 17+"; return 1
  fi

  local want=$DDB_LOCAL_VERSION
  [[ $want == latest ]] && want='[2.0,3.0)'
  log "dynamodb-local: fetching com.amazonaws:DynamoDBLocal:$want + dependencies from Maven Central"

  local work; work=$(mktemp -d "$CACHE/dynamodb-local.tmp.XXXXXX")
  if ! fetch_dynamodb_local "$work" "$want"; then
    rm -rf "$work"; return 1
  fi
  rm -rf "$DDB_HOME"
  mv "$work" "$DDB_HOME"
  log "dynamodb-local: installed DynamoDBLocal $(<"$DDB_HOME/INSTALLED") ($(find "$DDB_HOME/lib" -name '*.jar' | wc -l) jars) in $DDB_HOME"
}

# fetch_dynamodb_local WORKDIR VERSION: build a complete install tree in WORKDIR.
fetch_dynamodb_local() {
  local work=$1 want=$2
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.newsdedup</groupId>
  <artifactId>dynamodb-local-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>DynamoDBLocal</artifactId>
      <version>$want</version>
    </dependency>
  </dependencies>
</project>
EOF
  # Own local repo under the cache so a cold cache really is cold and CI can
  # cache one directory.
  if ! (cd "$work" && timeout "$INSTALL_TIMEOUT" mvn -B -ntp -Dstyle.color=never \
      -Dmaven.repo.local="$CACHE/m2" \
      "$MVN_DEPENDENCY_PLUGIN:copy-dependencies" \
      -DincludeScope=runtime -DoutputDirectory="$work/lib") >"$work/mvn.log" 2>&1; then
    log "dynamodb-local: mvn failed; last lines of its output:"
    tail -n 40 "$work/mvn.log" | sed 's/^/    /' >&2
    return 1
  fi
  rm -f "$work/mvn.log"

  local jar ver
  jar=$(find "$work/lib" -maxdepth 1 -name 'DynamoDBLocal-*.jar' | head -n1)
  [[ -n $jar ]] || { log "dynamodb-local: DynamoDBLocal jar missing after mvn"; return 1; }
  ver=$(basename "$jar" .jar); ver=${ver#DynamoDBLocal-}
  ln -s "$(basename "$jar")" "$work/lib/DynamoDBLocal.jar"

  # sqlite4java loads e.g. libsqlite4java-linux-amd64.so from
  # -Dsqlite4java.library.path; Maven names it with a version suffix, so put
  # unversioned copies in native/.
  mkdir -p "$work/native"
  local f base
  for f in "$work"/lib/*sqlite4java*.so "$work"/lib/*sqlite4java*.dylib "$work"/lib/*sqlite4java*.dll; do
    [[ -e $f ]] || continue
    base=$(basename "$f")
    base=$(sed -E 's/-[0-9][0-9.]*\.(so|dylib|dll)$/.\1/' <<<"$base")
    mv "$f" "$work/native/$base"
  done
  ls "$work/native"/libsqlite4java-linux-* >/dev/null 2>&1 \
    || { log "dynamodb-local: sqlite4java linux native lib missing"; return 1; }

  # Smoke test: the server class loads and parses its options.
  if ! timeout 60 java -cp "$work/lib/*" "$DDB_MAIN" -help >"$work/help.txt" 2>&1; then
    log "dynamodb-local: '$DDB_MAIN -help' failed:"; sed 's/^/    /' "$work/help.txt" >&2; return 1
  fi
  echo "$ver" >"$work/INSTALLED"
  rm -f "$work/help.txt"
}

# -------------------------------------------------------------------- sam
sam_ok() { [[ -x $SAM_VENV/bin/sam ]] && SAM_CLI_TELEMETRY=0 "$SAM_VENV/bin/sam" --version >/dev/null 2>&1; }

host_rie_arch() {
  case "$(uname -m)" in
    x86_64|amd64) echo x86_64 ;;
    aarch64|arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

install_sam() {
  if sam_ok; then
    log "sam: already installed ($(SAM_CLI_TELEMETRY=0 "$SAM_VENV/bin/sam" --version))"
  else
    local py=${PYTHON:-python3}
    command -v "$py" >/dev/null || { log "sam: '$py' not found"; return 1; }
    if [[ ! -x $SAM_VENV/bin/python ]] || ! "$SAM_VENV/bin/python" -c 'import sys' 2>/dev/null; then
      log "sam: creating venv $SAM_VENV with $("$py" --version 2>&1)"
      rm -rf "$SAM_VENV"
      timeout 300 "$py" -m venv "$SAM_VENV" || return 1
    fi
    log "sam: pip install $SAM_PIP_SPEC into $SAM_VENV"
    timeout "$INSTALL_TIMEOUT" "$SAM_VENV/bin/python" -m pip install \
      --disable-pip-version-check --no-input -q "$SAM_PIP_SPEC" || return 1
    sam_ok || { log "sam: 'sam --version' fails after install"; return 1; }
    log "sam: installed $(SAM_CLI_TELEMETRY=0 "$SAM_VENV/bin/sam" --version)"
  fi
  ln -sfn "$SAM_VENV/bin/sam" "$BIN_DIR/sam"

  # aws-lambda-rie ships inside the aws-sam-cli wheel (samcli/local/rapid/).
  local arch rie
  arch=$(host_rie_arch)
  rie=$(find "$SAM_VENV" -type f -name "aws-lambda-rie-$arch" 2>/dev/null | head -n1)
  [[ -n $rie ]] || rie=$(find "$SAM_VENV" -type f -name 'aws-lambda-rie' 2>/dev/null | head -n1)
  if [[ -z $rie ]]; then
    log "sam: aws-lambda-rie ($arch) not found inside $SAM_VENV"; return 1
  fi
  [[ -x $rie ]] || chmod +x "$rie"
  ln -sfn "$rie" "$BIN_DIR/aws-lambda-rie"
  log "sam: $BIN_DIR/aws-lambda-rie -> $rie"
}

# ------------------------------------------------------------------- moto
# moto_server stands in for SQS in the redrive integration test (and for
# DynamoDB or S3 when those cannot start). Its own venv, like the SAM CLI's,
# so neither pins the other's dependencies.
MOTO_VENV="$CACHE/moto-venv"
MOTO_PIP_SPEC="${MOTO_PIP_SPEC:-moto[server]==5.2.1}"
moto_ok() { [[ -x $MOTO_VENV/bin/moto_server ]] && "$MOTO_VENV/bin/python" -c 'import moto.server' 2>/dev/null; }

install_moto() {
  if moto_ok; then
    log "moto: already installed"
  else
    local py=${PYTHON:-python3}
    command -v "$py" >/dev/null || { log "moto: '$py' not found"; return 1; }
    rm -rf "$MOTO_VENV"
    timeout 300 "$py" -m venv "$MOTO_VENV" || return 1
    log "moto: pip install $MOTO_PIP_SPEC into $MOTO_VENV"
    timeout "$INSTALL_TIMEOUT" "$MOTO_VENV/bin/python" -m pip install -q "$MOTO_PIP_SPEC" || return 1
    moto_ok || { log "moto: moto_server missing after install"; return 1; }
  fi
  ln -sfn "$MOTO_VENV/bin/moto_server" "$BIN_DIR/moto_server"
}

# ------------------------------------------------------------------- main
main() {
  local comps=("$@") failed=() c t0 rc
  ((${#comps[@]})) || comps=(minio dynamodb-local sam moto)
  ensure_dirs
  for c in "${comps[@]}"; do
    case $c in
      minio|dynamodb-local|sam|moto) ;;
      *) die "unknown component '$c' (want: minio dynamodb-local sam moto)" ;;
    esac
    t0=$SECONDS
    rc=0
    "install_${c//-/_}" || rc=$?
    if ((rc)); then
      printf '\n*** ERROR: install of %s FAILED (exit %s) after %ss ***\n\n' "$c" "$rc" "$((SECONDS - t0))" >&2
      failed+=("$c")
    else
      log "$c: ok ($((SECONDS - t0))s)"
    fi
  done
  if ((${#failed[@]})); then
    printf '*** ERROR: failed components: %s ***\n' "${failed[*]}" >&2
    return 1
  fi
}

with_lock install main "$@"
