"""The built site as readers get it, in a real browser, on every page of both languages.

Debian's /usr/bin/chromium, headless, driven by Playwright (no browser download), loads the
built site from a local server that answers like GitHub Pages: under the path of `site_url`,
with the root 404.html for a missing file. Per page, in one load: axe-core's WCAG 2.0/2.1 A
and AA rules (light scheme; the colour rules again in the dark scheme; all again on a
phone-sized screen with the navigation drawer open), no request to another host, no failed
request, no console error, a screenshot, every copy button, and the language switcher (which
keeps the anchor). Across pages: linked tabs, search per language (axe-checked with results
open), the 404 pages.

Every check is also run on a deliberately broken input (tests/fixtures/browser/ and a broken
copy of the built site) and must fail there, naming the page.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import time
import urllib.parse
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from conftest import AXE_JS, DOCS, LANGUAGES, ROOT, SITE, VISIT_CHECKS, once_per_run, read, require_browser
from mkdocs_examples.support import launch_chromium, serve, site_path

pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures" / "browser"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # what changes with the colour scheme
DEFAULT_LANGUAGE = LANGUAGES[0]
# Material code annotation markers: `# (1)!` (Python, R, shell, YAML...), `/* (1)! */` (SAS).
ANNOTATION_MARKER = re.compile(r"[ \t]*(?:#|//)[ \t]*\(\d+\)!|[ \t]*/\*[ \t]*\(\d+\)![ \t]*\*/")
# Words that both languages use (so an index shared by both finds pages in each) and words
# of one language only.
SHARED_QUERY = "argo"
QUERIES = {"en": "training", "fr": "entraîner"}


# --- the pages -----------------------------------------------------------------------------

def language_folder(language: str) -> str:
    """'' for the default language, 'fr/' for French (mkdocs.yml's i18n, as the harness reads it)."""
    return SITE.page_url("index.md", language)


def source_page(path: str) -> Path | None:
    """The Markdown file a page's URL path ('fr/training/') is built from."""
    for page in DOCS.rglob("*.md"):
        own = SITE.language_of(page)
        if any(SITE.page_url(SITE.page_path(page), lang) == path for lang in [own] if own):
            return page
    return None


def content_pages() -> list[str]:
    """Every page's path under the site root, both languages, from docs/**/NAME.en.md and the
    notebooks rendered as pages, docs/**/NAME.en.ipynb."""
    names = sorted(p.relative_to(DOCS).as_posix().rsplit(".en.", 1)[0]
                   for suffix in ("md", "ipynb") for p in DOCS.rglob(f"*.en.{suffix}"))
    urls = [name[: -len("index")] if name.endswith("index") else f"{name}/" for name in names]
    return [language_folder(lang) + url for lang in LANGUAGES for url in urls]


PAGES = content_pages()
NOT_FOUND_PAGES = [language_folder(lang) + "404.html" for lang in LANGUAGES]


def language_of(path: str) -> str:
    return next((lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE and path.startswith(f"{lang}/")),
                DEFAULT_LANGUAGE)


def counterpart(path: str) -> str:
    """The same page in the other language (the site has two)."""
    language = language_of(path)
    bare = path[len(language_folder(language)):]
    other = next(lang for lang in LANGUAGES if lang != language)
    return language_folder(other) + bare


def page_name(path: str) -> str:
    return "/" + path


# --- serving -------------------------------------------------------------------------------

def site_prefix(site: Path) -> str:
    """The path of site_url, where GitHub Pages serves the project site and so must we (read
    from mkdocs.yml by the site model, `!ENV [SITE_URL, ...]` resolved as the build did)."""
    return site_path(SITE.site_url)


def is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1"


# --- timings and the run's summary ---------------------------------------------------------

class BrowserSummary:
    """Prints where the screenshots are and what the browser checks cost, at the end of the run."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.screenshots: list[Path] = []

    @contextmanager
    def timed(self, what: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[what] += time.perf_counter() - start
            self.counts[what] += 1

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return  # the browser never started (skipped or deselected)
        terminalreporter.section("browser (headless Chromium)")
        if self.screenshots:
            terminalreporter.write_line(
                f"{len(self.screenshots)} screenshots in {SCREENSHOTS.relative_to(ROOT)}/")
        for what in sorted(self.seconds, key=self.seconds.get, reverse=True):
            terminalreporter.write_line(
                f"{what:<28} {self.counts[what]:>3} x  {self.seconds[what]:6.1f} s")


# --- browser -------------------------------------------------------------------------------
# One Chromium and one served site per xdist worker, one visit per page for the whole run,
# shared with tests/test_notebooks.py: the fixtures `summary`, `browser`, `site` and
# `site_visit` are session-scoped, in tests/conftest.py.

def start_browser(summary: BrowserSummary):
    """Debian's Chromium under Playwright; a context manager yielding the browser."""
    require_browser()
    return _running_browser(summary)


@contextmanager
def _running_browser(summary: BrowserSummary):
    with sync_playwright() as playwright:
        with summary.timed("start Chromium"):
            chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def new_context(browser, **options):
    """A fresh profile in which nothing can leave the machine: other hosts are refused."""
    context = browser.new_context(**options)
    context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
    return context


@pytest.fixture(scope="module")
def broken_site(built_site, tmp_path_factory) -> str:
    """A copy of the built site with one thing broken per functional check (see break_site)."""
    copy = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(built_site, copy)
    break_site(copy)
    with serve(copy, site_prefix(built_site)) as base:
        yield base


def break_site(site: Path) -> None:
    """Undo, in a copy of the site, each fix that a functional check is there to prove."""
    def edit(path: str, old: str, new: str):
        file = site / path
        text = file.read_text()
        assert old in text, f"cannot break {path}: {old!r} not found (has the page changed?)"
        file.write_text(text.replace(old, new))

    def drop_features(path: str, *features: str):
        file = site / path
        html = file.read_text()
        found = re.search(r'(<script id="__config" type="application/json">)(.*?)(</script>)', html, re.DOTALL)
        assert found, f"cannot break {path}: no Material __config"
        config = json.loads(found.group(2))
        config["features"] = [f for f in config["features"] if f not in features]
        file.write_text(html[:found.start(2)] + json.dumps(config) + html[found.end(2):])

    # The tutorial page without linked tabs and without code annotations (markers stay in code).
    drop_features("training/index.html", "content.tabs.link", "content.code.annotate")
    # The French tutorial page without the per-language search script (filter, own index,
    # fetched on first search): it fetches the root index, at once.
    edit("fr/training/index.html", "search-per-language.js", "missing-search-filter.js")
    # A switcher that forgets the anchor everywhere, and one that leads to the wrong page.
    (site / "assets" / "javascripts" / "language-switcher.js").write_text("")
    edit("argo/index.html", 'href="../fr/argo/" hreflang="fr"', 'href="../fr/" hreflang="fr"')


@pytest.fixture(scope="module")
def fixture_pages() -> str:
    with serve(FIXTURES / "pages") as base:
        yield base


# --- one visit per page, several checks ----------------------------------------------------

@dataclass
class Visit:
    page: str
    axe: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    # What a reader does on the page (real pages only; see visit's `as_reader`).
    copied_blocks: int = 0
    copy: list[str] = field(default_factory=list)
    switcher: list[str] = field(default_factory=list)


# Code is text in few looks: in a <pre>, the tokens of one kind share a colour and a font on
# one block's background, so that axe's verdict on one is its verdict on all (judging each
# took two thirds of the colour rules' time). With `code_by_look`, the text of every <pre> is
# grouped by all that axe's colour contrast reads (colour, font size and weight, text shadow,
# pseudo-elements, and the backgrounds and opacities of the element and every ancestor) and
# axe judges one of each group: the first lying whole inside its block. Every tab panel is
# shown meanwhile: axe judges only what is shown, and a reader may pick any tab. Should axe
# neither pass nor fail the one judged (one character, another element over it), it judges
# every member of its group.
#
# Every tab panel shown (axe judges each as a reader who picks its tab sees it),
# once Material has set up what is shown (annotations, focus for scrolling code): the page
# has not changed for two frames (at most a second: a page still changing then is judged as
# it is, and what is unfinished fails loudly). The <style> it returns hides them again.
SHOW_EVERY_TAB = """async function showEveryTab() {
  const style = document.createElement('style');
  style.textContent = '.tabbed-set > .tabbed-content > .tabbed-block {display: block !important}';
  let changed = true;
  const changes = new MutationObserver(() => { changed = true; });
  changes.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  document.head.append(style);
  const frame = () => new Promise(done => requestAnimationFrame(done));
  for (const until = performance.now() + 1000; changed && performance.now() < until;) {
    changed = false;
    await frame();
    await frame();
  }
  changes.disconnect();
  return style;
}
"""
# The label of the tab panel an element is in (null outside tabs).
TAB_OF = """function tabOf(el) {
  const panel = el.closest('.tabbed-block');
  if (!panel) return null;
  const labels = panel.closest('.tabbed-set').querySelectorAll(':scope > .tabbed-labels > label');
  const label = labels[[...panel.parentElement.children].indexOf(panel)];
  return label ? label.textContent.trim() : null;
}
"""
AXE_RUN = """async ([options, byLook, judgedElsewhere]) => {
""" + SHOW_EVERY_TAB + TAB_OF + """
  // On what the colour rules skip: a member of a look not judged, or what another pass judged.
  const SKIP = 'data-axe-colours-judged-elsewhere';
  if (!window.axeConfiguredToSkip) {
    axe.configure({rules: [{id: 'color-contrast', selector: `:not([${SKIP}])`},
      {id: 'link-in-text-block', selector: `a[href]:not([${SKIP}]), [role=link]:not([${SKIP}])`}]});
    window.axeConfiguredToSkip = true;
  }
  document.querySelectorAll(`[${SKIP}]`).forEach(el => el.removeAttribute(SKIP));
  if (judgedElsewhere) {
    document.querySelectorAll(`${judgedElsewhere}, ${judgedElsewhere} *`).forEach(el => el.setAttribute(SKIP, ''));
  }
  const everyTab = byLook ? await showEveryTab() : null;
  const behind = new Map();
  const background = el => {
    if (!el) return '';
    if (!behind.has(el)) {
      const s = getComputedStyle(el);
      behind.set(el, background(el.parentElement) + '|' + [s.backgroundColor, s.backgroundImage,
        s.opacity, s.filter, s.mixBlendMode, s.backdropFilter].join(' '));
    }
    return behind.get(el);
  };
  const pseudo = (el, which) => {
    const s = getComputedStyle(el, which);
    return [s.content, s.backgroundColor, s.width, s.height].join(' ');
  };
  // Text that axe's colour contrast judges: not only punctuation or emoji (as its own matcher).
  const judgedText = el => [...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE &&
    axe.commons.text.removeUnicode(axe.commons.text.sanitize(n.data),
                                   {emoji: true, nonBmp: false, punctuations: true}) !== '');
  const groups = new Map();
  for (const el of byLook ? document.querySelectorAll('pre, pre *') : []) {
    if (!judgedText(el) || el.closest('a[href], [role=link]')) continue;  // links: judged each
    const s = getComputedStyle(el);
    const look = [s.color, s.fontSize, s.fontWeight, s.textShadow, pseudo(el, '::before'),
                  pseudo(el, '::after'), background(el)].join(' ');
    groups.has(look) ? groups.get(look).push(el) : groups.set(look, [el]);
  }
  const whole = el => {  // shown, and not scrolled out of its block
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    for (let up = el.parentElement; up; up = up.parentElement) {
      const b = up.getBoundingClientRect();
      if (getComputedStyle(up).overflow !== 'visible' &&
          (r.left < b.left || r.right > b.right || r.top < b.top || r.bottom > b.bottom)) return false;
      if (up.tagName === 'PRE') return true;
    }
    return true;
  };
  const groupOf = new Map();  // the one judged -> its group
  for (const members of groups.values()) {
    const judged = members.find(whole);
    if (!judged) continue;  // none lies whole in its block: axe judges each
    groupOf.set(judged, members);
    members.forEach(el => el !== judged && el.setAttribute(SKIP, ''));
  }
  const where = el => {
    const pre = el && el.closest('pre');
    if (!pre) return '';
    const tab = tabOf(el);
    const before = document.createRange();
    before.setStart(pre, 0);
    before.setEnd(el, 0);
    return (tab ? `tab '${tab}', ` : '') + `line ${before.toString().split('\\n').length} of its code block`;
  };
  try {
    // Every color-contrast verdict is needed (resultTypes keeps only one node of the others).
    const results = await axe.run(document, {...options, elementRef: true,
      resultTypes: byLook ? ['violations', 'passes'] : ['violations']});
    const decided = new Set(['violations', 'passes'].flatMap(type => results[type])
      .filter(rule => rule.id === 'color-contrast').flatMap(rule => rule.nodes.map(node => node.element)));
    const undecided = [...groupOf.keys()].filter(el => !decided.has(el)).map(el => groupOf.get(el));
    if (undecided.length) {
      const members = undecided.flat();
      members.forEach(el => el.removeAttribute(SKIP));
      members.forEach(el => groupOf.delete(el));
      const again = await axe.run({include: members}, {
        runOnly: {type: 'rule', values: ['color-contrast']}, elementRef: true, resultTypes: ['violations']});
      results.violations.push(...again.violations);
    }
    return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(node => ({target: node.target, failureSummary: node.failureSummary,
        where: where(node.element), alike: (groupOf.get(node.element) || [null]).length - 1}))}));
  } finally {
    if (everyTab) everyTab.remove();
  }
}"""


def axe_problems(page, name: str, scheme: str, options: dict, code_by_look: bool = False,
                 colours_judged_in: str | None = None) -> list[str]:
    """axe-core's violations on the page; `code_by_look`: every tab shown, code judged once
    per look (AXE_RUN above); `colours_judged_in`: a selector of what another pass judged
    for colour (the colour rules skip it, the others do not)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(AXE_RUN, [options, code_by_look, colours_judged_in])

    def node(found: dict) -> str:
        said = [found["where"]] if found["where"] else []
        if found["alike"]:
            said.append(f"and {found['alike']} more text of the same look")
        return " ".join(found["target"]) + (f" ({'; '.join(said)})" if said else "")

    return [
        f"{name} ({scheme} scheme): {v['id']} ({v['impact']}): {v['help']}; at "
        + ", ".join(node(found) for found in v["nodes"][:5])
        + f"; first: {v['nodes'][0]['failureSummary'].splitlines()[-1].strip()} [{v['helpUrl']}]"
        for v in violations
    ]


ALL_RULES = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
COLOUR_ONLY = {"runOnly": {"type": "rule", "values": COLOUR_RULES}}
DESKTOP = {"width": 1280, "height": 900}
DRAWER_TOGGLE = "label.md-header__button[for=__drawer]"
PHONE = {"width": 390, "height": 844}
PALETTE_TOGGLE = "form[data-md-component=palette] label.md-header__button:not([hidden])"


def toggle_palette(page, scheme: str) -> None:
    """Click Material's palette toggle, as a reader would, until the page shows `scheme`."""
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == scheme:
            return
        page.locator(PALETTE_TOGGLE).first.click()
    raise AssertionError(f"the palette toggle does not reach the {scheme!r} scheme")


def switch_to_dark(page) -> None:
    if page.locator(PALETTE_TOGGLE).count():
        toggle_palette(page, "slate")
    else:  # a page without Material's toggle (fixtures): its CSS follows the media query
        page.emulate_media(color_scheme="dark")


def switch_to_light(page) -> None:
    if page.locator(PALETTE_TOGGLE).count():
        toggle_palette(page, "default")
    else:
        page.emulate_media(color_scheme="light")


def visit(context, base: str, path: str, summary: BrowserSummary,
          screenshot: Path | None = None, as_reader: bool = False) -> Visit:
    """Load one page and collect every per-page finding; `as_reader`: also click every copy
    button and, last, the language switcher (the page's own checks, in the same load)."""
    name = page_name(path)
    found = Visit(name)
    page = context.new_page()
    here = [True]  # this page's own events: the switcher, last, goes on to the other page

    def record(findings: list[str], text: str) -> None:
        if here[0]:
            findings.append(text)

    page.on("request", lambda r: record(found.foreign_requests, f"{name}: {r.method} {r.url}")
            if not is_local(r.url) else None)
    page.on("response", lambda r: record(found.failed_requests, f"{name}: HTTP {r.status} {r.url}")
            if r.status >= 400 else None)
    page.on("requestfailed", lambda r: record(found.failed_requests, f"{name}: {r.failure} {r.url}")
            if is_local(r.url) else None)
    page.on("console", lambda m: record(found.console_errors,
        f"{name}: console error: {m.text} ({m.location.get('url')}:{m.location.get('lineNumber')})")
        if m.type == "error" else None)
    page.on("pageerror", lambda error: record(found.console_errors, f"{name}: uncaught {error}"))
    try:
        with summary.timed("load page"):
            page.goto(base + path, wait_until="load")
        with summary.timed("axe, light scheme"):
            found.axe += axe_problems(page, name, "light", ALL_RULES, code_by_look=True)
        switch_to_dark(page)
        with summary.timed("axe colour rules, dark"):
            found.axe += axe_problems(page, name, "dark", COLOUR_ONLY, code_by_look=True)
        switch_to_light(page)  # the profile remembers the palette: the next page starts light
        # Every request the page made has ended (500 ms without one) before it is judged; by
        # now this has mostly happened.
        with summary.timed("network idle"):
            page.wait_for_load_state("networkidle")
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            with summary.timed("screenshot"):
                # JPEG: encoded in half the time of PNG (1.5 s on /training/, 16,800 px tall).
                page.screenshot(path=str(screenshot), full_page=True, type="jpeg", quality=80)
            summary.screenshots.append(screenshot)
        if page.locator(DRAWER_TOGGLE).count():  # a phone: the navigation is a drawer
            page.set_viewport_size(PHONE)
            page.locator(DRAWER_TOGGLE).first.click()
            page.wait_for_timeout(300)  # the drawer slides in
            # Every rule again, but the colour rules outside the article only: its colours do
            # not depend on the width (they took three quarters of this pass in code blocks).
            with summary.timed("axe, phone, drawer open"):
                found.axe += axe_problems(page, name, "light, phone, drawer open", ALL_RULES,
                                          colours_judged_in="article")
            page.evaluate("document.getElementById('__drawer').checked = false")
            page.set_viewport_size(DESKTOP)
        if as_reader:
            # After the axe passes: copying shows Material's "Copied" dialog, which axe would
            # judge while it fades in.
            with summary.timed("copy buttons"):
                if page.locator(".tabbed-set").count():
                    # The axe passes showed every tab panel, and Material set up each as shown
                    # (annotations), which a hidden panel's copy button then copies: the page
                    # again as the reader opened it.
                    page.reload(wait_until="load")
                found.copied_blocks, found.copy = copy_problems(page, path)
            # The tabs chosen while copying are remembered by the profile: forget them.
            page.evaluate("localStorage.clear(); sessionStorage.clear()")
            here[0] = False
            with summary.timed("switcher"):  # last: it leaves the page
                found.switcher = switcher_problems(page, base, path)
    finally:
        page.close()
    return found


def on_new_page(context, base: str, path: str, check):
    """check(page) on a new page of `context` that has loaded `path`."""
    page = context.new_page()
    try:
        page.goto(base + path, wait_until="load")
        return check(page)
    finally:
        page.close()


def page_visits(browser, site: str, summary: BrowserSummary, shared: Path):
    """Visits each page of the real site once per run, on first use, and remembers what it
    found (the session fixture `site_visit`, tests/conftest.py). The first xdist worker to need
    a page visits it while holding a lock and stores the findings in `shared` (a folder of this
    run's, common to its workers); a worker that needs the page later reads them."""
    context = new_context(browser, color_scheme="light", viewport=DESKTOP)
    allow_clipboard(context, site)
    visits: dict[str, Visit] = {}

    def get(path: str) -> Visit:
        if path not in visits:
            language = language_of(path)
            bare = path[len(language_folder(language)):].removesuffix(".html").strip("/")
            shot = SCREENSHOTS / language / f"{bare.replace('/', '_') or 'index'}.jpg"
            visits[path] = Visit(**once_per_run(shared, f"visit {path}", lambda: asdict(
                visit(context, site, path, summary, screenshot=shot, as_reader=path in PAGES))))
        return visits[path]

    return context, get


ALL_PAGES = PAGES + NOT_FOUND_PAGES


def in_visit_order(items: list) -> list:
    """The items of conftest.VISIT_CHECKS (all parametrized by `path`), reordered two pages at a time:
    check 1 of pages A and B, check 2 of A and B, and so on, then the next two pages.
    pytest-xdist hands out its first tests in turn (A's checks to one worker, B's to the other)
    and later ones in runs of consecutive tests, so that either way the checks of a page mostly
    run on the one worker that visits it: the other seldom waits for that visit."""
    by_page: dict[str, dict[str, object]] = defaultdict(dict)
    for item in items:
        by_page[item.callspec.params["path"]][item.originalname] = item
    pages = list(by_page)
    ordered = []
    for start in range(0, len(pages), 2):
        pair = pages[start:start + 2]
        ordered += [by_page[page][check] for check in VISIT_CHECKS for page in pair
                    if check in by_page[page]]
    return ordered


@pytest.mark.parametrize("path", ALL_PAGES, ids=page_name)
def test_no_accessibility_violations(site_visit, path):
    problems = site_visit(path).axe
    assert not problems, "axe-core (WCAG 2.0/2.1 A, AA):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ALL_PAGES, ids=page_name)
def test_no_request_to_another_host_and_none_failed(site_visit, path):
    found = site_visit(path)
    problems = found.foreign_requests + found.failed_requests
    assert not problems, "requests:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ALL_PAGES, ids=page_name)
def test_no_console_errors(site_visit, path):
    problems = site_visit(path).console_errors
    assert not problems, "\n".join(problems)


# Each per-page check fails on a page made to break it.
@pytest.mark.parametrize("fixture, check, expected", [
    ("low-contrast.html", "axe", "color-contrast"),
    ("low-contrast-dark.html", "axe", "(dark scheme): color-contrast"),
    # Code in a tab not shown on load, judged once for its look, and a look first met in one
    # character (axe cannot decide there), judged in each of its members.
    ("low-contrast-code.html", "axe",
     "#faint-1 (tab 'R', line 2 of its code block; and 2 more text of the same look)"),
    ("low-contrast-code.html", "axe", "#longer-later (tab 'R', line 2 of its code block)"),
    ("unlabelled-input.html", "axe", "label"),
    ("external-image.html", "foreign_requests", "https://example.org/logo.png"),
    ("missing-stylesheet.html", "failed_requests", "HTTP 404"),
    ("console-error.html", "console_errors", "the model did not load"),
])
def test_page_checks_fail_on_broken_pages(browser, fixture_pages, summary, fixture, check, expected):
    context = new_context(browser, color_scheme="light")
    try:
        found = getattr(visit(context, fixture_pages, fixture, summary), check)
    finally:
        context.close()
    assert found, f"the {check} check found nothing wrong with {fixture}"
    assert all(line.startswith(f"/{fixture}") for line in found), found
    assert any(expected in line for line in found), found


def test_colour_rules_outside_the_article_see_the_rest_of_the_page(browser, fixture_pages):
    """The phone and open-search passes run the colour rules outside the article only (its
    colours were checked in both schemes at desktop width): what is outside is still checked,
    and the other rules still judge the article."""
    context = new_context(browser, color_scheme="light")
    page = context.new_page()
    try:
        page.goto(fixture_pages + "low-contrast-header.html", wait_until="load")
        narrowed = axe_problems(page, "/low-contrast-header.html", "light", ALL_RULES,
                                colours_judged_in="article")
        whole = axe_problems(page, "/low-contrast-header.html", "light", ALL_RULES)
    finally:
        context.close()
    assert any("color-contrast" in p and "#faint-header" in p for p in narrowed), narrowed
    assert not any("#faint-article" in p for p in narrowed), narrowed
    assert any(p.startswith("/low-contrast-header.html (light scheme): label ") and
               "#unnamed-in-article" in p for p in narrowed), narrowed  # the other rules: everywhere
    assert any("#faint-header" in p and "#faint-article" in p for p in whole), whole


# --- language switcher ---------------------------------------------------------------------

def switcher_problems(page, base: str, path: str) -> list[str]:
    """From the page (showing `path`) at its last section's anchor, the switcher must land on
    the counterpart page at the same anchor, in the other language."""
    name = page_name(path)
    anchor = page.evaluate(
        "() => [...document.querySelectorAll('article h2[id], article h3[id]')].map(h => h.id).pop() || ''")
    hash_ = f"#{anchor}" if anchor else ""
    page.evaluate("hash => { location.hash = hash; }", hash_)  # as if arriving by a link to it
    other = language_of(counterpart(path))
    page.hover(".md-header__option .md-select")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click(f".md-select__link[hreflang='{other}']")
    landed = page.url.removeprefix(base)
    expected = counterpart(path) + hash_
    problems = []
    if landed != expected:
        problems.append(f"{name}{hash_}: the {other} switcher leads to /{landed}, not /{expected}")
    if page.evaluate("document.documentElement.lang") != other:
        problems.append(f"{name}: the {other} switcher leads to a page whose <html lang> is not {other}")
    if anchor and not page.locator(f"[id='{anchor}']").count():
        problems.append(f"{name}: /{landed} has no element with id {anchor!r} "
                        "(a heading must have the same id in both languages)")
    return problems


@pytest.fixture(scope="module")
def plain_context(browser):
    context = new_context(browser, viewport=DESKTOP)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_language_switcher_leads_to_counterpart_keeping_anchor(site_visit, path):
    problems = site_visit(path).switcher
    assert not problems, "\n".join(problems)


def test_switcher_check_fails_when_anchor_is_lost_or_page_is_wrong(plain_context, broken_site):
    def switch(path):
        return on_new_page(plain_context, broken_site, path,
                           lambda page: switcher_problems(page, broken_site, path))

    lost = switch("training/")
    assert any(p.startswith("/training/#") and "not /fr/training/#" in p for p in lost), lost
    wrong = switch("argo/")
    assert any("leads to /fr/" in p and "not /fr/argo/" in p for p in wrong), wrong


# --- linked tabs ---------------------------------------------------------------------------

TABS_STATE = """() => [...document.querySelectorAll('.tabbed-set')].map((set, index) => {
  const checked = set.querySelector(':scope > input:checked');
  const label = checked && set.querySelector(`.tabbed-labels > label[for="${checked.id}"]`);
  let heading = set.previousElementSibling;
  while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
  return {index: index + 1, selected: label ? label.textContent.trim() : null,
          labels: [...set.querySelectorAll('.tabbed-labels > label')].map(l => l.textContent.trim()),
          under: heading ? '#' + heading.id : '(top)'};
})"""


def tabs_not_showing(page, name: str, label: str) -> list[str]:
    return [f"{name}: tab group {group['index']} (under {group['under']}) shows "
            f"{group['selected']!r}, not {label!r}"
            for group in page.evaluate(TABS_STATE)
            if label in group["labels"] and group["selected"] != label]


def linked_tabs_problems(context, base: str, path: str, next_path: str, label: str = "R") -> list[str]:
    """Choosing `label` in the first tab group switches every group, here and on `next_path`."""
    name = page_name(path)
    page = context.new_page()
    try:
        page.goto(base + path, wait_until="load")
        groups = [g for g in page.evaluate(TABS_STATE) if label in g["labels"]]
        if len(groups) < 2:
            return [f"{name}: {len(groups)} tab group(s) with a {label!r} tab; linking needs two or more"]
        first = page.locator(".tabbed-set").nth(groups[0]["index"] - 1)
        first.locator(".tabbed-labels > label").get_by_text(label, exact=True).click()
        problems = tabs_not_showing(page, name, label)
        page.goto(base + next_path, wait_until="load")
        problems += tabs_not_showing(page, f"{page_name(next_path)} (next page)", label)
        return problems
    finally:
        page.close()


def test_choosing_a_tab_switches_every_group_and_holds_on_the_next_page(browser, site, summary):
    context = new_context(browser)  # fresh profile: no tab remembered from elsewhere
    try:
        with summary.timed("linked tabs"):
            problems = linked_tabs_problems(context, site, "training/", "fr/training/")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_linked_tabs_check_fails_without_linking(browser, broken_site):
    context = new_context(browser)
    try:
        problems = linked_tabs_problems(context, broken_site, "training/", "fr/training/")
    finally:
        context.close()
    assert any(p.startswith("/training/: tab group 2") and "not 'R'" in p for p in problems), problems


# --- copy button ---------------------------------------------------------------------------

CODE_BLOCKS = """() => {
""" + TAB_OF + """
  return [...document.querySelectorAll('article div.highlight')].map((block, index) => {
    const title = block.querySelector('.filename');
    return {index, tab: tabOf(block), file: title ? title.textContent.trim() : null};
  });
}"""


def shown_blocks(path: str, tab: str | None, title: str) -> list:
    """The blocks of the page's source that carry this tab and title, includes expanded by
    pymdownx.snippets as the build expands them (the harness's page model)."""
    source = source_page(path)
    blocks = read(source).blocks if source else []
    return [b for b in blocks if b.tab == tab and b.attrs.get("title") == title]


def without_markers(code: str) -> str:
    """Code as it runs: annotation markers removed, trailing blanks and blank edges ignored."""
    return "\n".join(ANNOTATION_MARKER.sub("", line).rstrip() for line in code.splitlines()).strip("\n")


COPY_EVERY_BLOCK = """async () => {
  const copied = [];
  for (const block of document.querySelectorAll('article div.highlight')) {
    const button = block.querySelector('button[data-clipboard-target]');
    await navigator.clipboard.writeText('');
    if (button) button.click();
    copied.push(button ? await navigator.clipboard.readText() : null);
  }
  return copied;
}"""


def copy_problems(page, path: str, click_timeout: float = 5_000) -> tuple[int, list[str]]:
    """Click every code block's copy button on the page (showing `path`, its context allowed
    the clipboard); the clipboard must hold the snippet, runnable: the file's content without
    annotation markers. Returns (blocks checked, problems)."""
    name = page_name(path)
    problems = []
    blocks = page.evaluate(CODE_BLOCKS)
    # A click event on every button, hidden tabs included, in one call (a reader's click on
    # each, tab by tab, took ten times as long); then a reader's click on the first block shown
    # must reach its button and copy the same.
    copies = page.evaluate(COPY_EVERY_BLOCK)
    first = next((block for block in blocks
                  if page.locator("article div.highlight").nth(block["index"]).is_visible()), None)
    if first and copies[first["index"]] is not None:
        page.evaluate("navigator.clipboard.writeText('')")
        button = page.locator("article div.highlight").nth(first["index"]).locator(
            "button[data-clipboard-target]").first
        try:
            button.click(timeout=click_timeout)
            if page.evaluate("navigator.clipboard.readText()") != copies[first["index"]]:
                problems.append(f"{name}, block {first['index'] + 1}: a reader's click on the copy "
                                "button copies something else than its click event")
        except PlaywrightTimeout:
            problems.append(f"{name}, block {first['index'] + 1}: a reader cannot click the copy button")
    for block, copied in zip(blocks, copies):
        where = f"{name}, tab {block['tab']!r}, block {block['index'] + 1}" + (
            f" ({block['file']})" if block["file"] else "")
        if copied is None:
            problems.append(f"{where}: the block has no copy button")
            continue
        if ANNOTATION_MARKER.search(copied):
            marker = ANNOTATION_MARKER.search(copied).group().strip()
            problems.append(f"{where}: the copied code contains the annotation marker {marker!r}")
        if block["file"]:
            # The n-th rendered block with this tab and title is the n-th such block of
            # the source page (two sections of one file share a title).
            shown = shown_blocks(path, block["tab"], block["file"])
            rank = sum(1 for other in blocks if other["index"] < block["index"]
                       and (other["tab"], other["file"]) == (block["tab"], block["file"]))
            if len(shown) != sum(1 for other in blocks
                                 if (other["tab"], other["file"]) == (block["tab"], block["file"])):
                problems.append(f"{where}: the page's source has {len(shown)} blocks with this "
                                "tab and title, the built page another number: cannot compare")
                continue
            source = shown[rank]
            expected, clipboard = without_markers(source.code), without_markers(copied)
            if clipboard != expected:
                origin = source.lines[0].where(ROOT) if source.lines else f"line {source.line}"
                diff = difflib.unified_diff(expected.splitlines(), clipboard.splitlines(),
                                            f"{origin} (as included)", "clipboard", n=0, lineterm="")
                problems.append(f"{where}: the copied code is not what the page includes "
                                f"({origin}), without markers:\n  " + "\n  ".join(list(diff)[2:8]))
    return len(blocks), problems


def allow_clipboard(context, base: str) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(base))
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)


