"""Generate the tutorial notebooks from the training page and the snippets it includes.

    .venv/bin/python scripts/make_notebooks.py           # regenerate the stale notebooks
    .venv/bin/python scripts/make_notebooks.py --check   # exit 1 if a committed one is stale
    .venv/bin/python scripts/make_notebooks.py --rerun   # run every notebook again

A notebook is run (Jupyter kernels python3 and ir, a few seconds each) when its code cells or
the sample data changed; when only its prose changed, its stored outputs are kept.

For each language of the page (en, fr) and each tutorial tab (Python, R), the steps between
`<!-- tutorial:start -->` and `<!-- tutorial:end -->` of docs/training.LANG.md become
docs/notebooks/tutorial-TAB.LANG.ipynb. The page is read by the example harness's page model
(mkdocs_examples.page, `Page.document`: its blocks as markdown-it parses them, each fence
being the block the harness runs, includes expanded by pymdownx.snippets), and:

- headings and paragraphs become markdown cells, in the page's language;
- a tab's code fence becomes a code cell holding the snippet file it includes (read from
  snippets/, never copied by hand); annotation markers `# (1)!` become plain `# (1)`
  references and the annotation list of the page follows the cell as markdown;
- `#>` lines (expected output, checked by the page harness) are dropped: the notebook
  stores the real output of each cell instead, produced by running it here on the sample data;
- wording that speaks of the web page (its tabs, markers, the other languages) is the page
  author's to mark: `<!-- page-only -->` ... `<!-- /page-only -->` is left out of notebooks,
  and the text of a `<!-- notebook ... -->` comment (`<!-- notebook: python ... -->` for one
  flavour only) goes into them instead; the page itself does not show comments.

Outputs are stored so that the rendered pages show results; they are deterministic (fixed
seeds, no timings, sequential execution counts). The notebook metadata records a hash of
what the outputs are made from (code cells, sample data); with the cells themselves, the
tests use it to tell a stale notebook from a current one without running anything.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from traitlets import default

from mkdocs_examples import sandbox
from mkdocs_examples.document import Document, Node, parse_markdown
from mkdocs_examples.page import Page, PageError, read_page
from mkdocs_examples.support import canonical_site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DATA = DOCS / "data"
OUT_DIR = DOCS / "notebooks"
LANGUAGES = ("en", "fr")
START, END = "<!-- tutorial:start -->", "<!-- tutorial:end -->"
CELL_TIMEOUT = 120  # seconds per cell; each whole notebook takes a few seconds

# Notebook flavour per tutorial tab: the tab label on the page and the Jupyter kernel.
FLAVOURS = {
    "python": {
        "tab": "Python",
        "fences": ("py", "python", "python3"),
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python", "file_extension": ".py"},
    },
    "r": {
        "tab": "R",
        "fences": ("r",),
        "kernelspec": {"name": "ir", "display_name": "R", "language": "R"},
        "language_info": {"name": "R", "file_extension": ".r"},
    },
}

# The only prose that is the notebook's own: its title and how to get the data next to it.
INTRO = {
    "en": (
        "# Train a model in JupyterLab ({tab})\n\n"
        "This notebook is the tutorial of the page [Training models on the AAW]({site}training/), "
        "generated from the same code. To run it on the AAW, upload it to your notebook server "
        "with the sample data files [penguins_raw.csv]({site}data/penguins_raw.csv) and "
        "[new_penguins.csv]({site}data/new_penguins.csv) in the same folder (see "
        "[Sample data]({site}sample-data/)), then run the cells in order."
    ),
    "fr": (
        "# Entraîner un modèle dans JupyterLab ({tab})\n\n"
        "Ce bloc-notes reprend le tutoriel de la page [Entraîner des modèles dans l'ETAA]"
        "({site}fr/training/), produit à partir du même code. Pour l'exécuter dans l'ETAA, "
        "téléversez-le dans votre serveur de blocs-notes avec les fichiers de données d'exemple "
        "[penguins_raw.csv]({site}data/penguins_raw.csv) et [new_penguins.csv]({site}data/new_penguins.csv) "
        "dans le même dossier (voir "
        "[Données d'exemple]({site}fr/sample-data/)), puis exécutez les cellules dans l'ordre."
    ),
}
NOT_RUN = {
    "en": "*Shown for reference, not run in this notebook: {reason}.*",
    "fr": "*Présenté à titre de référence, non exécuté dans ce bloc-notes\u00a0: {reason}.*",
}
ADMONITION_TITLES = {
    "en": {"note": "Note", "tip": "Tip", "info": "Info", "warning": "Warning", "example": "Example"},
    "fr": {"note": "Remarque", "tip": "Astuce", "info": "Info", "warning": "Attention", "example": "Exemple"},
}

MARKER = re.compile(r"#\s*\((?P<n>\d+)\)!")
SHOWN_OUTPUT = re.compile(r"^\s*#>")
MD_LINK = re.compile(r"(?<!!)\]\((?P<target>[^)\s]+)\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)\)(\{[^}]*\})?")  # with its { width=... }


class TutorialError(ValueError):
    """The page does not follow the conventions the generator relies on (see CONTRIBUTING.md)."""


@dataclass
class Code:
    source: str
    language: str  # first class of a brace-form fence ({ .py }) or first word (python)
    attributes: dict[str, str] = field(default_factory=dict)


def site_url() -> str:
    """The canonical site URL of mkdocs.yml: its default, whatever SITE_URL a preview sets,
    so that the notebooks do not depend on who generated them."""
    url = canonical_site(ROOT).site_url or "/"
    return url if url.endswith("/") else url + "/"


def tutorial(page: Path, lang: str, flavour: str, snippets: Path) -> tuple[Tutorial, list[Node]]:
    """The page read by its model (mkdocs_examples.page: includes expanded by pymdownx.snippets
    itself, the harness's blocks), and its blocks between the tutorial markers."""
    try:
        source = read_page(page, snippets, ROOT)
    except PageError as error:
        raise TutorialError(str(error)) from None
    nodes = source.document.nodes
    markers = {marker: [n for n, node in enumerate(nodes) if is_comment(node, marker)] for marker in (START, END)}
    if len(markers[START]) != 1 or len(markers[END]) != 1:
        raise TutorialError(f"{page}: expected one {START} and one {END} marker")
    (start,), (end,) = markers[START], markers[END]
    return Tutorial(source, lang, flavour, nodes[start].line), nodes[start + 1 : end]


def is_comment(node: Node, text: str) -> bool:
    return node.kind == "html_block" and node.text.strip() == text


PAGE_ONLY = re.compile(r"^\s*<!--\s*(?P<end>/)?page-only\s*-->\s*$")
NOTEBOOK_ONLY = re.compile(r"^(?P<indent>\s*)<!--\s*notebook(?::\s*(?P<flavour>[\w-]+))?\s*$")
Kept = tuple[Document, Node, int]  # a block the notebook says: its document, itself, its indent


@dataclass
class Tutorial:
    """The tutorial of one page for one notebook flavour, in the page's language."""

    source: Page
    lang: str
    flavour: str
    start: int  # line of the start marker in the page's document

    def line(self, node: Node, document: Document) -> int:
        """The tutorial line of `node`, as written in the page: line 1 is the start marker's
        (and that of whatever is inside a notebook comment, which has no page lines)."""
        lines = self.source.lines
        line = node.line if document is self.source.document else self.start
        return lines[line - 1].lineno - lines[self.start - 1].lineno + 1

    def notebook_wording(self, document: Document, nodes: list[Node], indent: int) -> list[Kept | None]:
        """The blocks a notebook says, with None where the page has blank lines between them:
        page-only sections dropped, the content of notebook comments (for every flavour, or for
        this one) parsed in their place."""
        kept: list[Kept | None] = []
        page_only, previous_end = None, None
        for node in nodes:
            if previous_end is not None and node.line > previous_end + 1:
                kept.append(None)
            previous_end = node.end
            first = document.lines[node.line - 1] if node.kind == "html_block" else ""
            if m := PAGE_ONLY.match(first):
                if bool(m["end"]) != (page_only is not None):
                    raise TutorialError(
                        f"{self.source.path}: unbalanced page-only marker on tutorial line {self.line(node, document)}")
                page_only = None if m["end"] else node
            elif m := NOTEBOOK_ONLY.match(first):
                comment = document.text(node, indent)
                if comment[-1].strip() != "-->":
                    raise TutorialError(f"{self.source.path}: notebook comment on tutorial line "
                                        f"{self.line(node, document)} is never closed")
                if page_only is None and m["flavour"] in (None, self.flavour):
                    inner = parse_markdown("\n".join(comment[1:-1]))
                    kept += [(inner, child, 0) for child in inner.nodes]
            elif page_only is None:
                kept.append((document, node, indent))
        if page_only is not None:
            raise TutorialError(f"{self.source.path}: page-only section opened on tutorial line "
                                f"{self.line(page_only, document)} is never closed")
        return kept

    def items(self, document: Document, nodes: list[Node], tab: str, indent: int = 0) -> list[str | Code]:
        """Markdown lines (str) and code blocks (Code), in page order, for one tab."""
        items: list[str | Code] = []
        for kept in self.notebook_wording(document, nodes, indent):
            if kept is None:
                items.append("")
                continue
            owner, node, margin = kept  # owner: the page's document, or a notebook comment's
            inner = indent_of(owner, node) + 4
            if node.kind == "tab":
                if node.title == tab:
                    items += self.items(owner, body(node), tab, inner) + [""]
            elif node.kind == "admonition":
                title = node.title or ADMONITION_TITLES[self.lang].get(node.tag, node.tag.title())
                quoted = [f"> {line}".rstrip() for line in self.raw(owner, body(node), inner)]
                items += ["\n".join([f"> **{title}**", ">", *quoted]), ""]
            elif node.kind == "fence":
                if node.block is None:
                    raise TutorialError(f"{self.source.path}: tutorial line {self.line(node, owner)}: "
                                        "code that is not a block of the page")
                block = node.block  # as the harness runs it
                items.append(Code(clean_code(block.code), block.lang, block.attrs))
            elif node.kind == "heading":
                # Page steps are level 4 under "Use JupyterLab"; in the notebook they are sections.
                # The page's id is kept as an anchor, the same in both languages, so that the
                # language switcher lands on the same step.
                anchor = f'<a id="{node.id}"></a>' if node.id else ""
                items.append(f"## {node.text.strip()}{anchor}")
            else:
                items += owner.text(node, margin)
        return items

    def raw(self, document: Document, nodes: list[Node], indent: int) -> list[str]:
        """The notebook's wording of `nodes` as written (an admonition's body), one blank line
        where the page has blank lines."""
        lines: list[str] = []
        for kept in self.notebook_wording(document, nodes, indent):
            lines += [""] if kept is None else kept[0].text(kept[1], kept[2])
        # A dropped section leaves its blank lines behind: keep one, as the page had.
        lines = [line for n, line in enumerate(lines) if line.strip() or (n and lines[n - 1].strip())]
        while lines and not lines[-1].strip():
            lines.pop()
        return lines


def indent_of(document: Document, node: Node) -> int:
    line = document.lines[node.line - 1]
    return len(line) - len(line.lstrip(" "))


def body(node: Node) -> list[Node]:
    """The content of an admonition or a tab, without its title."""
    return [child for child in node.children if child.kind != "admonition_title"]


def clean_code(source: str) -> str:
    """A snippet as a notebook cell: no shebang, no shown output, readable annotation refs."""
    kept = []
    for number, line in enumerate(source.splitlines()):
        if (number == 0 and line.startswith("#!")) or SHOWN_OUTPUT.match(line):
            continue
        kept.append(MARKER.sub(r"# (\g<n>)", line).rstrip())
    return "\n".join(kept).strip("\n")


def absolute_links(markdown: str, lang: str, site: str) -> str:
    """Relative site links work on the site only; the downloaded notebook needs full URLs."""
    prefix = site if lang == "en" else f"{site}{lang}/"

    def page_url(target: str) -> str | None:
        if re.match(r"^[a-z]+:", target):
            return None  # already absolute
        path, _, anchor = target.partition("#")
        if not path:
            return f"{prefix}training/#{anchor}"
        if path.endswith(".md"):
            page = path[: -len(".md")].removesuffix("index").strip("/")
            return f"{prefix}{page + '/' if page else ''}" + (f"#{anchor}" if anchor else "")
        return f"{site}{path.lstrip('./')}"

    # Images become links: the notebook shows the figures its own cells draw.
    markdown = IMAGE.sub(lambda m: f"[{m['alt']}]({page_url(m['target']) or m['target']})", markdown)
    return MD_LINK.sub(lambda m: f"]({page_url(m['target']) or m['target']})", markdown)


def build_notebook(page: Path, lang: str, flavour: str, snippets: Path = SNIPPETS) -> nbformat.NotebookNode:
    """The notebook without outputs, exactly determined by the page, the snippets and the data."""
    spec = FLAVOURS[flavour]
    site = site_url()
    cells = [new_markdown_cell(INTRO[lang].format(tab=spec["tab"], site=site))]
    markdown: list[str] = []

    def flush_markdown():
        text = "\n".join(markdown).strip()
        # Collapse runs of blank lines left by dropped tabs of the other languages.
        text = re.sub(r"\n{3,}", "\n\n", text)
        if text:
            cells.append(new_markdown_cell(absolute_links(text, lang, site)))
        markdown.clear()

    reader, nodes = tutorial(page, lang, flavour, snippets)
    for item in reader.items(reader.source.document, nodes, spec["tab"]):
        if isinstance(item, str):
            if item.startswith("## "):
                flush_markdown()  # every step starts its own markdown cell
            markdown.append(item)
            continue
        if item.language not in spec["fences"]:
            # Code of another language outside the tabs (a shell command, YAML...): shown only.
            markdown += ["", f"```{item.language}\n{item.source}\n```", ""]
            continue
        test = item.attributes.get("data-test")
        if test in ("skip", "script"):
            reason = item.attributes.get("data-reason", item.attributes.get("data-args", test))
            markdown += ["", f"```{item.language}\n{item.source}\n```", "", NOT_RUN[lang].format(reason=reason), ""]
            continue
        flush_markdown()
        cells.append(new_code_cell(item.source))
    flush_markdown()
    describe_figures(cells)

    if not any(c.cell_type == "code" for c in cells):
        raise TutorialError(f"{page}: no {spec['tab']} code found between the tutorial markers")
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number:02d}"  # stable ids: same structure in both languages, clean diffs
    nb = new_notebook(cells=cells)
    nb.metadata.kernelspec = spec["kernelspec"]
    nb.metadata.language_info = spec["language_info"]
    nb.metadata.aaw_tutorial = {
        "generated_by": "scripts/make_notebooks.py",
        "source_page": page.relative_to(ROOT).as_posix() if page.is_relative_to(ROOT) else page.name,
        "site_url": site,
        "inputs_sha256": inputs_hash(cells),
    }
    return nb


