"""The built site: strict build, URLs and languages, switcher, 404 pages, no third-party request.

Each check is a function that returns a list of readable problems (empty when all is well). It
runs on the real site, built once per session, and on a broken fixture that must make it fail:
small MkDocs projects under tests/fixtures/site/ (see the README there) built with the real
settings, or a copy of the good fixture's build with one thing broken by hand.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from conftest import DOCS, LANGUAGES, ROOT, SITE, mkdocs_build, read

FIXTURES = ROOT / "tests" / "fixtures" / "site"
DEFAULT_LANGUAGE = SITE.default.code
# Only the path of site_url matters here (the site is served below it); read like the build
# reads it (its !ENV tag resolved) by the harness's site model.
SITE_URL = SITE.site_url
# The pages every helper relies on (the agreed structure); more may be added.
AGREED_PAGES = {"index", "training", "argo", "sample-data", "testing"}

# Material's interface strings that must follow the page's language.
UI_STRINGS = {
    "en": {"clipboard.copy": "Copy to clipboard", "search.placeholder": "Search"},
    "fr": {"clipboard.copy": "Copier dans le presse-papiers", "search.placeholder": "Rechercher"},
}
# The light/dark toggle's labels come from mkdocs.yml (theme.palette, and its French override).
PALETTE_TOGGLES = {
    "en": {"Switch to dark mode", "Switch to light mode"},
    "fr": {"Passer au mode sombre", "Passer au mode clair"},
}
NOT_FOUND_TITLES = {"en": "Page not found", "fr": "Page introuvable"}


# --- where things are ------------------------------------------------------------------------


def page_names(docs: Path) -> list[str]:
    """Names of the pages of a docs folder: `training` for training.en.md / training.fr.md,
    `notebooks/tutorial-r` for the notebook pages notebooks/tutorial-r.{en,fr}.ipynb."""
    page = re.compile(rf"(.+)\.(?:{'|'.join(LANGUAGES)})\.(?:md|ipynb)")
    return sorted({m.group(1) for p in docs.rglob("*")
                   if (m := page.fullmatch(p.relative_to(docs).as_posix()))})


def page_url(name: str, lang: str) -> str:
    """URL of a page relative to the site root: '', 'training/', 'fr/', 'fr/training/'."""
    return SITE.page_url(name, lang)


def read_html(site: Path, url: str) -> BeautifulSoup | None:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") if path.is_file() else None


def absolute(url: str) -> str:
    """A site-relative URL as the browser sees it once published, without fragment."""
    return urljoin(SITE_URL, url).split("#")[0]


# --- the checks ------------------------------------------------------------------------------


def each_page(site: Path, pages: list[str]):
    """(name, language, url, parsed HTML or None if missing) of every page in every language."""
    for name in pages:
        for lang in LANGUAGES:
            url = page_url(name, lang)
            yield name, lang, url, read_html(site, url)


def page_language_problems(site: Path, pages: list[str]) -> list[str]:
    """Each page at /NAME/ and /fr/NAME/, with <html lang> and Material's UI strings right."""
    problems = []
    for name, lang, url, soup in each_page(site, pages):
        if soup is None:
            problems.append(f"/{url}: missing (page '{name}' in '{lang}')")
            continue
        if soup.html.get("lang") != lang:
            problems.append(f"/{url}: <html lang=\"{soup.html.get('lang')}\">, expected '{lang}'")
        problems += ui_string_problems(soup, f"/{url}", lang)
    return problems


def ui_string_problems(soup: BeautifulSoup, where: str, lang: str) -> list[str]:
    problems = []
    config = json.loads(soup.find("script", id="__config").string)
    copy = config["translations"].get("clipboard.copy")
    if copy != UI_STRINGS[lang]["clipboard.copy"]:
        problems.append(f"{where}: copy button says {copy!r}, expected "
                        f"{UI_STRINGS[lang]['clipboard.copy']!r}")
    search = soup.find("input", attrs={"data-md-component": "search-query"})
    placeholder = search.get("placeholder") if search else None
    if placeholder != UI_STRINGS[lang]["search.placeholder"]:
        problems.append(f"{where}: search box says {placeholder!r}, expected "
                        f"{UI_STRINGS[lang]['search.placeholder']!r}")
    toggles = {label.get("title") for label in soup.select('label[for^="__palette_"]')}
    if toggles != PALETTE_TOGGLES[lang]:
        problems.append(f"{where}: colour toggles say {sorted(toggles)}, expected "
                        f"{sorted(PALETTE_TOGGLES[lang])}")
    return problems


