"""What makes the build and live reload fast must never serve or publish a stale page.

- `mkdocs serve`, started on a copy of the project: saving a snippet updates every page that
  includes it, in both languages (overrides/hooks/page_cache.py converts again exactly the
  pages whose snippets changed); editing one page's prose updates that page;
- a build from warm caches (.cache/: notebooks, pages, search entries, templates) publishes
  the same bytes as a build with every cache off, and so does the build that filled them
  (every page converted);
- a warm build imports neither nbconvert nor jupytext (overrides/hooks/notebook_render.py);
- the trimmed stylesheets (overrides/hooks/stylesheets.py: the notebook pages' and Material's
  palette) give every element of a page the computed style the full ones give it, in Chromium.

Each check also runs on a deliberately broken variant (a page cache blind to snippets, a
poisoned cache entry, an eager import, a lost CSS rule) and must fail there with a readable
message.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, SNIPPETS, load_hook, pages_including
from mkdocs_examples.support import fetch, free_port, serve

PROJECT = ("mkdocs.yml", "docs", "overrides", "snippets")
SNIPPET = "training/python/step1_libraries.py"
CACHES_OFF = {name: "off" for name in ("NOTEBOOK_CACHE", "PAGE_CACHE", "SEARCH_CACHE", "JINJA_CACHE",
                                       "MEMORY_CACHE")}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# What .cache/ holds besides the build's caches: set-up's wheels (91 MB), trained models.
NOT_BUILD_CACHES = ("wheelhouse", "trained")

pytestmark = pytest.mark.slow


def copy_project(dest: Path, warm: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, dest / name)
    if warm and (ROOT / ".cache").is_dir():  # a warm start, as on an author's machine
        shutil.copytree(ROOT / ".cache", dest / ".cache",
                        ignore=shutil.ignore_patterns("*.tmp", *NOT_BUILD_CACHES))
    return dest


def pages_showing(snippet: str) -> list[str]:
    """URLs (below the site root) of the pages that include the snippet (the page model's
    includes, the files pymdownx.snippets finds)."""
    urls = []
    for page in sorted({page for page, _, _ in pages_including(SNIPPETS / snippet)}):
        name, lang = page.name.split(".")[:2]
        prefix = "" if lang == "en" else f"{lang}/"
        urls.append(prefix if name == "index" else f"{prefix}{name}/")
    return urls


@contextmanager
def serving(project: Path):
    """`mkdocs serve` on a free 127.0.0.1 port, as scripts/serve.sh runs it; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = project / "serve.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env={**ENV, "SITE_URL": base}, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while "</html>" not in fetch(base):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"mkdocs serve did not start:\n{log.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def reload_problems(base: str, urls: list[str], token: str, after: str, timeout: float) -> list[str]:
    """Every URL serves the token within `timeout` seconds; the others are named."""
    waiting = set(urls)
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        waiting = {url for url in waiting if token not in fetch(base + url)}
        time.sleep(0.05)
    return [f"/{url}: still served without the change {timeout:g} s after {after}"
            for url in sorted(waiting)]


def edit(project: Path, relative: str) -> str:
    """Saves a change to a page or snippet; returns the token it added."""
    path = project / relative
    token = f"reload_token_{time.time_ns()}"
    text = path.read_text(encoding="utf-8")
    if relative.endswith(".md"):
        path.write_text(text.replace("\n\n", f"\n\n{token}\n\n", 1), encoding="utf-8")
    else:
        path.write_text(text + f"# {token}\n", encoding="utf-8")
    return token


def edit_and_check(project: Path, base: str, relative: str, urls: list[str], timeout: float):
    return reload_problems(base, urls, edit(project, relative), f"saving {relative}", timeout)


def test_a_saved_snippet_updates_every_page_that_includes_it(tmp_path):
    project = copy_project(tmp_path / "project")
    urls = pages_showing(SNIPPET)
    assert {"training/", "fr/training/"} <= set(urls), urls
    with serving(project) as base:
        time.sleep(0.5)  # let the watcher take its first look
        problems = edit_and_check(project, base, f"snippets/{SNIPPET}", urls, timeout=30)
        assert not problems, "\n".join(problems)
        # and again: the second save must not be served from the first one's cache
        problems = edit_and_check(project, base, f"snippets/{SNIPPET}", urls, timeout=30)
        assert not problems, "\n".join(problems)
        problems = edit_and_check(project, base, "docs/argo.fr.md", ["fr/argo/"], timeout=30)
        assert not problems, "\n".join(problems)


def test_reload_check_fails_with_a_page_cache_blind_to_snippets(tmp_path):
    project = copy_project(tmp_path / "project")
    hook = project / "overrides" / "hooks" / "page_cache.py"
    text = hook.read_text(encoding="utf-8")
    blind = re.sub(r'(def included_snippets\(.*?\n    """.*?"""\n)', r"\1    return []\n", text,
                   count=1, flags=re.DOTALL)
    assert blind != text, "cannot break page_cache.py: included_snippets() not found"
    hook.write_text(blind, encoding="utf-8")
    with serving(project) as base:
        time.sleep(0.5)
        # Judged once the rebuild that followed the save is served (mkdocs serve logs it),
        # rather than after a long wait.
        log = project / "serve.log"
        reloads = log.read_text().count("Reloading browsers")
        token = edit(project, f"snippets/{SNIPPET}")
        deadline = time.monotonic() + 60
        while log.read_text().count("Reloading browsers") == reloads:
            assert time.monotonic() < deadline, f"mkdocs serve did not rebuild:\n{log.read_text()[-3000:]}"
            time.sleep(0.05)
        problems = reload_problems(base, ["training/", "fr/training/"], token,
                                   f"the rebuild that followed saving snippets/{SNIPPET}", timeout=1)
    assert "/fr/training/: still served without the change 1 s after the rebuild that followed " \
           f"saving snippets/{SNIPPET}" in problems, problems
    assert any(p.startswith("/training/: still served without") for p in problems), problems


# --- warm builds publish what cold builds publish ------------------------------------------

def build(project: Path, site: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env={**ENV, **(env or {})}, capture_output=True, text=True, check=False)


def site_differences(one: Path, other: Path) -> list[str]:
    """Files that differ, or exist on one side only, between two built sites."""
    problems = []

    def walk(comparison: filecmp.dircmp, where: str) -> None:
        for name in comparison.left_only + comparison.right_only:
            problems.append(f"{where}{name}: in one build only")
        _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right,
                                               comparison.common_files, shallow=False)
        problems.extend(f"{where}{name}: differs between the cached and the uncached build"
                        for name in mismatch + errors)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return sorted(problems)


