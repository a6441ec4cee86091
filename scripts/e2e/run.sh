#!/usr/bin/env bash
# Real-editor end-to-end tests: installs what they need (scripts/e2e/setup.sh, seconds when already there),
# builds, then runs test/e2e/*.test.ts one file at a time (two of them start code-server).
#   scripts/e2e/run.sh                         every e2e test
#   scripts/e2e/run.sh test/e2e/neovim.test.ts  some of them
# Artifacts (code-server, browser and VS Code logs, failure screenshots) stay in $E2E_CACHE/runs/.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
bash scripts/e2e/setup.sh
# shellcheck source=env.sh
source scripts/e2e/env.sh

# Keep the 20 newest run folders (each holds a code-server profile and logs).
if [ -d "$E2E_CACHE/runs" ]; then
  find "$E2E_CACHE/runs" -mindepth 1 -maxdepth 1 -printf '%T@ %p\n' | sort -rn | tail -n +21 | cut -d' ' -f2- \
    | while IFS= read -r old; do rm -rf -- "$old"; done
fi

if [ $# -eq 0 ]; then set -- test/e2e/*.test.ts; fi
start=$(date +%s)
status=0
E2E=1 node --import tsx --test --test-concurrency=1 --test-reporter=spec "$@" || status=$?
echo "[e2e] tests finished in $(( $(date +%s) - start ))s (exit $status); logs under $E2E_CACHE/runs/"
exit $status
