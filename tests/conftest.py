"""Shared fixtures: paths of the project and one strict build of the site per test session."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_examples import support
from mkdocs_examples.page import Page, read_page

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
# The site as the example harness reads it from mkdocs.yml: languages (default first), page
# URLs, site_url, pymdownx.snippets' options.
SITE = support.site(ROOT)
LANGUAGES = tuple([SITE.default.code] + [c for c in SITE.codes if c != SITE.default.code])
# A runtime a test needs is missing: fails under --mkdocs-examples-require-runtimes (or CI=true),
# else a skip with its reason (listed by -ra).
require_runtime = support.require_runtime


# Headless Chromium (Debian's build, started as mkdocs_examples.support starts it) and axe-core
# (as the PyPI package axe-playwright-python ships it, a pinned requirement: no Node), for the
# browser and notebook-page checks.
CHROMIUM = support.CHROMIUM
_AXE = importlib.util.find_spec("axe_playwright_python")
AXE_JS = Path(_AXE.origin).parent / "axe.min.js" if _AXE else Path("axe-playwright-python/axe.min.js")


def load_hook(name: str):
    """A hook of overrides/hooks/, loaded as MkDocs loads it (its folder on the path, so that it
    can import disk_cache.py beside it)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(Path(spec.origin).parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def require_browser() -> None:
    """Chromium and axe-core, or require_runtime() says what is missing."""
    missing = [what for what, path in (
        (f"Chromium ({CHROMIUM}; Debian package chromium)", CHROMIUM),
        (f"axe-core ({AXE_JS}; pip package axe-playwright-python)", AXE_JS),
    ) if not path.is_file()]
    if missing:
        require_runtime("browser checks cannot run, missing: " + "; ".join(missing))


@functools.cache
def read(page: Path) -> Page:
    """A page as the harness reads it: blocks with tab, language, attributes, includes expanded
    by pymdownx.snippets, every line with its file and line."""
    return read_page(page, SITE.snippets, ROOT)


def pages_including(snippet: Path) -> list[tuple[Path, int, str | None]]:
    """(page, page line, tab) of every include of `snippet`, in every language."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        found += [(page, line, tab) for line, tab in read(page).includers_of(snippet)]
    return found


def mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Build a site with --strict; returns the finished process (check .returncode, .stderr)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=ROOT,  # pymdownx.snippets resolves its base_path (snippets/) from the working folder
    )


# --- what is done once per run, whatever the number of xdist workers -------------------------

@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this run's that all its xdist workers share (a worker's base temporary
    folder, popen-gwN, lies in the run's), for what is done once per run."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    folder.mkdir(exist_ok=True)
    return folder


def once_per_run(shared: Path, what: str, make):
    """make()'s JSON-able result, computed by the first process of the run that asks (under a
    file lock, so that another xdist worker waits for it rather than doing it again), read back
    by the others. A failing make() stores nothing: the next one to ask tries again."""
    file = shared / (hashlib.sha256(what.encode()).hexdigest()[:24] + ".json")
    with open(file.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if file.is_file():
            return json.loads(file.read_text(encoding="utf-8"))["result"]
        result = make()
        file.write_text(json.dumps({"what": what, "result": result}), encoding="utf-8")
        return result


@pytest.fixture(scope="session")
def built_site(run_folder: Path) -> Path:
    """The real site, built once per run with --strict (the workers share it: no test changes
    it, a broken site is a copy); a failing build fails every test that needs it."""
    site = run_folder / "site"

    def build() -> str:  # what failed, if anything
        result = mkdocs_build(ROOT / "mkdocs.yml", site)
        return result.stderr if result.returncode else ""

    failure = once_per_run(run_folder, "the site, built with --strict", build)
    if failure:
        pytest.fail(f"mkdocs build --strict failed:\n{failure}", pytrace=False)
    return site


# --- the browser checks (tests/test_browser.py, tests/test_notebooks.py) ------------------------
# One Chromium and one served copy of the built site per session (per xdist worker), and one
# visit per page for the whole run: what a visit finds is stored in the run's shared folder
# (once_per_run), so a page that tests on both workers read is loaded and checked
# by axe once.

# The checks of tests/test_browser.py that read a page's visit.
VISIT_CHECKS = ("test_no_accessibility_violations", "test_no_request_to_another_host_and_none_failed",
                "test_no_console_errors", "test_copy_button_copies_the_snippet_without_markers",
                "test_language_switcher_leads_to_counterpart_keeping_anchor")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser checks that read one page's visit, together where the first of them was and
    ordered page by page (the same order in every xdist worker, as xdist requires): see
    test_browser.in_visit_order."""
    positions = [i for i, item in enumerate(items)
                 if item.path.name == "test_browser.py" and getattr(item, "originalname", "") in VISIT_CHECKS]
    if positions:
        from test_browser import in_visit_order

        ordered = in_visit_order([items[i] for i in positions])
        for i in reversed(positions):
            del items[i]
        items[positions[0]:positions[0]] = ordered


@pytest.fixture(scope="session")
def summary(request):
    """What the browser checks cost, printed at the end of the run (test_browser.BrowserSummary)."""
    from test_browser import BrowserSummary

    plugin = BrowserSummary()
    request.config.pluginmanager.register(plugin, "browser-summary")
    return plugin


@pytest.fixture(scope="session")
def browser(summary):
    """Headless Chromium (Debian's), started once per session (per worker)."""
    from test_browser import start_browser

    with start_browser(summary) as chromium:
        yield chromium


@pytest.fixture(scope="session")
def site(built_site) -> str:
    """The built site, served as GitHub Pages serves it (under the path of site_url)."""
    from test_browser import site_prefix

    with support.serve(built_site, site_prefix(built_site)) as base:
        yield base


@pytest.fixture(scope="session")
def site_visit(browser, site, summary, run_folder):
    """path -> test_browser.Visit: each page of the real site loaded once per run, on first use,
    and checked (axe light, dark and phone; requests; console; copy buttons; language switcher);
    a screenshot of each."""
    import shutil

    from test_browser import SCREENSHOTS, page_visits

    def clear() -> bool:  # once per run, before any worker takes a screenshot
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        return True

    once_per_run(run_folder, "clear the screenshots", clear)
    context, get = page_visits(browser, site, summary, run_folder)
    yield get
    context.close()