def describe_figures(cells) -> None:
    """The page describes the figure a code cell draws in the image after it (its alt text, in
    the page's language): keep that description with the cell, for the rendered notebook."""
    for previous, cell in pairwise(cells):
        if previous.cell_type == "code" and cell.cell_type == "markdown":
            # The image is already a link here: [alt](url of the figure)
            figure = re.search(r"\[(?P<alt>[^\]]+)\]\([^)]*/figures/[^)]*\)", cell.source)
            if figure:
                previous.metadata["alt"] = figure["alt"]


def inputs_hash(cells) -> str:
    """Hash of what the stored outputs depend on: the code cells and the sample data files."""
    digest = hashlib.sha256()
    for cell in cells:
        if cell.cell_type == "code":
            digest.update(json.dumps(cell.source).encode())
    for path in sorted(DATA.glob("*")) if DATA.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def notebook_path(lang: str, flavour: str, out_dir: Path = OUT_DIR) -> Path:
    return out_dir / f"tutorial-{flavour}.{lang}.ipynb"


def sample_data_folder():
    """A fresh folder holding a copy of all of docs/data/, like a reader's notebook server (the
    harness's own copy)."""
    return sandbox.data_folder(DATA, prefix="aaw-notebook-")


unshare_works = sandbox.unshare_works