@pytest.mark.parametrize("path", PAGES, ids=page_name)
def test_copy_button_copies_the_snippet_without_markers(site_visit, path):
    problems = site_visit(path).copy
    assert not problems, "\n".join(problems)


def test_tutorial_page_has_copyable_snippets(site_visit):
    """The copy check above would pass on a page without code; the tutorial must have some."""
    checked = site_visit("training/").copied_blocks
    assert checked >= 4, f"/training/ has {checked} code blocks; the tutorial should have one per tab and step"


def test_copy_check_fails_when_markers_are_copied(browser, broken_site):
    context = new_context(browser)
    allow_clipboard(context, broken_site)
    try:
        _, problems = on_new_page(context, broken_site, "training/",
                                  lambda page: copy_problems(page, "training/"))
    finally:
        context.close()
    assert any(p.startswith("/training/, tab ") and "annotation marker '# (1)!'" in p
               for p in problems), problems


def test_copy_check_fails_on_buttons_a_reader_cannot_use(browser, fixture_pages):
    context = new_context(browser)
    allow_clipboard(context, fixture_pages)
    try:
        _, problems = on_new_page(context, fixture_pages, "copy-buttons.html",
                                  lambda page: copy_problems(page, "copy-buttons.html", 1_000))
    finally:
        context.close()
    assert "/copy-buttons.html, block 1: a reader cannot click the copy button" in problems, problems
    assert "/copy-buttons.html, tab None, block 2: the block has no copy button" in problems, problems


