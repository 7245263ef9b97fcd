"""The structure of a Markdown page: headings, admonitions, tabs, fences, paragraphs, lists...

One parse with markdown-it-py (CommonMark, tables, footnotes, definition lists, Python-Markdown
style admonitions) gives a tree of `Node`s that keep their line, so that code blocks, inline
code and URLs are told apart from prose exactly as a Markdown renderer tells them apart.
pymdownx.tabbed `=== "Label"` blocks are parsed as admonitions of kind "tab" (the same
indentation rules), so that their content is Markdown rather than an indented code block.

`page.Page.document` is this tree for a page with its includes expanded; `parse_markdown`
reads a bare Markdown text (a notebook's Markdown cell, an HTML comment's content).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

if TYPE_CHECKING:
    from .page import Block

# `=== "Python"` (pymdownx.tabbed; `===!` and `===+` are variants of the same marker).
TAB = re.compile(r'^(?P<indent> *)===[!+]? +"(?P<label>[^"]*)"')
TAB_KIND = "tab"
# `## Title { #some-id .class }`: the attribute list at the end of a heading.
HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
ID_IN_ATTRS = re.compile(r"(?:^|\s)#([\w-]+)")

_PARSER = (
    MarkdownIt("commonmark")
    .enable("table")
    .use(admon_plugin)
    .use(footnote_plugin)
    .use(deflist_plugin)
)


@dataclass(frozen=True)
class Inline:
    """One piece of a paragraph (or heading, title, cell...): "text", "code", "link" (value: the
    href), "image" (value: the src; its alt text follows as "text"), or "html" (inline HTML)."""

    kind: str
    value: str
    line: int  # line of the document it stands on


@dataclass
class Node:
    """A block of the document. `kind` is markdown-it's block name ("heading", "paragraph",
    "bullet_list", "list_item", "admonition", "admonition_title", "table", "fence",
    "html_block", ...), with "tab" for a pymdownx.tabbed tab."""

    kind: str
    line: int  # first line in the document, 1-based
    end: int  # last line (trailing blank lines excluded)
    children: list[Node] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)  # text blocks: paragraph, heading, ...
    markdown: str = ""  # text blocks: their inline Markdown as written (a table cell: "`species`")
    level: int = 0  # heading: 1 to 6
    id: str | None = None  # heading: the explicit `{ #id }`, None without one
    text: str = ""  # heading: its text without attribute list; html_block, fence: the content
    tag: str = ""  # admonition: its kind (note, tip...); fence: its info string
    title: str = ""  # admonition: the title as written ("" for the default); tab: the label
    block: Block | None = None  # fence of a page: the harness's block (includes expanded)

    def walk(self) -> Iterator[Node]:
        """This node and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Document:
    lines: list[str]  # the text parsed, as written (tabs as `=== "Label"`)
    nodes: list[Node]  # the top-level blocks

    def walk(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()

    def text(self, node: Node, indent: int = 0) -> list[str]:
        """The lines of `node` as written, without the `indent` of the block holding it."""
        return [
            line[indent:] if not line[:indent].strip() else line.lstrip()
            for line in self.lines[node.line - 1 : node.end]
        ]


def tab_as_admonition(line: str) -> str:
    """`=== "Python"` -> `!!! tab "Python"`: same line, its content parsed as Markdown."""
    if match := TAB.match(line):
        return f'{match["indent"]}!!! {TAB_KIND} "{match["label"]}"' + line[match.end() :]
    return line


def parse_markdown(text: str) -> Document:
    lines = text.split("\n")
    return parse_lines(lines, [tab_as_admonition(line) for line in lines])


def parse_lines(lines: list[str], parsed: list[str]) -> Document:
    """The document of `lines`, parsed as `parsed`: the same lines, one for one, some
    rewritten for the parser only (a tab marker by tab_as_admonition; page.py breaks the fence
    markers a snippet brings). Nodes keep the lines as written."""
    tokens = _PARSER.parse("\n".join(parsed))
    root = Node("document", 1, len(lines))
    stack = [root]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        parent = stack[-1]
        if token.type == "inline":
            parent.inlines = _inlines(token, token.map[0] + 1 if token.map else parent.line)
            parent.markdown = token.content
            if parent.kind == "heading":
                _name_heading(parent, token.content)
            continue
        node = _node(token, parent, lines)
        parent.children.append(node)
        if token.nesting == 1:
            stack.append(node)
    return Document(lines, root.children)


def _node(token: Token, parent: Node, lines: list[str]) -> Node:
    first, end = (token.map[0] + 1, token.map[1]) if token.map else (parent.line, parent.line)
    while end > first and not lines[end - 1].strip():
        end -= 1
    kind = token.type.removesuffix("_open")
    node = Node(kind, first, end)
    if kind == "heading":
        node.level = int(token.tag[1])
    elif kind == "admonition":
        node.tag = token.meta.get("tag", "")
        node.title = token.info.strip()[len(node.tag) :].strip().strip('"')
        if node.tag == TAB_KIND:
            node.kind = TAB_KIND
    elif kind in ("fence", "code_block", "html_block"):
        node.text, node.tag = token.content, token.info
    return node


def _name_heading(heading: Node, raw: str) -> None:
    attrs = HEADING_ATTRS.search(raw)
    found = attrs and ID_IN_ATTRS.search(attrs.group(1))
    heading.id = found.group(1) if found else None
    heading.text = HEADING_ATTRS.sub("", raw)


def _inlines(token: Token, first_line: int) -> list[Inline]:
    found: list[Inline] = []
    line = first_line

    def walk(children: list[Token]) -> None:
        nonlocal line
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                found.append(Inline("image", str(child.attrGet("src") or ""), line))
                walk(child.children or [])  # the alt text
            elif child.type == "link_open":
                found.append(Inline("link", str(child.attrGet("href") or ""), line))
            elif child.type == "html_inline":
                found.append(Inline("html", child.content, line))
            elif child.type in ("text", "code_inline"):
                found.append(Inline("text" if child.type == "text" else "code", child.content, line))

    walk(token.children or [])
    return found
