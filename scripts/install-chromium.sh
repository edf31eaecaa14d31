#!/usr/bin/env bash
# Install Debian's chromium for the browser test of the report
# (cmd/newsdedup TestReportInChromium), unless it is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-chromium.sh: chromium is missing and installing it needs root (apt-get install -y chromium)" >&2
  exit 1
fi
echo "install-chromium.sh: installing Debian's chromium" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