# --- search per language -------------------------------------------------------------------
# One load of each language's tutorial page does every search check, as a reader would use
# search there: nothing fetched on load; the first search fetches that language's index only;
# axe with the results open (light, then dark); a search in words of one language only.

@dataclass
class SearchVisit:
    page: str
    index: list[str] = field(default_factory=list)  # what was fetched, and when
    results: dict[str, list[str]] = field(default_factory=dict)  # query -> result paths
    axe: dict[str, list[str]] = field(default_factory=dict)  # scheme -> violations


RESULT = ".md-search-result__item"
SEARCH_FIELD = "input.md-search__input"


def search_for(page, base: str, query: str) -> list[str]:
    """Types `query` into the header's search field, as a reader would, and returns the result
    links' paths (under the site root, `base`)."""
    page.click(SEARCH_FIELD)
    if page.locator(SEARCH_FIELD).input_value():  # the last search's words and results
        page.fill(SEARCH_FIELD, "")
        page.wait_for_selector(RESULT, state="detached")
    page.keyboard.type(query)
    try:
        page.wait_for_selector(RESULT, timeout=10_000)
    except PlaywrightTimeout:
        return []
    page.wait_for_timeout(300)  # let the result list finish rendering
    hrefs = page.eval_on_selector_all(f"{RESULT} a", "links => links.map(a => a.href)")
    prefix = urllib.parse.urlsplit(base).path
    return sorted({urllib.parse.urlsplit(href).path.removeprefix(prefix) for href in hrefs})


