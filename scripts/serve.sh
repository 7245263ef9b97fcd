#!/usr/bin/env bash
# Sets up what the site needs, then serves it with live reload at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The published site lives below /aaw-ml-training/; the preview is at the root (README).
export SITE_URL=http://127.0.0.1:8000/
exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000 "$@"
