"""Shared fixtures: paths of the project and one strict build of the site per test session."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
LANGUAGES = ("en", "fr")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Browser checks: Debian's Chromium, and axe-core as the PyPI package axe-playwright-python
# ships it (a pinned requirement), so no Node is needed.
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Build a site with --strict; returns the finished process (check .returncode, .stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=ROOT,  # pymdownx.snippets resolves its base_path (snippets/) from the working folder
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once with --strict; a failing build fails every test that needs it."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}", pytrace=False)
    return site