def search_visit(context, base: str, path: str, summary: BrowserSummary,
                 complete: bool = True) -> SearchVisit:
    """The page's search, as a reader uses it; not `complete`: the first search only (what
    is fetched, what it lists), without axe and the search in the page language's own words."""
    name = page_name(path)
    found, fetched = SearchVisit(name), []
    page = context.new_page()
    page.on("request", lambda r: fetched.append(urllib.parse.urlsplit(r.url).path)
            if "search_index" in r.url else None)
    try:
        with summary.timed("search"):
            page.goto(base + path, wait_until="networkidle")
            on_load = list(fetched)
            found.results[SHARED_QUERY] = search_for(page, base, SHARED_QUERY)
            found.index = search_index_problems(base, path, on_load, fetched[len(on_load):])
        if not complete:
            return found
        with summary.timed("axe, search open"):
            # The colour rules outside the article only, as on the phone: the page's visit
            # checked the article's colours in both schemes, and search does not change them.
            # The other rules do not depend on the scheme (as in the page's visit).
            label = f"{name} (search open)"
            unseen = [f"{label}: no results were shown for axe to check"]
            found.axe["light"] = unseen if not found.results[SHARED_QUERY] else (
                axe_problems(page, label, "light", ALL_RULES, colours_judged_in="article"))
            page.keyboard.press("Escape")  # the reader closes search, picks dark, searches again
            switch_to_dark(page)
            found.axe["dark"] = unseen if not search_for(page, base, SHARED_QUERY) else \
                axe_problems(page, label, "dark", COLOUR_ONLY, colours_judged_in="article")
            page.keyboard.press("Escape")
            switch_to_light(page)  # the profile remembers the palette
        with summary.timed("search"):
            own = QUERIES[language_of(path)]
            found.results[own] = search_for(page, base, own)
    finally:
        page.close()
    return found


