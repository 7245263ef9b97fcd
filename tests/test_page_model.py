"""One model of a page (issue 14): `mkdocs_examples.page.read_page` parses the page once
(includes expanded by pymdownx.snippets) into a tree (`Page.document`) whose fences are the
code blocks the harness runs (`Page.blocks`), which the parity checks and the notebook
generator walk too. What the harness relies on is proven here: every fence the page opens is a
block, in its tab; a snippet's backticks are code; a fence never closed is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DOCS, ROOT, SITE
from mkdocs_examples.document import parse_markdown
from mkdocs_examples.page import PageError, read_page
from mkdocs_examples.site import load_site

HARNESS = ROOT / "tests" / "fixtures" / "harness"
PAGES = [(page, SITE.snippets) for page in sorted(DOCS.rglob("*.md"))] + [
    (page, load_site([site / "mkdocs.yml"]).snippets)
    for site in sorted(HARNESS.iterdir())
    if (site / "mkdocs.yml").is_file()
    for page in sorted((site / "docs").rglob("*.md"))
]


def fences_with_tabs(nodes, tab=None):
    for node in nodes:
        if node.kind == "fence":
            yield node, tab
        yield from fences_with_tabs(node.children, node.title if node.kind == "tab" else tab)


def page_id(value) -> str:
    return str(value.relative_to(ROOT)) if isinstance(value, Path) else ""


@pytest.mark.parametrize(("path", "snippets"), PAGES, ids=page_id)
def test_the_tree_holds_the_harness_blocks_in_their_tabs(path, snippets):
    try:
        page = read_page(path, snippets, ROOT)
    except PageError as error:
        # Only a broken fixture of the harness may be unreadable (test_harness.py checks what
        # the harness says of it); a page of the site never.
        assert path.is_relative_to(HARNESS / "broken"), f"{page_id(path)}: {error}"
        return
    fences = [(node, tab) for node, tab in fences_with_tabs(page.document.nodes)
              if page.lines[node.line - 1].include < 0]  # a fence inside an include is its code
    assert [node.block for node, _ in fences] == page.blocks
    assert [tab for _, tab in fences] == [block.tab for block in page.blocks]
    assert all(block.line == page.lines[node.line - 1].lineno for node, _ in fences for block in [node.block])


def write_site(tmp_path: Path, page: str, snippet: str = "") -> Path:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "example.md").write_text(snippet)
    (tmp_path / "page.md").write_text(page)
    return tmp_path / "page.md"


def test_backticks_of_a_snippet_are_code(tmp_path):
    path = write_site(tmp_path, '=== "Text"\n\n    ```text\n    --8<-- "example.md"\n    ```\n',
                      "before\n```\nafter")
    [block] = read_page(path, tmp_path / "snippets", tmp_path).blocks
    assert (block.tab, block.code, block.line) == ("Text", "before\n```\nafter\n", 3)
    assert block.includes == ["example.md"]


def test_a_fence_never_closed_is_an_error_naming_page_and_line(tmp_path):
    path = write_site(tmp_path, "# T\n\n```py\nx = 1\n")
    with pytest.raises(PageError, match=r"page\.md:3: code fence is never closed"):
        read_page(path, tmp_path / "snippets", tmp_path)


def test_nodes_keep_their_lines_ids_titles_and_inlines():
    document = parse_markdown(
        "# Title { #the-id }\n\n"
        '!!! note "Read me"\n\n    Some [link](a.md#x) and\n    ![alt text](i.svg){ width="3" }\n\n'
        '=== "Python"\n\n    ```py\n    x = 1\n    ```\n'
    )
    heading, note, tab = document.nodes
    assert (heading.kind, heading.level, heading.id, heading.text) == ("heading", 1, "the-id", "Title")
    assert (note.kind, note.tag, note.title, note.line, note.end) == ("admonition", "note", "Read me", 3, 6)
    paragraph = note.children[1]
    assert [(i.kind, i.value, i.line) for i in paragraph.inlines if i.kind != "text"] == [
        ("link", "a.md#x", 5), ("image", "i.svg", 6)]
    assert document.text(paragraph, 4) == ["Some [link](a.md#x) and", '![alt text](i.svg){ width="3" }']
    assert (tab.kind, tab.title, [c.kind for c in tab.children]) == ("tab", "Python", ["admonition_title", "fence"])
