#!/usr/bin/env bash
# Screenshot an HTML page with headless Chromium (Debian's package), the way
# a reader sees it. Usage: scripts/screenshot.sh PAGE.html OUT.png [WIDTHxHEIGHT]
set -euo pipefail
page=$(realpath "$1"); png=$2; size=${3:-1280,2400}
if ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium" >&2
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
profile=$(mktemp -d); trap 'rm -rf "$profile"' EXIT
# No network: background services are off so Chromium does not try to call out.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" --window-size="$size" \
  --screenshot="$(realpath -m "$png")" "file://$page" 2>/dev/null
echo "wrote $png"
