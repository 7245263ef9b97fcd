#!/usr/bin/env bash
# Checks every external link of the site (needs network; says so and fails without it).
# Options go to scripts/linkcheck.py, e.g. `scripts/linkcheck.sh --no-cache`; see its --help.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python scripts/linkcheck.py "$@"
