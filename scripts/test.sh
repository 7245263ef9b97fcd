#!/usr/bin/env bash
# Sets up everything (Python, Debian and npm packages), then runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k training` or `--update-examples`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
export TZ=UTC
exec .venv/bin/python -m pytest "$@"
