"""What a page is made of, for the parity checks: headings, images, links, admonitions, prose.

A page is read by the example harness's page model (mkdocs_examples.page: includes expanded
by pymdownx.snippets, and `Page.document`, its markdown-it tree of headings, admonitions,
tabs, paragraphs...), so that code blocks, inline code and URLs never count as prose, and every
item keeps the page line it came from. What an include brings in is the snippet's, not the
page's: it is not judged here. This module only adds what is the parity checks' own:

- internal links only (the site's own full URLs count as internal, without their language);
- prose cleaned of attribute lists `{ #id .class }`, URLs, icon shortcodes and identifiers;
- text inside `<span lang="xx">…</span>` is a phrase in another language, marked as such for
  screen readers (WCAG 3.1.2); it is kept apart and exempt from the page-language checks.

Downloadable notebooks (`*.ipynb`) are read cell by cell: their Markdown cells go through the
same parser, their code cells are compared as they are (the code comes from the shared
snippets, so it is the same in both languages).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from mkdocs_examples import page as harness_page
from mkdocs_examples.document import Document, Inline, parse_markdown
from mkdocs_examples.support import canonical_site

_ATTR_LIST = re.compile(r"\{[^{}]*\}")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+")
_EMOJI = re.compile(r":[a-z0-9_+-]+:")  # Material icon / emoji shortcodes
_HTML_ATTR = re.compile(r"""\b(src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LANG_SPAN_OPEN = re.compile(r"""<span\b[^>]*\blang\s*=\s*["']?([a-zA-Z-]+)""", re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# File names and identifiers written as plain text ("penguins_raw.csv"): not words of a language.
_IDENTIFIER = re.compile(
    r"[\w.-]*_[\w.-]*"  # snake_case, penguins_raw.csv
    r"|[\w-]+\.(?:csv|tsv|py|R|sas|svg|png|jpg|ipynb|md|ya?ml|json|txt|sh|rds|skops)\b"
)
# Notebooks are downloaded, so they link to the published site with full URLs; those links
# are internal too, and the French site's "fr/" prefix is the language, not the target.
_ROOT = Path(__file__).resolve().parents[2]
_SITE = canonical_site(_ROOT)
_OTHER_LANGUAGES = "|".join(re.escape(c) for c in _SITE.codes if c != _SITE.default.code)
_OWN_SITE = re.compile(  # without a site_url, a pattern that matches nothing
    "^" + re.escape(_SITE.site_url.rstrip("/")) + f"/(?:(?:{_OTHER_LANGUAGES})/)?"
    if _SITE.site_url
    else r"\b\B"
)

@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    id: str | None  # None: the heading has no explicit `{ #id }`
    text: str


@dataclass(frozen=True)
class Item:
    """An image, internal link or admonition: what it is, where, and in which section."""

    line: int
    section: str  # id of the closest heading above ("" before the first one)
    value: str


@dataclass(frozen=True)
class Prose:
    """One block of reader-visible text in the page's language (a paragraph, heading, cell...)."""

    line: int
    text: str
    # (line, text) of each line of the block, for messages that name the exact line.
    lines: tuple[tuple[int, str], ...]


@dataclass
class Page:
    path: Path
    headings: list[Heading] = field(default_factory=list)
    images: list[Item] = field(default_factory=list)
    links: list[Item] = field(default_factory=list)
    admonitions: list[Item] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)
    code_cells: list[Item] = field(default_factory=list)  # notebooks only; value = the code
    where_prefix: str = "line"  # notebooks say "cell"

    def where(self, line: int) -> str:
        return f"{self.path.name}, {self.where_prefix} {line}"

    @property
    def current_section(self) -> str:
        """Id of the last heading read so far ("" before the first one, or without an id)."""
        return (self.headings[-1].id or "") if self.headings else ""

    @property
    def language(self) -> str:
        """'en' or 'fr', from the file-name suffix (`training.fr.md`)."""
        return self.path.suffixes[-2].lstrip(".")


def read_page(path: Path) -> Page:
    if path.suffix == ".ipynb":
        return _read_notebook(path)
    page = Page(path)
    source = harness_page.read_page(path, _SITE.snippets, _ROOT)
    _collect(
        page,
        source.document,
        line_of=lambda n: source.lines[n - 1].lineno,
        own=lambda n: source.lines[n - 1].include < 0,
    )
    return page


def _read_notebook(path: Path) -> Page:
    """A notebook as a page: Markdown cells parsed in order, located by cell number."""
    page = Page(path, where_prefix="cell")
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            _collect(page, parse_markdown(source), line_of=lambda _n, cell_number=number: cell_number)
        elif cell["cell_type"] == "code":
            page.code_cells.append(Item(number, page.current_section, source.strip()))
    return page


def _collect(page: Page, document: Document, line_of, own=lambda _n: True) -> None:
    """Walk the blocks of `document`, filling `page`; `line_of` maps a document line to the
    page's; `own` says whether a line is the page's own (not brought by an include)."""
    section = page.current_section
    for node in document.walk():
        if not own(node.line):
            continue
        line = line_of(node.line)
        if node.kind == "heading":
            page.headings.append(Heading(line, node.level, node.id, node.text))
            section = node.id or ""
        elif node.kind == "admonition":
            page.admonitions.append(Item(line, section, node.tag))
        elif node.kind == "html_block":
            _html_references(page, node.text, section, node.line, line_of)
            _html_prose(page, node.text, node.line, line_of)
        if node.inlines:
            _inline(page, node.inlines, section, line_of)


def _inline(page: Page, inlines: list[Inline], section: str, line_of) -> None:
    """Images, links and prose of one text block, each with its own line."""
    lines: dict[int, list[str]] = {}
    other_language_depth = 0  # inside <span lang="..."> of another language
    for piece in inlines:
        if piece.kind == "image":  # its alt text follows: it is read aloud, it is prose
            page.images.append(Item(line_of(piece.line), section, _strip_url(piece.value)))
        elif piece.kind == "link":
            _add_link(page, piece.value, section, line_of(piece.line))
        elif piece.kind == "html":
            _html_references(page, piece.value, section, piece.line, line_of)
            if _LANG_SPAN_OPEN.match(piece.value):
                other_language_depth += 1
            elif piece.value.lower().startswith("</span") and other_language_depth:
                other_language_depth -= 1
        elif piece.kind == "text" and not other_language_depth:
            lines.setdefault(piece.line, []).append(piece.value)
        # code is never prose.
    cleaned = tuple(
        (line_of(n), text) for n, parts in sorted(lines.items()) if (text := _clean("".join(parts)))
    )
    if cleaned:
        page.prose.append(Prose(cleaned[0][0], " ".join(t for _, t in cleaned), cleaned))


class _HtmlText(HTMLParser):
    """Reader-visible text of raw HTML (a <figcaption>, an alt text), by line of the block,
    without code and without elements marked as another language (`lang="..."`)."""

    NOT_PROSE = frozenset({"code", "pre", "kbd", "samp", "script", "style", "svg", "math"})
    VOID = frozenset(
        {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = [False]  # one entry per open element: is its text excluded?
        self.open_tags: list[str] = []
        self.lines: dict[int, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and found.get("alt") and not self.skipping[-1]:
            self.handle_data(f" {found['alt']} ")
        if tag not in self.VOID:
            self.open_tags.append(tag)
            self.skipping.append(self.skipping[-1] or tag in self.NOT_PROSE or "lang" in found)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_tags:
            while self.open_tags:
                self.skipping.pop()
                if self.open_tags.pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.skipping[-1]:
            line = self.getpos()[0]
            for offset, part in enumerate(data.split("\n")):
                self.lines.setdefault(line + offset, []).append(part)


def _html_prose(page: Page, html: str, first_line: int, line_of) -> None:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    cleaned = tuple(
        (line_of(first_line + n - 1), text)
        for n, parts in sorted(parser.lines.items())
        if (text := _clean(" ".join(parts)))
    )
    if cleaned:
        page.prose.append(Prose(cleaned[0][0], " ".join(t for _, t in cleaned), cleaned))


def _clean(text: str) -> str:
    """Drop what is not prose from a text run: attribute lists, URLs, icon shortcodes, file
    names and identifiers."""
    for pattern in (_ATTR_LIST, _URL, _EMOJI, _IDENTIFIER):
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def _strip_url(url: object) -> str:
    return str(url or "").split("?")[0]


def _add_link(page: Page, href: str, section: str, line: int) -> None:
    """Keep internal links only: external sites may rightly differ between languages."""
    href = _OWN_SITE.sub("", href)
    if href and not _EXTERNAL.match(href):
        page.links.append(Item(line, section, _strip_url(href)))


def _html_references(page: Page, html: str, section: str, first_line: int, line_of) -> None:
    """`<img src>` and `<a href>` written as raw HTML count like their Markdown forms."""
    for offset, html_line in enumerate(html.splitlines() or [html]):
        line = line_of(first_line + offset)
        for attribute, value in _HTML_ATTR.findall(html_line):
            if attribute.lower() == "src":
                page.images.append(Item(line, section, _strip_url(value)))
            else:
                _add_link(page, value, section, line)