def search_index_problems(base: str, path: str, on_load: list[str], on_search: list[str]) -> list[str]:
    """No search index is fetched while the page loads; searching fetches the index of the
    page's language, and only that one (overrides/hooks/search_index.py writes one per language)."""
    name = page_name(path)
    expected = urllib.parse.urlsplit(base).path + language_folder(language_of(path)) + \
        "search/search_index.json"
    problems = [f"{name}: fetched {url} on page load, before the reader used search" for url in on_load]
    if on_search != [expected]:
        problems.append(f"{name}: searching fetched {on_search or 'no index'}, expected only {expected}")
    return problems


def search_problems(found: SearchVisit, query: str) -> list[str]:
    results = found.results[query]
    if not results:
        return [f"{found.page}: searching {query!r} finds nothing"]
    return [f"{found.page}: searching {query!r} lists /{result}, a page in another language"
            for result in results if language_of(result) != language_of(found.page.lstrip("/"))]


@pytest.fixture(scope="module")
def searched(browser, site, summary, run_folder):
    """language -> SearchVisit of its tutorial page, made once per run (once_per_run)."""
    context = new_context(browser, color_scheme="light", viewport=DESKTOP)
    try:
        def get(language: str) -> SearchVisit:
            path = f"{language_folder(language)}training/"
            return SearchVisit(**once_per_run(run_folder, f"search {path}", lambda: asdict(
                search_visit(context, site, path, summary))))
        yield get
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", ["own", "shared"])
def test_search_finds_pages_of_the_page_language_only(searched, language, query):
    problems = search_problems(searched(language), QUERIES[language] if query == "own" else SHARED_QUERY)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_results_have_no_accessibility_violations(searched, scheme, language):
    """The search dialog with results is part of what readers see; axe checks it open."""
    problems = searched(language).axe[scheme]
    assert not problems, "axe-core (WCAG 2.0/2.1 A, AA):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_index_is_fetched_on_first_search_in_the_page_language(searched, language):
    problems = searched(language).index
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def broken_search(plain_context, broken_site, summary) -> SearchVisit:
    """The French tutorial page of the broken site, whose search script is missing."""
    return search_visit(plain_context, broken_site, "fr/training/", summary, complete=False)


