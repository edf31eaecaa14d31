#!/usr/bin/env bash
# Regenerates events/*.json from `sam local generate-event` (offline), then
# sets the fields newsdedup cares about. Run from anywhere:
#   infra/sam/gen-events.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=infra/sam/lib.sh
. "$ROOT/infra/sam/lib.sh"
command -v jq >/dev/null || die "jq is required"
OUT="$ROOT/events"
BUCKET=newsdedup-uploads             # the local emulator's bucket (infra/local/lib.sh)
KEY=incoming/2024-01-02/001_185a73e93ce09b0f.txt
SEED="$ROOT/testdata/seeds/001_185a73e93ce09b0f.txt"
SIZE=$(wc -c <"$SEED" | tr -d ' ')
ETAG=$(md5sum "$SEED" | cut -d' ' -f1)  # single-part upload: the ETag is the MD5

gen() { sam_offline local generate-event "$@"; }

# ObjectCreated:Put of a seed article.
gen s3 put --bucket "$BUCKET" --key "$KEY" | jq --argjson size "$SIZE" --arg etag "$ETAG" '
  .Records[0].eventTime = "2024-01-02T08:15:30.000Z"
  | .Records[0].s3.object.size = $size
  | .Records[0].s3.object.eTag = $etag
  | .Records[0].s3.object.sequencer = "00659F6B92A1C3D4E5"' >"$OUT/s3-put.json"

# The same key deleted later: its sequencer is larger, so it wins.
gen s3 delete --bucket "$BUCKET" --key "$KEY" | jq '
  .Records[0].eventTime = "2024-01-02T09:00:00.000Z"
  | .Records[0].s3.object.sequencer = "00659F7622B7E8F901"' >"$OUT/s3-delete.json"

# Keys arrive URL-encoded the way S3 does it (form encoding: space as "+",
# "+" as "%2B"): this is "incoming/2024-01-02/wire copy+update.txt".
# generate-event encodes --key itself, with a space as "%20", which is not
# what S3 sends, so the key is set afterwards.
gen s3 put --bucket "$BUCKET" --key incoming/placeholder | jq --argjson size "$SIZE" --arg etag "$ETAG" '
  .Records[0].eventTime = "2024-01-02T08:20:00.000Z"
  | .Records[0].s3.object.key = "incoming/2024-01-02/wire+copy%2Bupdate.txt"
  | .Records[0].s3.object.size = $size
  | .Records[0].s3.object.eTag = $etag
  | .Records[0].s3.object.sequencer = "00659F6CBC0D1E2F30"' >"$OUT/s3-put-encoded-key.json"

# What the ClusterFunction schedule delivers (its Input in template.yaml), in
# the shape of an EventBridge "Scheduled Event".
gen cloudwatch scheduled-event | jq '
  .id = "d32c5kddcf5bb8c3"
  | .source = "aws.scheduler"
  | .time = "2024-01-03T03:00:00Z"
  | .resources = ["arn:aws:scheduler:us-east-1:123456789012:schedule/default/newsdedup-ClusterFunctionDaily-1A2B3C4D5E6F"]
  | .detail = {"attempt": "1"}' >"$OUT/schedule.json"

log "wrote $(cd "$OUT" && ls ./*.json | tr '\n' ' ')"