class OfflineKernelManager(KernelManager):
    """Starts the kernel in an empty network namespace (`unshare -n`): a cell that reaches for
    the network fails. The kernel then talks to us over Unix sockets (IPC), which the namespace
    does not cut, in a private folder."""

    @default("transport")
    def _default_transport(self):
        return "ipc" if unshare_works() else "tcp"

    @default("ip")
    def _default_ip(self):
        if self.transport == "ipc":
            return str(Path(tempfile.mkdtemp(prefix="aaw-kernel-")) / "kernel")
        return "127.0.0.1"

    def cleanup_resources(self, restart=False):
        super().cleanup_resources(restart=restart)
        if self.transport == "ipc" and not restart:
            shutil.rmtree(Path(self.ip).parent, ignore_errors=True)

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        # `unshare -n`, or `unshare -rn` where only user namespaces are allowed: the harness's own
        return sandbox.offline_command(command) if self.transport == "ipc" else command


# Settings of the process running us that a reader's notebook server does not have: with
# them, matplotlib would draw off screen and the notebook would show no figure.
NOT_INHERITED = ("MPLBACKEND", "MATPLOTLIBRC")


def kernel_env() -> dict[str, str]:
    """The examples' environment (the harness's: stable hashes and dates, English messages, one
    thread; without unshare, its offline sitecustomize and dead proxies), minus NOT_INHERITED."""
    return {k: v for k, v in sandbox.subprocess_env().items() if k not in NOT_INHERITED}


