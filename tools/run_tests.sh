#!/usr/bin/env bash
# Install what is needed (tools/setup_env.sh) and run the test suite.
#   bash tools/run_tests.sh [pytest options]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO_ROOT/tools/setup_env.sh"
# The browser test of the demo drives Debian's chromium; its test is skipped without it.
if ! command -v chromium >/dev/null 2>&1 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "[run_tests] installing chromium for the demo's browser test (apt-get)"
    { apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }; } ||
        echo "[run_tests] chromium could not be installed: the browser test will be skipped"
fi
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
cd "$REPO_ROOT"
exec "$PY" -m pytest "$@"
