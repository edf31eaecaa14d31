#!/usr/bin/env bash
# Static checks of template.yaml, all offline:
#   1. cfn-lint prints nothing (warnings count as failures);
#   2. sam validate --lint (SAM transform + cfn-lint);
#   3. infra/iam_test/check_policies.py --self-test (least privilege, recursion
#      guard, TLS policies on the expanded template).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=infra/sam/lib.sh
. "$ROOT/infra/sam/lib.sh"
cd "$ROOT"

out="$("$(find_cfn_lint)" template.yaml 2>&1)" || true
if [[ -n "$out" ]]; then
  printf '%s\n' "$out" >&2
  die "cfn-lint template.yaml reported the above"
fi
log "cfn-lint: clean"

sam_offline validate --lint --template-file template.yaml

"$(find_py)" infra/iam_test/check_policies.py --self-test template.yaml