class NotebookCellError(RuntimeError):
    """A cell of a notebook failed; the message names the notebook and the cell."""


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def execute(nb: nbformat.NotebookNode, folder: Path, name: str, timeout: int = CELL_TIMEOUT) -> nbformat.NotebookNode:
    """Run a copy of the notebook in `folder` (offline, fixed environment); any failing cell
    raises NotebookCellError."""
    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=nb.metadata.kernelspec["name"],
        kernel_manager_class=OfflineKernelManager,
        resources={"metadata": {"path": str(folder)}}, record_timing=False,
    )
    try:
        client.execute(env=kernel_env())
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        number, cell = failing_cell(nb)
        first_line = (cell.source.splitlines() or [""])[0] if cell else ""
        where = f"cell {number} ({first_line!r})" if cell else "before any cell ran"
        errors = [o for o in (cell.outputs if cell else []) if o.get("output_type") == "error"]
        headline = f"{errors[0].ename}: {errors[0].evalue}" if errors else type(error).__name__
        detail = ANSI.sub("", str(error)).strip().splitlines()[-15:]
        headline = ANSI.sub("", headline).strip()
        raise NotebookCellError(f"{name}: {where} failed: {headline}\n" + "\n".join(detail)) from None
    keep_plain_outputs(nb)
    # The kernel reports its exact version; keep only what is stable across patch releases.
    nb.metadata.language_info = {k: v for k, v in nb.metadata.language_info.items() if k in ("name", "file_extension")}
    return nb


