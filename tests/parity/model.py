"""What a page is made of, for the parity checks: headings, images, links, admonitions, prose.

Pages are parsed with markdown-it-py (CommonMark, tables, footnotes, definition lists,
Python-Markdown style admonitions) so that code blocks, inline code and URLs never count as
prose, and every item keeps the line it came from. Two MkDocs-specific syntaxes are handled around the parser:

- pymdownx.tabbed `=== "Label"` blocks are parsed as admonitions of kind "tab" (same
  indentation rules), so their content is Markdown rather than an indented code block;
- attribute lists `{ #id .class }` are read from the end of headings and dropped from prose.

Text inside `<span lang="xx">…</span>` is a phrase in another language, marked as such for
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

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from mkdocs_examples.support import canonical_site

TAB_KIND = "tab"
_TAB_LINE = re.compile(r'^([ \t]*)===[+!]?([ \t]+")', re.MULTILINE)
_HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_ATTR_LIST = re.compile(r"\{[^{}]*\}")
_ID_IN_ATTRS = re.compile(r"(?:^|\s)#([\w-]+)")
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
_SITE = canonical_site(Path(__file__).resolve().parents[2])
_OTHER_LANGUAGES = "|".join(re.escape(c) for c in _SITE.codes if c != _SITE.default.code)
_OWN_SITE = re.compile(  # without a site_url, a pattern that matches nothing
    "^" + re.escape(_SITE.site_url.rstrip("/")) + f"/(?:(?:{_OTHER_LANGUAGES})/)?"
    if _SITE.site_url
    else r"\b\B"
)

_PARSER = (
    MarkdownIt("commonmark")
    .enable("table")
    .use(admon_plugin)
    .use(footnote_plugin)
    .use(deflist_plugin)
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
    _collect(page, path.read_text(encoding="utf-8"), line_of=lambda n: n)
    return page


def _read_notebook(path: Path) -> Page:
    """A notebook as a page: Markdown cells parsed in order, located by cell number."""
    page = Page(path, where_prefix="cell")
    for number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            _collect(page, source, line_of=lambda _n, cell_number=number: cell_number)
        elif cell["cell_type"] == "code":
            page.code_cells.append(Item(number, page.current_section, source.strip()))
    return page


def _collect(page: Page, source: str, line_of) -> None:
    """Walk the block tokens of `source`, filling `page`; `line_of` maps a 1-based line."""
    # `=== "Python"` -> `!!! tab "Python"`: same line numbers, content parsed as Markdown.
    tokens = _PARSER.parse(_TAB_LINE.sub(rf"\1!!! {TAB_KIND}\2", source))
    section = page.current_section
    block_line = 1
    for index, token in enumerate(tokens):
        if token.map:
            block_line = token.map[0] + 1
        line = line_of(block_line)
        if token.type == "heading_open":
            raw = tokens[index + 1].content
            attrs = _HEADING_ATTRS.search(raw)
            heading_id = None
            if attrs and (found := _ID_IN_ATTRS.search(attrs.group(1))):
                heading_id = found.group(1)
            text = _HEADING_ATTRS.sub("", raw)
            page.headings.append(Heading(line, int(token.tag[1]), heading_id, text))
            section = heading_id or ""
        elif token.type == "admonition_open" and token.meta.get("tag") != TAB_KIND:
            page.admonitions.append(Item(line, section, token.meta.get("tag", "")))
        elif token.type == "html_block":
            _html_references(page, token.content, section, block_line, line_of)
            _html_prose(page, token.content, block_line, line_of)
        elif token.type == "inline":
            _inline(page, token, section, block_line, line_of)


def _inline(page: Page, token: Token, section: str, first_line: int, line_of) -> None:
    """Images, links and prose of one inline token, each with its own line."""
    lines: dict[int, list[str]] = {}
    line = first_line
    other_language_depth = 0  # inside <span lang="..."> of another language

    def walk(children: list[Token]) -> None:
        nonlocal line, other_language_depth
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                page.images.append(Item(line_of(line), section, _strip_url(child.attrGet("src"))))
                walk(child.children or [])  # alt text is read aloud: it is prose
            elif child.type == "link_open":
                _add_link(page, str(child.attrGet("href") or ""), section, line_of(line))
            elif child.type == "html_inline":
                _html_references(page, child.content, section, line, line_of)
                if _LANG_SPAN_OPEN.match(child.content):
                    other_language_depth += 1
                elif child.content.lower().startswith("</span") and other_language_depth:
                    other_language_depth -= 1
            elif child.type == "text" and not other_language_depth:
                lines.setdefault(line, []).append(child.content)
            # code_inline is never prose.

    walk(token.children or [])
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
    if text.lstrip().startswith("--8<--"):
        return ""
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