def switcher_targets(soup: BeautifulSoup, url: str) -> dict[str, str]:
    """Language -> absolute URL that the language switcher of a page leads to."""
    return {a.get("hreflang"): absolute(urljoin(url, a.get("href", "")))
            for a in soup.select("a.md-select__link[hreflang]")}


def switcher_problems(site: Path, pages: list[str]) -> list[str]:
    """The switcher of every page leads to the same page in each language."""
    problems = []
    for name, _, url, soup in each_page(site, pages):
        if soup is None:
            continue  # reported by page_language_problems
        targets = switcher_targets(soup, url)
        for other in LANGUAGES:
            want = absolute(page_url(name, other))
            if targets.get(other) != want:
                problems.append(f"/{url}: switcher entry '{other}' leads to "
                                f"{targets.get(other)}, expected {want}")
    return problems


def not_found_problems(site: Path) -> list[str]:
    """A 404 page per language, in that language, whose switcher leads to each home page."""
    problems = []
    for lang in LANGUAGES:
        url = f"{page_url('index', lang)}404.html"
        soup = read_html(site, url)
        if soup is None:
            problems.append(f"/{url}: missing (404 page in '{lang}')")
            continue
        if soup.html.get("lang") != lang:
            problems.append(f"/{url}: <html lang=\"{soup.html.get('lang')}\">, expected '{lang}'")
        title = soup.select_one("article h1")
        if title is None or title.get_text(strip=True) != NOT_FOUND_TITLES[lang]:
            problems.append(f"/{url}: heading {title and title.get_text(strip=True)!r}, "
                            f"expected {NOT_FOUND_TITLES[lang]!r}")
        problems += ui_string_problems(soup, f"/{url}", lang)
        # A 404 is served at any depth: its links are absolute, and lead to the home pages.
        targets = switcher_targets(soup, "")
        for other in LANGUAGES:
            if targets.get(other) != absolute(page_url("index", other)):
                problems.append(f"/{url}: switcher entry '{other}' leads to {targets.get(other)}, "
                                f"expected {absolute(page_url('index', other))}")
    return problems


# Link relations that make the browser fetch the target (rel=alternate/canonical do not).
FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "shortcut",
                 "apple-touch-icon", "mask-icon", "manifest", "preconnect", "dns-prefetch"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def is_external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https", "ftp") or url.strip().startswith("//")


def css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(css)]


def fetched_urls(tag) -> list[str]:
    """URLs a browser fetches for this HTML or SVG element (hyperlinks are not fetched)."""
    urls = []
    if tag.name in ("script", "img", "iframe", "audio", "video", "source", "track", "embed",
                    "input", "frame") and tag.get("src"):
        urls.append(tag["src"])
    for srcset in filter(None, [tag.get("srcset")] if tag.name in ("img", "source") else []):
        urls += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    if tag.name == "link" and FETCHING_RELS & {r.lower() for r in tag.get("rel", [])}:
        urls.append(tag.get("href", ""))
    if tag.name == "object" and tag.get("data"):
        urls.append(tag["data"])
    if tag.name == "video" and tag.get("poster"):
        urls.append(tag["poster"])
    if tag.name in ("image", "use", "feimage"):  # SVG, inline or in a file
        urls += [tag[a] for a in ("href", "xlink:href") if tag.get(a)]
    if tag.get("style"):
        urls += css_urls(tag["style"])
    if tag.name == "style" and tag.string:
        urls += css_urls(tag.string)
    return urls


def external_resource_problems(site: Path) -> list[str]:
    """Every script, stylesheet, font, image or frame comes from the site itself."""
    problems = []
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.svg")]):
        where = path.relative_to(site)
        with warnings.catch_warnings():
            # SVG is read with the HTML parser on purpose: lenient, and finds the same elements.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            problems += [f"{where} line {tag.sourceline}: <{tag.name}> loads {url}"
                         for url in fetched_urls(tag) if is_external(url)]
            if tag.get("data-md-component") == "source":
                problems.append(f"{where} line {tag.sourceline}: Material's repository widget "
                                "fetches star counts from api.github.com (remove repo_url)")
    for path in sorted(site.rglob("*.css")):
        where = path.relative_to(site)
        problems += [f"{where}: loads {url}" for url in css_urls(path.read_text(encoding="utf-8"))
                     if is_external(url)]
    return problems