@pytest.fixture(scope="module")
def cold_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("cold") / "project", warm=False)
    site = project.parent / "site"
    result = build(project, site, CACHES_OFF)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def warmed_project(tmp_path_factory) -> Path:
    """A copy of the project whose first build, from empty caches, filled them (tests copy it)."""
    project = copy_project(tmp_path_factory.mktemp("warmed") / "project", warm=False)
    result = build(project, project.parent / "site")
    assert result.returncode == 0, f"the build that fills the caches: {result.stderr}"
    assert list((project / ".cache" / "pages").glob("*.json")), "the page cache stayed empty"
    return project


def copy_of(project: Path, dest: Path) -> Path:
    return Path(shutil.copytree(project, dest, symlinks=True))


def test_a_warm_build_publishes_what_a_cold_build_publishes(cold_site, warmed_project, tmp_path):
    project = copy_of(warmed_project, tmp_path / "project")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, f"the build that reads the caches: {result.stderr}"
    problems = site_differences(tmp_path / "site", cold_site)
    # And the build that filled them, which converted every page.
    problems += [f"(the build that filled the caches) {problem}"
                 for problem in site_differences(warmed_project.parent / "site", cold_site)]
    assert not problems, "\n".join(problems)


def test_site_comparison_fails_on_a_poisoned_cache(cold_site, warmed_project, tmp_path):
    # In another folder: the entries are keyed by contents and project-relative names.
    project = copy_of(warmed_project, tmp_path / "project")
    for entry in (project / ".cache" / "pages").glob("*.json"):  # what a wrong key would serve
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("Argo", "Agro"), encoding="utf-8")
    assert build(project, tmp_path / "site").returncode == 0
    problems = site_differences(tmp_path / "site", cold_site)
    assert "argo/index.html: differs between the cached and the uncached build" in problems, problems
    assert "fr/argo/index.html: differs between the cached and the uncached build" in problems, problems


