"""Read a Markdown page the way MkDocs Material renders it: its code blocks and its structure.

Includes (`--8<--`) are expanded by pymdownx.snippets' own preprocessor, so the harness sees
exactly the code readers see; every line remembers the file and line it came from, so that a
failure can name `snippets/.../step2_prepare.py:7` rather than a line of the rendered page.
The page is parsed once (document.py): `Page.document` is its tree of headings, admonitions,
tabs, paragraphs and fences, and `Page.blocks` are the fences the page opens, the code blocks
the harness runs. Whatever else reads a page (the parity checks, the notebook generator)
walks the same tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor

from .document import Document, Node, parse_lines, tab_as_admonition

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,}) *(?P<info>[^`]*)$")
# `{ .py title="x" data-test="skip" }` or `python title="x"`: classes, ids and key=value pairs.
ATTRIBUTE = re.compile(r"""(?P<key>[\w:-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
CLASS = re.compile(r"(?:^|\s)\.(?P<name>[\w+-]+)")


class PageError(Exception):
    """The page cannot be read as readers would see it (e.g. an include that does not exist)."""


@dataclass(frozen=True)
class SourceLine:
    """One line of code, and where it really lives (a snippet file, or the page itself)."""

    text: str
    path: Path
    lineno: int
    include: int = -1  # index of the page's include this line came from, -1 if written in the page

    def where(self, root: Path) -> str:
        return f"{relative(self.path, root)}:{self.lineno}"


@dataclass
class Block:
    """A fenced code block of a page, after includes are expanded."""

    page: Path
    line: int  # page line of the opening fence
    tab: str | None  # innermost `=== "Label"` the block sits in
    lang: str  # first class or word of the fence: py, r, yaml, ...
    attrs: dict[str, str]
    lines: list[SourceLine]
    includes: list[str] = field(default_factory=list)  # snippet paths, as written in the page

    @property
    def code(self) -> str:
        return "".join(line.text + "\n" for line in self.lines)

    @property
    def test(self) -> str:
        """The harness declaration: "" (run in the session), "script" or "skip"."""
        return self.attrs.get("data-test", "")


@dataclass
class Page:
    path: Path
    blocks: list[Block]
    includes: list[tuple[str | None, str, int]]  # (tab, snippet path, page line), in page order
    included_files: set[Path]
    root: Path  # paths in messages are shown relative to it (the pytest rootdir)
    lines: list[SourceLine] = field(default_factory=list)  # the page, includes expanded
    include_files: list[Path] = field(default_factory=list)  # the file of each of `includes`
    # The page as a tree of blocks (document.py), its lines those of `lines`
    # (`lines[node.line - 1]` says where a node really is); its fences hold the `blocks`.
    document: Document = field(default_factory=lambda: Document([], []))

    def includers_of(self, snippet: Path) -> list[tuple[int, str | None]]:
        """(page line, tab) of each include of `snippet` in this page."""
        snippet = snippet.resolve()
        return [
            (line, tab)
            for (tab, _, line), file in zip(self.includes, self.include_files)
            if file is not None and file.resolve() == snippet
        ]

    def blocks_in(self, tab: str | None = None, langs: tuple[str, ...] | None = None) -> list[Block]:
        """The blocks of one tab (None: every block) and of some fence languages."""
        return [
            b
            for b in self.blocks
            if (tab is None or b.tab == tab) and (langs is None or b.lang in langs)
        ]

    def included_lines(self) -> dict[Path, set[int]]:
        """Each snippet file this page shows, with the line numbers of it that it shows."""
        shown: dict[Path, set[int]] = {}
        for line in self.lines:
            if line.include >= 0:
                shown.setdefault(line.path.resolve(), set()).add(line.lineno)
        return shown


def section_marker(line: str) -> bool:
    """True for a pymdownx.snippets section marker line (`# --8<-- [start:name]`)."""
    return bool(SnippetPreprocessor.RE_SNIPPET_SECTION.match(line))


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def snippet_options(snippets: Path | dict) -> dict:
    """pymdownx.snippets options: as the site's config gives them (site.Site.snippets), or, for a
    bare folder, the strict settings this project uses (check_paths, restrict_base_path)."""
    if isinstance(snippets, dict):
        return snippets
    return {"base_path": [str(snippets)], "check_paths": True, "restrict_base_path": True}


class Snippets:
    """pymdownx.snippets' preprocessor, configured like mkdocs.yml, used one include at a time."""

    def __init__(self, snippets: Path | dict):
        options = snippet_options(snippets)
        # Without check_paths a missing include would silently vanish from the example.
        extension = SnippetExtension(**{**options, "check_paths": True})
        self.pre = markdown.Markdown(extensions=[extension]).preprocessors["snippet"]
        bases = options.get("base_path", ["."])
        self.base = Path(bases if isinstance(bases, str) else bases[0])

    def expand(self, notation: list[str]) -> list[str]:
        self.pre.seen, self.pre.bases, self.pre.failed = set(), None, set()
        return self.pre.parse_snippets(notation)

    def target(self, spec: str) -> Path | None:
        """The file an include names (`path:section` and `path:1:5` give `path`), found the
        way pymdownx.snippets finds it."""
        match = self.pre.RE_SNIPPET_FILE.match(spec.strip())
        found = match and self.pre.get_snippet_path(match.group(1).strip())
        return Path(found) if found else None


def _trace(
    expanded: list[str], indent: str, origin: Path, fallback: SourceLine, include: int = -1
) -> list[SourceLine]:
    """Give each expanded line its line number in `origin`: the expanded lines are the file's
    lines in order, minus section markers, so a forward scan finds each one. A line that is not
    found (content of a nested include) keeps the place of the include itself."""
    file_lines = origin.read_text(encoding="utf-8").split("\n")
    traced, j = [], 0
    for text in expanded:
        bare = text[len(indent) :] if text.startswith(indent) else text
        k = j
        while k < len(file_lines) and file_lines[k] != bare:
            k += 1
        if k < len(file_lines):
            traced.append(SourceLine(text, origin, k + 1, include))
            j = k + 1
        else:
            traced.append(SourceLine(text, fallback.path, fallback.lineno, include))
    return traced


def expand_includes(
    path: Path, snippets: Path | dict | None, root: Path
) -> tuple[list[SourceLine], list[tuple[int, str, Path]]]:
    """The page's lines with every `--8<--` include expanded, and (page line, spec, file) of
    each include. Without snippets (the site does not use pymdownx.snippets) lines are as
    written."""
    raw = path.read_text(encoding="utf-8").split("\n")
    if snippets is None:
        return [SourceLine(line, path, i + 1) for i, line in enumerate(raw)], []
    snippets = Snippets(snippets)
    snippets_dir = snippets.base
    out: list[SourceLine] = []
    includes: list[tuple[int, str, Path]] = []
    i = 0
    while i < len(raw):
        line = raw[i]
        match = snippets.pre.RE_ALL_SNIPPETS.match(line)
        here = SourceLine(line, path, i + 1)
        if not match or match.group("escape"):
            out.extend(_trace(snippets.expand([line]), "", path, here) if match else [here])
            i += 1
            continue
        indent = match.group("space")
        if match.group("inline_marker"):
            specs, notation = [match.group("snippet")[1:-1].strip()], [[line]]
            i += 1
        else:  # block form: one path per line until the closing marker
            end = next(
                (k for k in range(i + 1, len(raw)) if snippets.pre.RE_ALL_SNIPPETS.match(raw[k])),
                None,
            )
            if end is None:
                raise PageError(f"{relative(path, root)}:{i + 1}: '--8<--' block is never closed")
            specs = [
                p.strip() for p in raw[i + 1 : end] if p.strip() and not p.strip().startswith(";")
            ]
            notation = [[line, raw[i][: len(indent)] + spec, line] for spec in specs]
            i = end + 1
        for spec, lines in zip(specs, notation):
            try:
                expanded = snippets.expand(lines)
            except SnippetMissingError as error:
                raise PageError(
                    f"{relative(path, root)}:{here.lineno}: include {spec!r} not found "
                    f"under {relative(snippets_dir, root)}/ ({error})"
                ) from None
            origin = snippets.target(spec)
            includes.append((here.lineno, spec, origin))
            out.extend(_trace(expanded, indent, origin, here, len(includes) - 1))
    return out, includes


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Language and attributes of a fence's info string (brace form or plain form)."""
    info = info.strip()
    attrs = {
        m["key"]: next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None)
        for m in ATTRIBUTE.finditer(info)
    }
    if info.startswith("{"):
        classes = CLASS.findall(info.strip("{} "))
        lang = classes[0] if classes else ""
    else:
        lang = info.split()[0] if info.split() else ""
    return lang.lower(), attrs


def read_page(path: Path, snippets: Path | dict | None, root: Path) -> Page:
    """The page, includes expanded, parsed once (document.py): its fenced blocks, with their tab
    label, language, attributes and origins, and its tree. `snippets`: pymdownx.snippets'
    options (site.Site.snippets), or its base folder."""
    lines, includes = expand_includes(path, snippets, root)
    document = parse_lines([line.text for line in lines], [_as_parsed(line) for line in lines])
    first_lines: dict[int, int] = {}  # include -> document line of its first line (if any)
    for number, line in enumerate(lines, 1):
        if line.include >= 0:
            first_lines.setdefault(line.include, number)
    blocks, tabs = [], []  # tabs: (first line, last line, label), outer before inner
    for node, tab in _with_tabs(document.nodes):
        if node.kind == "tab":
            tabs.append((node.line, node.end, node.title))
        elif node.kind == "fence" and (block := _block(node, tab, lines, path, root)):
            block.includes = [includes[i][1] for i, n in first_lines.items() if node.line < n < node.end]
            node.block = block
            blocks.append(block)

    def tab_at(number: int) -> str | None:
        return next((label for first, last, label in reversed(tabs) if first <= number <= last), None)

    order = [(tab_at(n), includes[i][1], includes[i][0]) for i, n in sorted(first_lines.items())]
    files = [includes[i][2] for i in sorted(first_lines)]
    included = {origin for _, _, origin in includes}
    return Page(path, blocks, order, included, root, lines, files, document)


def _as_parsed(line: SourceLine) -> str:
    """A line as the Markdown parser is given it. A tab marker of the page becomes an
    admonition (document.py); what an include brings is code, never a fence marker of the page
    (a snippet line of backticks neither opens nor closes a fence), so its marker is broken by
    an invisible word joiner before the parser sees it."""
    if line.include < 0:
        return tab_as_admonition(line.text)
    if opening := FENCE.match(line.text):
        return opening["indent"] + "\u2060" + line.text[len(opening["indent"]) :]
    return line.text


def _with_tabs(nodes: list[Node], tab: str | None = None):
    """(node, label of the innermost tab holding it), for every node, in document order."""
    for node in nodes:
        yield node, tab
        yield from _with_tabs(node.children, node.title if node.kind == "tab" else tab)


def _block(node: Node, tab: str | None, lines: list[SourceLine], path: Path, root: Path) -> Block | None:
    """The harness's block of a fence the page itself opens (not one inside an include, nor
    one in a blockquote), its code lines dedented by the fence's indent."""
    opener = lines[node.line - 1]
    opening = FENCE.match(opener.text)
    if opener.include >= 0 or not opening:
        return None
    marker, last = opening["fence"], lines[node.end - 1]
    closer = last.text.strip()
    if node.end == node.line or last.include >= 0 or not (closer.startswith(marker) and set(closer) == {marker[0]}):
        raise PageError(f"{relative(path, root)}:{opener.lineno}: code fence is never closed")
    indent = len(opening["indent"])
    lang, attrs = parse_info(opening["info"])
    code = [_dedented(line, indent) for line in lines[node.line : node.end - 1]]
    return Block(path, opener.lineno, tab, lang, attrs, code)


def _dedented(line: SourceLine, indent: int) -> SourceLine:
    text = line.text[indent:] if not line.text[:indent].strip() else line.text.lstrip()
    return SourceLine(text, line.path, line.lineno, line.include)