def source_of(site: Path, html: Path, docs: Path) -> Path:
    """The Markdown file a built page came from (fr/training/index.html -> training.fr.md)."""
    parts = html.relative_to(site).parts[:-1]
    lang = parts[0] if parts and parts[0] in LANGUAGES else DEFAULT_LANGUAGE
    name = "/".join(parts[1:] if lang != DEFAULT_LANGUAGE else parts) or "index"
    return docs / f"{name}.{lang}.md"


def locate_fence(source: Path, first_line: str) -> str:
    """'line N, tab "X"' of the fence opener in the Markdown source whose text starts a block
    (the page as the harness reads it: its blocks know their page line and tab)."""
    if not source.is_file():
        return "line ?"
    written = source.read_text(encoding="utf-8").splitlines()
    wanted = first_line.strip().lstrip("`").strip()
    for block in read(source).blocks:
        if written[block.line - 1].strip().lstrip("`").strip() == wanted:
            return f'line {block.line}, tab "{block.tab}"' if block.tab else f"line {block.line}"
    return "line ?"


def rejected_fence_problems(site: Path, docs: Path) -> list[str]:
    """Code fences that superfences did not take: literal ``` text, or a multi-line inline code
    opening a paragraph (how a fence with an unknown option renders)."""
    problems = []
    for html in sorted(site.rglob("*.html")):
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is None:
            continue
        suspects = [text for text in article.find_all(string=lambda s: "```" in s)
                    if text.find_parent(["code", "pre", "script", "style"]) is None]
        suspects += [code.get_text() for code in article.find_all("code")
                     if code.find_parent("pre") is None and "\n" in code.get_text()
                     and code.parent.name == "p" and code.previous_sibling is None]
        source = source_of(site, html, docs)
        for number, text in enumerate(suspects):
            lines = [line for line in str(text).splitlines() if line.strip()]
            first = next((line for line in lines if "```" in line), lines[0])
            if first.strip() == "```" and number > 0:
                continue  # the closing fence of a block already reported
            shown = source.relative_to(ROOT) if ROOT in source.parents else source
            problems.append(f"{shown} {locate_fence(source, first)}: code fence rejected by "
                            f"pymdownx.superfences, rendered as text: {first.strip()!r}")
    return problems


# --- the real site ---------------------------------------------------------------------------


def test_strict_build_produces_both_languages(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "fr" / "index.html").is_file()
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else "fr/"
        html = (built_site / prefix / "index.html").read_text()
        assert f'<html lang="{lang}"' in html


def test_the_agreed_pages_exist_in_both_languages():
    missing = sorted(f"docs/{name}.{lang}.md" for name in AGREED_PAGES for lang in LANGUAGES
                     if not (DOCS / f"{name}.{lang}.md").is_file())
    assert not missing, f"pages of the agreed structure are missing: {missing}"


def test_every_page_at_its_url_in_its_language(built_site):
    problems = page_language_problems(built_site, page_names(DOCS))
    assert not problems, "\n".join(problems)


def test_language_switcher_leads_to_the_same_page(built_site):
    problems = switcher_problems(built_site, page_names(DOCS))
    assert not problems, "\n".join(problems)


def test_a_404_page_in_each_language(built_site):
    problems = not_found_problems(built_site)
    assert not problems, "\n".join(problems)
    # GitHub Pages answers every missing URL with the root 404: it sends /fr/... to the French one.
    script = read_html(built_site, "404.html").select_one("article script")
    french_home = urlsplit(absolute("fr/")).path
    assert script is not None and f'"{french_home}404.html"' in script.string, (
        "the root 404.html does not send missing French URLs to the French 404 page")


def test_no_third_party_resources(built_site):
    problems = external_resource_problems(built_site)
    assert not problems, "\n".join(problems)


def test_no_code_fence_rejected_by_superfences(built_site):
    problems = rejected_fence_problems(built_site, DOCS)
    assert not problems, "\n".join(problems)


# --- the broken fixtures ---------------------------------------------------------------------

# Fixture -> what the failing build must say (the file at fault, and what is wrong with it).
FAILING_BUILDS = {
    "missing-page": ["index.en.md", "'ghost.md'", "not found"],
    "missing-anchor": ["index.fr.md", "'#no-such-section'"],
    "nav-nowhere": ["'nav'", "'ghost.md'", "not found"],
    "one-language": ["'other.en.md'", "add 'other.fr.md'"],
    "missing-include": ["'other.en.md'", "'no/such/snippet.py' could not be found"],
}
BUILDING_FIXTURES = ["good", "literal-fence", *FAILING_BUILDS]