# Stored outputs are what a console shows, plus figures. Rich HTML forms are dropped: for the
# fitted scikit-learn pipeline it is 150 kB of HTML and JavaScript with ~100 outside links, and
# IRkernel sends every data frame four times (HTML, Markdown, LaTeX, text).
STORED_MIME_TYPES = ("text/plain", "image/png", "image/svg+xml")


def keep_plain_outputs(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if "data" in output:
                output.data = {k: v for k, v in output.data.items() if k in STORED_MIME_TYPES}
                output.metadata = {k: v for k, v in output.get("metadata", {}).items() if k in STORED_MIME_TYPES}
        cell.outputs = merged_streams([o for o in cell.outputs if "data" not in o or o.data])


def merged_streams(outputs: list) -> list:
    """Consecutive stdout (or stderr) outputs as one, as JupyterLab shows them: how the kernel
    splits a cell's printing into messages depends on timing, not on the code."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(copy.deepcopy(output))
    return merged


def failing_cell(nb: nbformat.NotebookNode):
    """(index, cell) of the cell that stopped the run: the one with an error output, or else the
    first code cell left without an execution count (a timeout or a dead kernel)."""
    code = [(n, c) for n, c in enumerate(nb.cells) if c.cell_type == "code"]
    for number, cell in code:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number, cell
    for number, cell in code:
        if cell.get("execution_count") is None:
            return number, cell
    return None, None


_runs: dict[tuple, nbformat.NotebookNode] = {}


def execute_once(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """`execute` in a fresh sample-data folder, once per kernel and code: the English and French
    notebooks of a flavour hold the same code cells (only their markdown differs), so the
    second one gets the outputs of the first instead of training the same models again."""
    code = tuple(c.source for c in nb.cells if c.cell_type == "code")
    key = (nb.metadata.kernelspec["name"], code)
    if key not in _runs:
        with sample_data_folder() as folder:
            _runs[key] = execute(nb, folder, name)
    ran = _runs[key]
    nb = copy.deepcopy(nb)
    produced = iter(c for c in ran.cells if c.cell_type == "code")
    for cell in nb.cells:
        if cell.cell_type == "code":
            source = next(produced)
            cell.outputs, cell.execution_count = copy.deepcopy(source.outputs), source.execution_count
    nb.metadata.language_info = ran.metadata.language_info
    return nb


def without_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def stale_reason(committed: Path, fresh: nbformat.NotebookNode) -> str | None:
    """Why the committed notebook no longer matches its sources, or None when it is current."""
    if not committed.is_file():
        return f"{committed.name} does not exist"
    old = nbformat.read(committed, as_version=4)
    for number, (a, b) in enumerate(zip(old.cells, fresh.cells)):
        if (a.cell_type, a.source) != (b.cell_type, b.source):
            return (f"{committed.name}: cell {number} ({a.cell_type}) differs from its source, "
                    + first_difference(a.source, b.source))
    if len(old.cells) != len(fresh.cells):
        return f"{committed.name}: has {len(old.cells)} cells, its sources make {len(fresh.cells)}"
    if old.metadata.get("aaw_tutorial") != fresh.metadata.aaw_tutorial:
        return f"{committed.name}: made from other inputs (sample data changed?); its outputs are stale"
    if any(c.cell_type == "code" and c.execution_count is None for c in old.cells):
        return f"{committed.name}: has unexecuted cells; its stored outputs are missing"
    return None


def with_committed_outputs(committed: Path, fresh: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The fresh notebook with the committed outputs, when these were made from the same code
    and data (only the prose changed): no need to train the models again. Else None."""
    if not committed.is_file():
        return None
    old = nbformat.read(committed, as_version=4)
    old_code = [c for c in old.cells if c.cell_type == "code"]
    new_code = [c for c in fresh.cells if c.cell_type == "code"]
    old_inputs = old.metadata.get("aaw_tutorial", {}).get("inputs_sha256")
    same_inputs = old_inputs == fresh.metadata.aaw_tutorial["inputs_sha256"]
    if not same_inputs or [c.source for c in old_code] != [c.source for c in new_code] \
            or any(c.execution_count is None for c in old_code):
        return None
    nb = copy.deepcopy(fresh)
    for target, source in zip((c for c in nb.cells if c.cell_type == "code"), old_code):
        target.outputs, target.execution_count = source.outputs, source.execution_count
    nb.metadata.language_info = old.metadata.get("language_info", nb.metadata.language_info)
    return nb


def first_difference(committed: str, fresh: str) -> str:
    old, new = committed.splitlines(), fresh.splitlines()
    for number, (a, b) in enumerate(zip(old + [""] * len(new), new + [""] * len(old)), start=1):
        if a != b:
            return f"line {number}: committed {a!r}, source now {b!r}"
    return "in whitespace only"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report stale notebooks; exit 1 if any")
    parser.add_argument("--rerun", action="store_true",
                        help="run every notebook even when only its markdown changed")
    parser.add_argument("--only", choices=sorted(FLAVOURS), help="one flavour only (python or r)")
    args = parser.parse_args(argv)
    flavours = [args.only] if args.only else list(FLAVOURS)
    stale = []
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        for flavour in flavours:
            path = notebook_path(lang, flavour)
            fresh = build_notebook(DOCS / f"training.{lang}.md", lang, flavour)
            reason = stale_reason(path, fresh)
            if args.check:
                if reason:
                    stale.append(reason)
                continue
            executed = None if args.rerun else with_committed_outputs(path, fresh)
            how = "kept its outputs"
            if executed is None:
                started = time.monotonic()
                executed = execute_once(fresh, path.name)
                how = f"ran in {time.monotonic() - started:.0f} s"
            nbformat.validate(executed)
            nbformat.write(executed, path)
            print(f"wrote {path.relative_to(ROOT)} ({how})")
    for reason in stale:
        print(f"stale: {reason}; run .venv/bin/python scripts/make_notebooks.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
