#!/usr/bin/env bash
# Sets up everything (Python, Debian and npm packages), then runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k training` or `--update-examples`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
export TZ=UTC
# Python examples run inside pytest: its hash seed must be fixed before it starts (set order).
export PYTHONHASHSEED=0
# Two workers for the two cores (pytest-xdist); `-n 0` after it runs serially.
exec .venv/bin/python -m pytest -n 2 "$@"
