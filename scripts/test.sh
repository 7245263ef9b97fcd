#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup.sh --all), then runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k training` or `--update-examples`.
# The examples' environment (hash seed, time zone, locale, threads) is fixed by the harness
# itself, so `.venv/bin/pytest docs` gives the same verdicts as this script.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --all
# Python caches compiled modules (__pycache__/, ignored by git) even where the shell says not
# to: many tests start a pytest process of their own, and each would compile the harness and the
# test modules again (about a second each).
unset PYTHONDONTWRITEBYTECODE
# Two workers for the two cores (pytest-xdist); `-n 0` after it runs serially.
exec .venv/bin/python -m pytest -n 2 "$@"