IMPORTS = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config("mkdocs.yml", site_dir=sys.argv[1])
config.plugins.on_startup(command="build", dirty=False)
build(config)
print(" ".join(sorted(m for m in ("nbconvert", "jupytext", "nbformat") if m in sys.modules
      and type(sys.modules[m]).__name__ == "module")))
"""


def heavy_imports(project: Path, site: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-c", IMPORTS, str(site)], cwd=project, env=ENV,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def import_problems(project: Path, site: Path) -> list[str]:
    return [f"a build with unchanged notebooks imported {name} (it costs ~1 s)"
            for name in heavy_imports(project, site)]


def test_a_warm_build_imports_no_notebook_converter(warmed_project, tmp_path):
    project = copy_of(warmed_project, tmp_path / "project")
    problems = import_problems(project, tmp_path / "site")
    assert not problems, "\n".join(problems)


def test_import_check_fails_when_the_converter_is_imported_eagerly(warmed_project, tmp_path):
    project = copy_of(warmed_project, tmp_path / "project")
    hook = project / "overrides" / "hooks" / "notebook_render.py"
    text = hook.read_text(encoding="utf-8")
    eager = text.replace('_deferred_module("mkdocs_jupyter.convert")', "import mkdocs_jupyter.convert")
    assert eager != text, "cannot break notebook_render.py: the deferred import is not there"
    hook.write_text(eager, encoding="utf-8")
    problems = import_problems(project, tmp_path / "site")
    assert "a build with unchanged notebooks imported nbconvert (it costs ~1 s)" in problems, problems


# --- the trimmed stylesheets style every element as the full ones -------------------------

PROPERTIES = ["color", "background-color", "font-family", "font-size", "font-weight",
              "line-height", "display", "position", "float", "opacity", "visibility",
              "margin-top", "margin-left", "padding-top", "padding-left", "border-top-width",
              "border-top-style", "border-top-color", "white-space", "overflow-x", "text-align",
              "text-decoration-line", "flex-basis", "width", "cursor"]
# As one JSON string: Playwright's transfer of the nested arrays took five times as long.
STYLES = """properties => JSON.stringify([...document.querySelectorAll('body *')].map(e => [
  e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim()
    ? '.' + e.className.trim().split(/\\s+/).join('.') : ''),
  properties.map(p => getComputedStyle(e).getPropertyValue(p))]))"""


STYLES_SEEN: dict[tuple[Path, str, str], tuple[str, list]] = {}


def computed_styles(browser, site: Path, path: str, scheme: str) -> tuple[str, list]:
    """The page's text and its elements' computed styles, in the session's Chromium (the
    `browser` fixture, tests/conftest.py: Playwright's sync API allows one per process).
    Read once per site folder, page and scheme: the built sites the tests compare with are
    never changed (a broken site is a copy, in a folder of its own)."""
    if (site, path, scheme) not in STYLES_SEEN:
        STYLES_SEEN[site, path, scheme] = _computed_styles(browser, site, path, scheme)
    return STYLES_SEEN[site, path, scheme]


def _computed_styles(browser, site: Path, path: str, scheme: str) -> tuple[str, list]:
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        try:
            page.goto(base + path, wait_until="load")  # the stylesheets have loaded
            # Judged at rest: no CSS transition or animation is still changing a style.
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            return page.evaluate("document.body.innerText"), json.loads(page.evaluate(STYLES, PROPERTIES))
        finally:
            page.close()


def style_problems(browser, full: Path, trimmed: Path, path: str) -> list[str]:
    """What reads or looks different on the trimmed site (compacted HTML, pruned stylesheets)
    than on the full one, in both colour schemes (the palette is mostly about the dark one)."""
    problems = []
    for scheme in ("light", "dark"):
        (text, before), (trimmed_text, after) = (computed_styles(browser, full, path, scheme),
                                                 computed_styles(browser, trimmed, path, scheme))
        if text != trimmed_text:
            return [f"{path} ({scheme}): the page reads differently: "
                    + next(f"{old!r} became {new!r}" for old, new in
                           zip(text.split("\n") + [""], trimmed_text.split("\n") + [""]) if old != new)]
        if len(before) != len(after):
            return [f"{path} ({scheme}): {len(before)} elements with the full stylesheets, "
                    f"{len(after)} trimmed"]
        for (element, values), (_, trimmed_values) in zip(before, after):
            problems += [f"{path} ({scheme}): <{element}> {name} is {new!r} with the trimmed "
                         f"stylesheets, {old!r} with the full ones"
                         for name, old, new in zip(PROPERTIES, values, trimmed_values) if old != new]
    return problems


@pytest.fixture(scope="module")
def full_css_site(warmed_project, tmp_path_factory) -> Path:
    """The site with whole stylesheets and uncompacted pages. Built from warm caches: they hold
    what comes before pruning and compaction, which run at every build (1.2 s instead of 5.5 s
    cold, the same bytes; that warm builds publish what cold ones do is proven above)."""
    project = copy_of(warmed_project, tmp_path_factory.mktemp("full-css") / "project")
    site = project.parent / "site"
    result = build(project, site, {"CSS_PRUNE": "off", "HTML_COMPACT": "off"})
    assert result.returncode == 0, result.stderr
    # Whole indeed (else the comparison below would compare the trimmed site with itself).
    sheets = [p.stat().st_size for p in (site / "assets" / "notebooks").glob("*.css")]
    assert sheets and min(sheets) > 100_000, f"the full site's notebook stylesheet: {sheets}"
    return site


@pytest.mark.browser
@pytest.mark.parametrize("path", ["notebooks/tutorial-python/", "fr/notebooks/tutorial-r/"])
def test_the_trimmed_stylesheets_style_every_element_alike(browser, full_css_site, cold_site, path):
    sheets = [p.stat().st_size for p in (cold_site / "assets" / "notebooks").glob("*.css")]
    assert sheets and max(sheets) < 100_000, f"the notebook stylesheet was not trimmed: {sheets}"
    palettes = [p.stat().st_size for p in (cold_site / "assets" / "stylesheets").glob("palette.*.css")]
    assert palettes and max(palettes) < 6_000, f"the palette stylesheet was not trimmed: {palettes}"
    problems = style_problems(browser, full_css_site, cold_site, path)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.browser
def test_style_check_fails_when_compacting_joins_words(browser, cold_site, tmp_path):
    broken = Path(shutil.copytree(cold_site, tmp_path / "site"))
    page = broken / "notebooks" / "tutorial-python" / "index.html"
    # Whitespace between tags taken out rather than reduced: inline elements run together.
    page.write_text(re.sub(r">\s+<", "><", page.read_text(encoding="utf-8")), encoding="utf-8")
    problems = style_problems(browser, cold_site, broken, "notebooks/tutorial-python/")
    assert problems and problems[0].startswith(
        "notebooks/tutorial-python/ (light): the page reads differently: "), problems[:3]


@pytest.mark.browser
@pytest.mark.parametrize(("sheets", "rule", "element"), [
    # the notebook prompts' colour
    ("notebooks/notebook-*.css", r"[^}\n]*\.jp-OutputPrompt\{color:var\(--md-default-fg-color\)!important[^}]*\}",
     "(light): <div.jp-InputPrompt.jp-InputArea-prompt> color is "),
    # the dark scheme's link colour for the primary colour the site uses
    ("stylesheets/palette.*.css", r"\[data-md-color-scheme=slate\]\[data-md-color-primary=indigo\]"
     r"\{--md-typeset-a-color:[^}]*\}", "(dark): <a"),
], ids=["notebook prompt", "palette primary"])
def test_style_check_fails_when_a_rule_is_lost(browser, cold_site, tmp_path, sheets, rule, element):
    broken = Path(shutil.copytree(cold_site, tmp_path / "site"))
    sheet = next((broken / "assets").glob(sheets))
    text = sheet.read_text(encoding="utf-8")
    found = re.search(rule, text)
    assert found, f"cannot break {sheet.name}: no rule matches {rule}"
    sheet.write_text(text.replace(found.group(), ""), encoding="utf-8")
    problems = style_problems(browser, cold_site, broken, "notebooks/tutorial-python/")
    assert any(p.startswith(f"notebooks/tutorial-python/ {element}") for p in problems), problems[:5]


# --- search entries computed from plain code are Material's own ----------------------------

def search_differences(site: Path, plain_code) -> list[str]:
    """Pages whose search sections differ when Material's parser reads them with plain code."""
    from material.plugins.search.plugin import Parser

    def sections(html: str) -> list[tuple]:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data]

    problems = []
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        article = html[html.find("<article"):html.find("</article>")]
        for own, plain in zip(sections(article), sections(plain_code(article))):
            if own != plain:
                problems.append(f"{page.relative_to(site).as_posix()}: section {own[0]!r} "
                                "is indexed differently from plain code")
    return problems


