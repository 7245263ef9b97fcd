#!/usr/bin/env bash
# Installs everything the site and its tests need, idempotently.
#   scripts/setup.sh          Python packages only (enough to build and serve the site)
#   scripts/setup.sh --all    also Debian packages (R, Chromium, hunspell) and npm packages
# Debian packages are installed only when running as root; otherwise missing ones are named.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: R and its libraries for the R examples and notebooks, Chromium for the
# browser tests, hunspell dictionaries for the spelling check.
DEBIAN_PACKAGES=(
  r-base-core r-cran-tidyverse r-cran-caret r-cran-randomforest r-cran-palmerpenguins
  r-cran-snakecase r-cran-irkernel
  r-cran-jsonlite  # the example harness's R driver reports results as JSON
  chromium
  hunspell hunspell-fr hunspell-en-ca
)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

python_packages() {
  local stamp=.venv/.requirements.sha256
  local want; want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    python3 -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages from requirements.txt"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages (install them as root): ${missing[*]}"
    say "  sudo apt-get install ${missing[*]}"
  fi
}

npm_packages() {
  # Browser tests drive Debian's Chromium with playwright-core and inject axe-core.
  if [ -f tests/browser/package-lock.json ] && [ ! -d tests/browser/node_modules ]; then
    say "installing npm packages for the browser tests"
    (cd tests/browser && npm ci --silent --no-audit --no-fund)
  fi
}

jupyter_kernels() {
  # The R notebooks run on IRkernel; register it where the venv's Jupyter looks.
  if command -v R >/dev/null && [ ! -d .venv/share/jupyter/kernels/ir ]; then
    say "registering the R Jupyter kernel"
    PATH="$PWD/.venv/bin:$PATH" R --quiet --no-save -e \
      "IRkernel::installspec(prefix='$PWD/.venv', verbose=FALSE)" >/dev/null
  fi
}

python_packages
if [ "${1:-}" = "--all" ]; then
  debian_packages
  npm_packages
  jupyter_kernels
fi
