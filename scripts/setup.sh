#!/usr/bin/env bash
# Installs everything the site and its tests need, idempotently, on a minimal Debian 12.
#   scripts/setup.sh          what building and serving the site needs (Python packages)
#   scripts/setup.sh --all    also what the tests need: R and its packages, Chromium, the
#                             figures' font, hunspell dictionaries, the fr_CA locale
# As root, missing Debian packages are installed. Otherwise every missing one is named and
# set-up stops (exit 1) before anything runs: a half-installed machine gives false verdicts.
# Another distribution (Ubuntu, an AAW JupyterLab image): see README, "Other machines".
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
MIN_PYTHON=3.11  # numpy 2.4 and scikit-learn 1.9 need it; Debian 12's own 3.11.2 is enough

# Debian packages, by what needs them.
SITE_PACKAGES=(python3 python3-venv)
TEST_PACKAGES=(
  # R examples and notebooks (Debian's builds: CRAN is out of reach), plumber for step 6
  r-base-core r-cran-tidyverse r-cran-caret r-cran-randomforest r-cran-palmerpenguins
  r-cran-snakecase r-cran-irkernel r-cran-svglite r-cran-plumber
  curl  # step 6: the page's example request to the prediction services
  r-cran-jsonlite  # the example harness's R driver reports results as JSON
  # the font every figure names (its metrics place the text), so figures are the same bytes
  fonts-dejavu-core fontconfig
  chromium  # browser tests (Playwright drives Debian's build; axe-core comes from PyPI)
  libatomic1  # linked by the Node binary inside the playwright wheel (its driver)
  hunspell hunspell-fr hunspell-en-ca  # spelling check of both languages
  locales  # fr_CA.UTF-8, for the test that examples do not depend on the reader's locale
)
LOCALES=(fr_CA.UTF-8)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

missing_debian_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

debian_packages() {
  command -v dpkg-query >/dev/null || {
    say "not a Debian system: install the equivalents of these yourself (README, Other machines):"
    say "  $*"
    return 0
  }
  local missing
  mapfile -t missing < <(missing_debian_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${missing[*]}"
    say "install them, then run this again:"
    say "  sudo apt-get install --no-install-recommends ${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null
}

locales_generated() {
  local wanted missing=()
  for wanted in "${LOCALES[@]}"; do
    locale -a 2>/dev/null | grep -qix "${wanted/UTF-8/utf8}" || missing+=("$wanted")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || [ ! -f /etc/locale.gen ]; then
    say "missing locales: ${missing[*]} (as root: enable them in /etc/locale.gen, run locale-gen)"
    exit 1
  fi
  say "generating locales: ${missing[*]}"
  for wanted in "${missing[@]}"; do
    sed -i "s/^# *\(${wanted} \)/\1/" /etc/locale.gen
    grep -q "^${wanted} " /etc/locale.gen || echo "${wanted} UTF-8" >> /etc/locale.gen
  done
  locale-gen >/dev/null
}

python_version() {
  command -v "$PYTHON" >/dev/null || { say "no $PYTHON: install Python >= $MIN_PYTHON"; exit 1; }
  "$PYTHON" - "$MIN_PYTHON" <<'EOF' || exit 1
import sys
need = tuple(int(n) for n in sys.argv[1].split("."))
if sys.version_info[:2] < need:
    sys.exit(f"[setup] Python >= {sys.argv[1]} is needed; {sys.executable} is {sys.version.split()[0]}")
EOF
}

python_packages() {
  local stamp=.venv/.requirements.sha256 want
  # The example harness (./pytest-mkdocs-examples, installed editable by requirements.txt):
  # a change of its dependencies or entry points needs a new install too.
  want=$(cat requirements.txt pytest-mkdocs-examples/pyproject.toml | sha256sum | cut -d" " -f1)
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages from requirements.txt"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

wheelhouse() {
  # tests/test_plugin_package.py installs the harness into a new venv with uv, offline, from
  # these wheels: its dependencies at the project's pins, and setuptools to build it. pip
  # downloads them here, once per change of the pins, with this machine's index settings.
  local stamp=.cache/wheelhouse/.requirements.sha256 want
  want=$(cat requirements.txt pytest-mkdocs-examples/pyproject.toml | sha256sum | cut -d" " -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "downloading the wheels of the package test into .cache/wheelhouse"
    rm -rf .cache/wheelhouse
    mkdir -p .cache/wheelhouse
    # The pins, for the test's install too: requirements.txt without its editable line.
    grep -v -e '^-e' -e '^#' requirements.txt > .cache/wheelhouse/constraints.txt
    .venv/bin/python -m pip download --quiet --disable-pip-version-check \
      --dest .cache/wheelhouse --only-binary=:all: -c .cache/wheelhouse/constraints.txt \
      "./pytest-mkdocs-examples[all]" matplotlib setuptools
    echo "$want" > "$stamp"
  fi
}

jupyter_kernels() {
  # The R notebooks run on IRkernel; register it where the venv's Jupyter looks.
  if [ ! -d .venv/share/jupyter/kernels/ir ]; then
    say "registering the R Jupyter kernel"
    PATH="$PWD/.venv/bin:$PATH" R --quiet --no-save -e \
      "IRkernel::installspec(prefix='$PWD/.venv', verbose=FALSE)" >/dev/null
  fi
}

if [ "${1:-}" = "--all" ]; then
  # Everything is checked before anything is installed, so that a user without root learns
  # the whole list at once.
  debian_packages "${SITE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  locales_generated
  python_version
  python_packages
  wheelhouse
  jupyter_kernels
else
  debian_packages "${SITE_PACKAGES[@]}"
  python_version
  python_packages
fi
