#!/usr/bin/env bash
# Install what is needed (tools/setup_env.sh) and run the test suite.
#   bash tools/run_tests.sh [pytest options]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$REPO_ROOT/tools/setup_env.sh"
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
cd "$REPO_ROOT"
exec "$PY" -m pytest "$@"
