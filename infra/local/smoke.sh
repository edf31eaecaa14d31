#!/usr/bin/env bash
# Smoke test for the local emulators: up.sh (reuses running ones), then an
# S3 put/get and a DynamoDB put/get through the aws CLI using only the
# exported environment. Leaves the emulators running; run down.sh after.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=smoke

eval "$("$HERE/up.sh")"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL

aws_() { timeout 60 aws --cli-read-timeout 20 --cli-connect-timeout 5 "$@"; }

key="smoke/$$-$RANDOM"
body="newsdedup smoke $key"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for b in "$UPLOADS_BUCKET" "$REPORTS_BUCKET"; do
  printf '%s' "$body" >"$tmp"
  aws_ s3api put-object --bucket "$b" --key "$key" --body "$tmp" >/dev/null
  aws_ s3api get-object --bucket "$b" --key "$key" "$tmp" >/dev/null
  [[ $(<"$tmp") == "$body" ]] || die "S3 round trip through $b returned '$(<"$tmp")'"
  aws_ s3api delete-object --bucket "$b" --key "$key" >/dev/null
  log "s3 ok: $b"
done

item=$(printf '{"pk":{"S":"%s"},"body":{"S":"%s"}}' "$key" "$body")
aws_ dynamodb put-item --table-name "$TABLE_NAME" --item "$item"
got=$(aws_ dynamodb get-item --table-name "$TABLE_NAME" --consistent-read \
        --key "{\"pk\":{\"S\":\"$key\"}}" --query 'Item.body.S' --output text)
[[ $got == "$body" ]] || die "DynamoDB round trip returned '$got'"
aws_ dynamodb delete-item --table-name "$TABLE_NAME" --key "{\"pk\":{\"S\":\"$key\"}}"
log "dynamodb ok: $TABLE_NAME"

log "all good ($NEWSDEDUP_EMULATORS)"