@pytest.fixture(scope="module")
def fixture_builds(tmp_path_factory):
    """Every fixture site built once, two at a time (the machine has two cores)."""
    out = tmp_path_factory.mktemp("fixture-sites")

    def build(case):
        return case, mkdocs_build(FIXTURES / case / "mkdocs.yml", out / case), out / case

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {case: (result, site) for case, result, site in pool.map(build, BUILDING_FIXTURES)}


def test_the_good_fixture_builds(fixture_builds):
    result, site = fixture_builds["good"]
    assert result.returncode == 0, result.stderr
    pages = page_names(FIXTURES / "good" / "docs")
    for problems in (page_language_problems(site, pages), switcher_problems(site, pages),
                     not_found_problems(site), external_resource_problems(site),
                     rejected_fence_problems(site, FIXTURES / "good" / "docs")):
        assert problems == []


@pytest.mark.parametrize("case", FAILING_BUILDS)
def test_a_broken_fixture_fails_the_build_naming_the_file(fixture_builds, case):
    result, _ = fixture_builds[case]
    assert result.returncode != 0, f"{case}: the strict build passed:\n{result.stderr}"
    missing = [words for words in FAILING_BUILDS[case] if words not in result.stderr]
    assert not missing, f"{case}: the build's message lacks {missing}:\n{result.stderr}"


def test_a_rejected_fence_is_reported_with_page_tab_and_line(fixture_builds):
    result, site = fixture_builds["literal-fence"]
    assert result.returncode == 0, "the strict build alone should not catch this (that is the point)"
    problems = "\n".join(rejected_fence_problems(site, FIXTURES / "literal-fence" / "docs"))
    assert 'other.fr.md line 10, tab "Python"' in problems, problems
    assert "'```python title=\"bad.py\" data-test=\"skip\"'" in problems, problems
    assert 'other.en.md line 9, tab "R"' in problems, problems
    assert len(problems.splitlines()) == 2, f"one report per rejected fence:\n{problems}"


