"""One model of a page (issue 14): `mkdocs_examples.page.read_page` gives the code blocks the
harness runs and the page's structure (`Page.document`), which the parity checks and the
notebook generator read. The two must agree: every fence of the tree is a harness block, in
the same tab, and every harness block is a fence of the tree."""

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
    except PageError:
        pytest.skip("a page the harness rejects (a broken fixture)")
    fences = list(fences_with_tabs(page.document.nodes))
    assert [node.block for node, _ in fences] == page.blocks
    assert [tab for _, tab in fences] == [block.tab for block in page.blocks]


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
