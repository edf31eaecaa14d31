# shellcheck shell=bash
# Shared helpers for infra/sam/*.sh. Source it, don't run it.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
CACHE="${NEWSDEDUP_CACHE:-$HOME/.cache/newsdedup}"
SAM_VENV="$CACHE/sam-venv"          # installed by infra/local/install.sh

log() { printf '[sam] %s\n' "$*" >&2; }
die() { printf '[sam] ERROR: %s\n' "$*" >&2; exit 1; }

# find_sam: $SAM, else the project venv's sam, else sam on PATH.
find_sam() {
  if [[ -n "${SAM:-}" ]]; then printf '%s\n' "$SAM"; return; fi
  if [[ -x "$SAM_VENV/bin/sam" ]]; then printf '%s\n' "$SAM_VENV/bin/sam"; return; fi
  command -v sam || die "AWS SAM CLI not found: run infra/local/install.sh (or set SAM=/path/to/sam)"
}

# find_py: a python that can import samtranslator (the SAM venv's, else python3).
find_py() {
  if [[ -x "$SAM_VENV/bin/python" ]]; then printf '%s\n' "$SAM_VENV/bin/python"; return; fi
  command -v python3 || die "python3 not found"
}

# find_cfn_lint: cfn-lint on PATH, else the one the SAM venv brings.
find_cfn_lint() {
  if command -v cfn-lint >/dev/null; then command -v cfn-lint; return; fi
  if [[ -x "$SAM_VENV/bin/cfn-lint" ]]; then printf '%s\n' "$SAM_VENV/bin/cfn-lint"; return; fi
  die "cfn-lint not found (pip install cfn-lint, or infra/local/install.sh)"
}

# sam_offline ARGS...: run sam for commands that need no AWS account
# (validate, build, local generate-event): no telemetry, a fixed default
# region so nothing asks for one, no instance-metadata lookups.
sam_offline() {
  local sam
  sam="$(find_sam)"
  env SAM_CLI_TELEMETRY=0 \
      AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${AWS_REGION:-us-east-1}}" \
      AWS_EC2_METADATA_DISABLED=true \
      "$sam" "$@"
}