@pytest.fixture
def good_site_copy(fixture_builds, tmp_path) -> Path:
    """A copy of the good fixture's build, for a test to break one thing in it."""
    return Path(shutil.copytree(fixture_builds["good"][1], tmp_path / "site"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_page_in_the_wrong_language_is_reported(good_site_copy):
    site, pages = good_site_copy, ["index", "other"]
    replace_in(site / "fr/other/index.html", '<html lang="fr"', '<html lang="en"')
    replace_in(site / "fr/index.html", "Copier dans le presse-papiers", "Copy to clipboard")
    replace_in(site / "fr/index.html", "Passer au mode sombre", "Switch to dark mode")
    (site / "other/index.html").unlink()
    problems = "\n".join(page_language_problems(site, pages))
    assert "/fr/other/: <html lang=\"en\">, expected 'fr'" in problems, problems
    assert "/fr/: copy button says 'Copy to clipboard'" in problems, problems
    assert "/fr/: colour toggles say ['Passer au mode clair', 'Switch to dark mode']" in problems, \
        problems
    assert "/other/: missing (page 'other' in 'en')" in problems, problems


def test_a_switcher_leading_elsewhere_is_reported(good_site_copy):
    site = good_site_copy
    replace_in(site / "other/index.html", 'href="../fr/other/"', 'href="../fr/"')
    problems = "\n".join(switcher_problems(site, ["index", "other"]))
    assert f"/other/: switcher entry 'fr' leads to {absolute('fr/')}, expected " \
           f"{absolute('fr/other/')}" in problems, problems


def test_a_missing_or_english_french_404_is_reported(good_site_copy):
    site = good_site_copy
    replace_in(site / "fr/404.html", "Page introuvable", "Page not found")
    (site / "404.html").unlink()
    problems = "\n".join(not_found_problems(site))
    assert "/404.html: missing (404 page in 'en')" in problems, problems
    assert "/fr/404.html: heading 'Page not found', expected 'Page introuvable'" in problems, problems


def test_third_party_resources_are_reported(good_site_copy):
    site = good_site_copy
    shutil.copytree(FIXTURES / "external-resources", site / "external", dirs_exist_ok=True)
    problems = external_resource_problems(site)
    text = "\n".join(problems)
    for expected in [
        "external/index.html line 5: <link> loads https://fonts.googleapis.com/css?family=Roboto",
        "external/index.html line 6: <script> loads https://cdn.example.org/lib.js",
        "external/index.html line 9: <img> loads //images.example.org/logo.png",
        "external/index.html line 10: <source> loads https://images.example.org/wide.webp",
        "external/index.html line 11: <iframe> loads https://video.example.org/embed/1",
        "external/index.html line 12: <div> loads http://images.example.org/bg.png",
        "external/index.html line 13: Material's repository widget",
        "external/figure.svg line 2: <image> loads https://images.example.org/photo.jpg",
        "external/style.css: loads https://fonts.gstatic.com/s/roboto.woff2",
        "external/style.css: loads https://cdn.example.org/theme.css",
    ]:
        assert expected in text, f"not reported: {expected}\n{text}"
    # Hyperlinks, same-site and data: URLs are fine.
    assert not [p for p in problems if "example.org/page" in p or "data:" in p or "local" in p]


# --- the publishing workflow -----------------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"
BROKEN_WORKFLOW = FIXTURES / "workflow" / "broken.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
CHECKOUT_NEEDS = {"ca-certificates", "git"}  # all a new Debian needs before actions/checkout


def lint_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the GitHub workflow schema it ships. The proxy points at a closed
    port on this machine, so an attempt to download anything fails instead of going out."""
    dead = "http://127.0.0.1:9"
    env = {**os.environ, "HTTPS_PROXY": dead, "HTTP_PROXY": dead, "https_proxy": dead,
           "http_proxy": dead, "NO_PROXY": "", "no_proxy": ""}
    return subprocess.run(
        [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
         "vendor.github-workflows", str(path)], capture_output=True, text=True, env=env, check=False)


def workflow_problems(path: Path) -> list[str]:
    """What the schema cannot see: the README's test command runs, every action is pinned to a
    commit, and main is published with the Pages actions."""
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [(job, step) for job, spec in (workflow.get("jobs") or {}).items()
             for step in spec.get("steps", [])]
    problems = [f"{path.name}: job '{job}' uses {step['uses']!r}, not pinned to a commit SHA"
                for job, step in steps if "uses" in step and not PINNED.match(step["uses"])]
    if not any(step.get("run", "").strip() == "scripts/test.sh" for _, step in steps):
        problems.append(f"{path.name}: no step runs `scripts/test.sh`, the README's test command")
    # The test job is the clean room: a new Debian 12 where scripts/setup.sh installs the rest.
    for job, spec in (workflow.get("jobs") or {}).items():
        if any(step.get("run", "").strip() == "scripts/test.sh" for step in spec.get("steps", [])):
            if spec.get("container") != "debian:bookworm":
                problems.append(f"{path.name}: job '{job}' does not run in debian:bookworm")
    for job, step in steps:
        for command in re.findall(r"apt-get install([^\n&;|]*)", step.get("run", "")):
            extra = {p for p in command.split() if not p.startswith("-")} - CHECKOUT_NEEDS
            if extra:
                problems.append(f"{path.name}: job '{job}' installs {' '.join(sorted(extra))} by "
                                "hand; scripts/setup.sh must install what the tests need")
    for action in ("actions/upload-pages-artifact@", "actions/deploy-pages@"):
        if not any(step.get("uses", "").startswith(action) for _, step in steps):
            problems.append(f"{path.name}: does not use {action.rstrip('@')}")
    return problems


def test_the_workflow_is_valid_offline():
    result = lint_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_runs_the_readme_command_and_publishes_main():
    assert "scripts/test.sh" in (ROOT / "README.md").read_text(encoding="utf-8")
    problems = workflow_problems(WORKFLOW)
    assert not problems, "\n".join(problems)
    publish = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["publish"]
    assert "refs/heads/main" in publish["if"] and publish["permissions"]["pages"] == "write"


def test_a_broken_workflow_fails_naming_the_file():
    result = lint_workflow(BROKEN_WORKFLOW)
    assert result.returncode != 0, "check-jsonschema accepted a job without runs-on"
    assert "broken.yml" in result.stdout and "'runs-on' is a required property" in result.stdout, (
        result.stdout + result.stderr)
    problems = "\n".join(workflow_problems(BROKEN_WORKFLOW))
    assert "uses 'actions/checkout@v4', not pinned" in problems, problems
    assert "no step runs `scripts/test.sh`" in problems, problems
    assert "does not use actions/deploy-pages" in problems, problems
    assert "job 'test' installs nodejs npm by hand" in problems, problems