def test_search_check_fails_on_a_shared_index(broken_search):
    problems = search_problems(broken_search, SHARED_QUERY)
    assert any(p.startswith("/fr/training/: searching 'argo' lists /argo/") for p in problems), problems


def test_search_index_check_fails_on_an_eager_shared_index(broken_search):
    problems = broken_search.index
    assert any(p.startswith("/fr/training/: fetched /") and "search/search_index.json on page load"
               in p for p in problems), problems
    assert any("searching fetched no index, expected only /" in p and
               "fr/search/search_index.json" in p for p in problems), problems


# --- 404 pages -----------------------------------------------------------------------------

NOT_FOUND_TITLES = {"en": "Page not found", "fr": "Page introuvable"}


def not_found_problems(context, base: str, missing: str, language: str) -> list[str]:
    """A missing URL in `language`'s part of the site shows that language's 404 page."""
    page = context.new_page()
    try:
        response = page.goto(base + missing, wait_until="networkidle")
        problems = []
        if response is None or (response.status != 404 and page.url == base + missing):
            problems.append(f"/{missing}: answered {response and response.status}, not 404")
        lang = page.evaluate("document.documentElement.lang")
        title = page.locator("article h1").first.text_content() if page.locator("article h1").count() else ""
        if lang != language or NOT_FOUND_TITLES[language] not in (title or ""):
            problems.append(f"/{missing}: shows lang={lang!r} heading {title!r}, "
                            f"not the {language} 404 page ({NOT_FOUND_TITLES[language]!r})")
        return problems
    finally:
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_page_shows_the_404_page_of_its_language(plain_context, site, language):
    missing = f"{language_folder(language)}no-such-page/"
    problems = not_found_problems(plain_context, site, missing, language)
    assert not problems, "\n".join(problems)


def test_404_check_fails_on_a_site_without_404_pages(plain_context, fixture_pages):
    problems = not_found_problems(plain_context, fixture_pages, "fr/no-such-page/", "fr")
    assert any(p.startswith("/fr/no-such-page/") and "not the fr 404 page" in p for p in problems), problems


# --- one visit per page and run ------------------------------------------------------------

def test_what_is_done_once_per_run_is_done_once_and_a_failure_is_not_kept(tmp_path):
    made = []

    def make():
        made.append(len(made))
        if len(made) == 1:
            raise PlaywrightTimeout("the page did not settle")
        return {"axe": ["a finding"]}

    with pytest.raises(PlaywrightTimeout):
        once_per_run(tmp_path, "visit /training/", make)
    assert once_per_run(tmp_path, "visit /training/", make) == {"axe": ["a finding"]}
    assert once_per_run(tmp_path, "visit /training/", make) == {"axe": ["a finding"]}
    assert made == [0, 1], "a stored visit was made again, or a failed one was kept"
    assert once_per_run(tmp_path, "visit /fr/training/", make) == {"axe": ["a finding"]}
    assert made == [0, 1, 2], "another page was served the findings of /training/"