def test_search_entries_from_plain_code_are_materials_own(built_site):
    assert search_differences(built_site, load_hook("build_speed").plain_code) == []


def test_search_comparison_fails_when_plain_code_loses_kept_tags(built_site):
    build_speed = load_hook("build_speed")
    build_speed.SPAN_TAG = re.compile(r"</?(?:span|code)\b[^>]*>")  # <code> is indexed
    problems = search_differences(built_site, build_speed.plain_code)
    assert any(p.startswith("training/index.html: section ") for p in problems), problems[:3]


# --- serve empties its site folder as MkDocs does ------------------------------------------

def emptying_differences(empty, tmp_path: Path) -> list[str]:
    """What `empty` leaves in a site folder that mkdocs.utils.clean_directory would not, or
    the other way round (a built site with hidden entries, emptied by both)."""
    from mkdocs import utils

    def made(name: str) -> Path:
        folder = tmp_path / name / "site"
        (folder / "fr" / "training").mkdir(parents=True)
        (folder / "index.html").write_text("<html>")
        (folder / "fr" / "training" / "index.html").write_text("<html>")
        (folder / ".git").mkdir()
        (folder / ".nojekyll").write_text("")
        return folder

    theirs, ours = made("mkdocs"), made("hook")
    utils.clean_directory(str(theirs))
    empty(str(ours))
    left = {p.relative_to(ours).as_posix() for p in ours.rglob("*")}
    expected = {p.relative_to(theirs).as_posix() for p in theirs.rglob("*")}
    return [f"left {name}" for name in sorted(left - expected)] + \
           [f"removed {name}" for name in sorted(expected - left)]


def test_serve_empties_the_site_folder_as_mkdocs_does(tmp_path):
    assert emptying_differences(load_hook("build_speed").empty_directory, tmp_path) == []


def test_emptying_check_fails_when_hidden_entries_are_removed(tmp_path):
    def empty_everything(directory: str) -> None:
        for entry in Path(directory).iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()

    assert emptying_differences(empty_everything, tmp_path) == ["removed .git", "removed .nojekyll"]
