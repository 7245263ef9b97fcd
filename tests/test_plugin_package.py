"""The example harness as a package: pytest-mkdocs-examples, installed from ./pytest-mkdocs-examples
into a new venv (no system site packages, not editable: what a wheel ships is what runs), finds
sites in every layout by their MkDocs config alone, runs their examples and fails them as here.

Fixture sites (tests/fixtures/plugin/): `folder-two-configs` is laid out like StatCan's AAW
documentation (mkdocs-en.yml over docs/en/, mkdocs-fr.yml over docs/fr/, code written in the
pages, no `#>` output); `folder-one-config` holds the same pages under one mkdocs.yml
(mkdocs-static-i18n, `docs_structure: folder`); `one-language` has no i18n plugin and an empty
pytest.ini. Ours, the
suffix layout, is tests/fixtures/harness/good."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from uv import find_uv_bin

from conftest import require_runtime

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PACKAGE = ROOT / "pytest-mkdocs-examples"
FIXTURES = TESTS / "fixtures"

pytestmark = pytest.mark.slow


def clean_env() -> dict[str, str]:
    """This process's environment without what points at the project's own venv."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


WHEELHOUSE = ROOT / ".cache" / "wheelhouse"  # filled by scripts/setup.sh --all


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory) -> Path:
    """A new venv holding the package (with its extras), built from a copy of its sources, and
    its dependencies at the project's pins (set-up's constraints: requirements.txt). uv
    installs them offline from the wheels scripts/setup.sh --all downloaded for these very
    pins: nothing is fetched here."""
    stamp = WHEELHOUSE / ".requirements.sha256"
    pins = hashlib.sha256((ROOT / "requirements.txt").read_bytes()
                          + (PACKAGE / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text().strip() != pins:
        require_runtime(f"the wheels in {WHEELHOUSE.relative_to(ROOT)} are missing or for other "
                        "pins than requirements.txt's: run scripts/setup.sh --all")
    folder = tmp_path_factory.mktemp("fresh")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
    package = shutil.copytree(PACKAGE, folder / "package",
                              ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    constraints = WHEELHOUSE / "constraints.txt"
    done = subprocess.run(
        [find_uv_bin(), "pip", "install", "--quiet", "--offline", "--no-index",
         "--find-links", str(WHEELHOUSE), "--python", str(python), "-c", str(constraints),
         f"pytest-mkdocs-examples[all] @ {package.as_uri()}",
         "matplotlib"],  # what the examples of tests/fixtures/harness/good import
        capture_output=True, text=True, env=clean_env(), timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python


def run_site(python: Path, fixture: Path, folder: Path, *args: str) -> dict[str, tuple[str, str]]:
    """nodeid -> (outcome, message) of a pytest run of a fixture site with the fresh venv."""
    shutil.copytree(fixture, folder, dirs_exist_ok=True)
    report = folder / "report.xml"
    subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}",
         "-o", "junit_family=xunit1", *args],  # xunit1 keeps each item's file
        cwd=folder, capture_output=True, text=True, env=clean_env(), timeout=600,
    )
    assert report.exists(), f"pytest did not run in {folder}"
    found = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                outcome, message = tag, (element.text or element.get("message", ""))
        found[f"{case.get('file')}::{case.get('name')}"] = (outcome, message)
    return found


def test_the_package_is_found_by_its_entry_point_only(fresh_python):
    done = subprocess.run(
        [str(fresh_python), "-c",
         "from importlib.metadata import entry_points as e;"
         "print([p.value for p in e(group='pytest11') if p.name == 'mkdocs_examples'])"],
        capture_output=True, text=True, env=clean_env(),
    )
    assert done.stdout.strip() == "['mkdocs_examples.plugin']", done.stdout + done.stderr
    where = subprocess.run([str(fresh_python), "-c", "import mkdocs_examples; print(mkdocs_examples.__file__)"],
                           capture_output=True, text=True, env=clean_env()).stdout
    assert str(ROOT) not in where, f"imported from the checkout, not the installed package: {where}"


@pytest.mark.parametrize("fixture", ["folder-two-configs", "folder-one-config"])
def test_folder_layout(fresh_python, tmp_path, fixture):
    """The same pages found, run and failed whether one config per language names each folder
    or one mkdocs.yml names them with mkdocs-static-i18n's `docs_structure: folder`."""
    found = run_site(fresh_python, FIXTURES / "plugin" / fixture, tmp_path)
    passed = sorted(n for n, (outcome, _) in found.items() if outcome == "passed")
    assert passed == [
        "docs/en/index.md::Bash", "docs/en/index.md::Python",
        "docs/fr/broken.md::same-includes-as-en",
        "docs/fr/index.md::Bash", "docs/fr/index.md::Python",  # inline code: run again
        "docs/fr/index.md::same-includes-as-en",
        "docs::orphan-snippets",
    ], found
    outcome, message = found["docs/en/broken.md::Python"]
    assert outcome == "failure"
    assert 'docs/en/broken.md, tab "Python": line 7' in message and "IndexError" in message
    assert "not reached after this failure: 1 block of docs/en/broken.md (line 10)" in message
    outcome, message = found["docs/fr/broken.md::Python"]
    assert outcome == "failure" and 'docs/fr/broken.md, tab "Python": line 7' in message


def test_one_language_site_with_no_configuration(fresh_python, tmp_path):
    found = run_site(fresh_python, FIXTURES / "plugin" / "one-language", tmp_path)
    assert found["docs/index.md::Python"][0] == "passed", found
    assert found["docs::orphan-snippets"][0] == "passed", found
    outcome, message = found["docs/broken.md::Python"]
    assert outcome == "failure" and "docs/broken.md: line 5" in message and "+#> 2" in message
    outcome, message = found["docs/broken.md::other-blocks"]
    assert outcome == "failure" and "docs/broken.md:8: fence language 'pyhton'" in message
    assert len(found) == 4, found


def test_our_suffix_layout_fixture_passes_in_the_fresh_venv(fresh_python, tmp_path):
    found = run_site(fresh_python, FIXTURES / "harness" / "good", tmp_path)
    assert len(found) == 12 and all(o == "passed" for o, _ in found.values()), found
