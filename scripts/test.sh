#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup.sh --all), then runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k training` or `--update-examples`.
# The examples' environment (hash seed, time zone, locale, threads) is fixed by the harness
# itself, so `.venv/bin/pytest docs` gives the same verdicts as this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
# Two workers for the two cores (pytest-xdist); `-n 0` after it runs serially.
exec .venv/bin/python -m pytest -n 2 "$@"
