"""MkDocs hook: the tutorial notebooks (docs/notebooks/*.{en,fr}.ipynb) as real pages.

mkdocs-static-i18n 1.3 rebuilds every file as a plain ``mkdocs.structure.files.File``, so the
``NotebookFile`` wrapper of mkdocs-jupyter is lost: MkDocs then sees a static asset and copies
the notebook's JSON to ``notebooks/NAME/index.html`` (ultrabug/mkdocs-static-i18n#198), and
``--strict`` has nothing to warn about. This hook marks the files i18n rebuilds from notebooks
as documentation pages again, so that mkdocs-jupyter renders them, then:

- puts a download button under the title of each notebook page, pointing at the ``.ipynb``
  copy that mkdocs-jupyter writes beside the page (``include_source: true``);
- removes the MathJax and Mermaid scripts that nbconvert's template always emits (they load
  code from cdnjs): the site makes no third-party request, and the notebooks use neither;
- turns the notebook's full links to the published site into relative ones;
- moves nbconvert's inline stylesheets (about 580 kB per page) to one shared, cacheable file;
- gives each figure the description the page gives it (the code cell's ``alt`` metadata,
  written by scripts/make_notebooks.py) instead of nbconvert's "No description has been
  provided for this image";
- shows code cells as Material's own code blocks (`pre > code`), so they get the copy button
  of every other page, in the page's language, instead of mkdocs-jupyter's: its custom
  element, its script and a plain-text copy of every cell cost ~20 kB per page;
- drops the markup Pygments spends on nothing visible: whitespace tokens, and adjacent tokens
  of one class split in two (a quarter of a notebook page's weight; issue: page weight).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path, PurePosixPath

from mkdocs.structure.files import File
from mkdocs_jupyter.plugin import NotebookFile
from mkdocs_static_i18n import suffix

DOWNLOAD_LABEL = {"en": "Download the notebook", "fr": "Télécharger le bloc-notes"}
INPUT_PROMPT = re.compile(r'(jp-InputArea-prompt">)In(?:&nbsp;|\s|\u00a0)*\[')
# A <script> element that loads code from elsewhere (src=, dynamic import) or configures MathJax,
# or drives mkdocs-jupyter's copy buttons (replaced by Material's).
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
UNWANTED_SCRIPT = re.compile(
    r"""src=["']https?://|import\(\s*["']https?://|MathJax|ClipboardCopyElement|'clipboard-copy'"""
)
MARKDOWN_CODE = re.compile(r'(<div class="highlight"><pre>)(?!<code)(.*?)(</pre></div>)', re.DOTALL)
CODE_CELL = re.compile(r'(<div class="highlight-ipynb[^"]*"><pre>)(?:<span></span>)?(.*?)(</pre>)', re.DOTALL)
NOTEBOOK_COPY_BUTTON = re.compile(
    r'<div class="zeroclipboard-container">\s*<clipboard-copy\b.*?</clipboard-copy>\s*</div>\s*', re.DOTALL
)
NOTEBOOK_COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt" id="cell-\d+">[^<]*</div>\s*')
CELL_ID = re.compile(r'id="cell-id=(?:cell-)?')
WHITESPACE_TOKEN = re.compile(r'<span class="w">(\s*)</span>')
SPLIT_TOKEN = re.compile(r'<span class="([\w-]+)">([^<]*)</span><span class="\1">')
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)
NO_ALT = 'alt="No description has been provided for this image"'

# nbconvert colours code with its own Pygments palette, whose comments and numbers fail WCAG
# contrast (4.17:1 on #f5f5f5). Use Material's code colours instead, as on every other page
# (docs/assets/stylesheets/extra.css tunes them for contrast in both colour schemes).
TOKEN_COLOURS = {
    "comment": ".c .ch .cm .c1 .cs .sd",
    "keyword": ".k .kd .kn .kp .kr .kt .nd .ni .nl .nt",
    "string": ".l .s .sa .sb .sc .s1 .s2 .si .ss .cpf",
    "special": ".cp .se .sh .sr .sx",
    "number": ".m .mb .mf .mh .mi .mo .il",
    "name": ".n .kc",
    "constant": ".no .nb .bp",
    "function": ".nc .ne .nf .nn .fm",
    "variable": ".na .nv .vc .vg .vi",
    "operator": ".o .ow",
    "punctuation": ".p",
    "generic": ".ge .gr .gh .go .gp .gs .gu .gt",
}
MATERIAL_CODE_CSS = "\n".join(
    [(".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-InputArea-editor "
      "{ background: var(--md-code-bg-color); color: var(--md-code-fg-color); }"),
     (".jupyter-wrapper .jp-InputPrompt, .jupyter-wrapper .jp-OutputPrompt "  # beats dimmed prompts
      "{ color: var(--md-default-fg-color) !important; opacity: 1 !important; }")]
    + [", ".join(f".jupyter-wrapper .highlight-ipynb {c}" for c in classes.split())
       + f" {{ color: var(--md-code-hl-{kind}-color); }}" for kind, classes in TOKEN_COLOURS.items()]
)


class I18nNotebookFile(File):
    """An i18n-rebuilt notebook file that MkDocs must treat as a page, not as an asset."""

    def is_documentation_page(self) -> bool:
        return True


def _keep_notebooks_as_pages(create_i18n_file):
    def create(file, *args, **kwargs):
        i18n_file = create_i18n_file(file, *args, **kwargs)
        if isinstance(file, (NotebookFile, I18nNotebookFile)):
            # Same object, same i18n metadata (locale, alternates, url); only the class changes.
            i18n_file.__class__ = I18nNotebookFile
        return i18n_file

    create.keeps_notebooks = True
    return create


def on_startup(**kwargs) -> None:
    # i18n looks the function up on its module at every build, so patching it here is enough.
    if not getattr(suffix.create_i18n_file, "keeps_notebooks", False):
        suffix.create_i18n_file = _keep_notebooks_as_pages(suffix.create_i18n_file)


def is_notebook_page(page) -> bool:
    return page.file.src_uri.endswith(".ipynb")


def on_page_content(content: str, page, config, files) -> str:
    if not is_notebook_page(page):
        return content
    locale = getattr(page.file, "locale", "en")
    to_root = "../" * page.url.count("/")
    content = shared_stylesheet(content, Path(config.site_dir), to_root)
    notebook = json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    content = figure_descriptions(content, notebook["cells"])
    content = page_heading_ids(content, page)
    content = cleaned_markup(content, locale)
    # The notebook links to the published site with full URLs (it must work once downloaded);
    # on the site itself, keep readers on this copy of it (preview, local build). The URL is
    # the one the generator wrote, recorded in the notebook's metadata.
    site = notebook["metadata"].get("aaw_tutorial", {}).get("site_url")
    if site:
        content = content.replace(f'href="{site}', f'href="{to_root or "./"}')
    # mkdocs-jupyter copies the notebook, under its own name, into the page's folder.
    name = PurePosixPath(page.file.src_uri).name
    button = (
        f'<p class="notebook-download"><a class="md-button md-button--primary" '
        f'href="{html.escape(name)}" download="{html.escape(name)}">'
        f"{DOWNLOAD_LABEL.get(locale, DOWNLOAD_LABEL['en'])} (.ipynb)</a></p>\n"
    )
    # Right under the notebook's title when it has one, so the button is the first thing read.
    title_end = content.find("</h1>")
    if title_end == -1:
        return button + content
    title_end += len("</h1>")
    return content[:title_end] + "\n" + button + content[title_end:]


def cleaned_markup(content: str, locale: str) -> str:
    """nbconvert's and mkdocs-jupyter's markup as the site's own (a pure function of its
    arguments: overrides/hooks/build_speed.py memoizes it in `mkdocs serve`)."""
    content = SCRIPT.sub(lambda m: "" if UNWANTED_SCRIPT.search(m.group()) else m.group(), content)
    content = NOTEBOOK_COPY_TEXT.sub("", NOTEBOOK_COPY_BUTTON.sub("", content))
    # Code, of code cells and of markdown cells (not run, e.g. a service started elsewhere), in
    # the form of Material's own blocks, `pre > code`: it gets Material's copy button, and
    # `tabindex` lets keyboard users scroll long lines sideways.
    content = CODE_CELL.sub(r'\1<code tabindex="0">\2</code>\3', content)
    content = MARKDOWN_CODE.sub(r'\1<code tabindex="0">\2</code>\3', content)
    content = slim_tokens(content)
    # nbconvert's cell ids (`cell-id=cell-03`) are not CSS identifiers; Material's copy button
    # names its code by the closest id, and an `=` in it breaks the copy.
    content = CELL_ID.sub('id="cell-', content)
    if locale != "en":
        # nbconvert's input prompts say "In [1]:"; JupyterLab in other languages says "[1]:".
        content = INPUT_PROMPT.sub(r"\1[", content)
    return content


def slim_tokens(content: str) -> str:
    """Pygments markup without what shows nothing: whitespace tokens lose their span (no rule
    colours a space), and runs of one class are one span (`(` `)` -> `()`)."""
    content = WHITESPACE_TOKEN.sub(r"\1", content)
    while True:
        joined = SPLIT_TOKEN.sub(r'<span class="\1">\2', content)
        if joined == content:
            return content
        content = joined


# A notebook heading ends with the page's id as an anchor (scripts/make_notebooks.py), while
# nbconvert derives the heading's own id from its text, which differs between languages.
HEADING_WITH_ANCHOR = re.compile(r'(<h[1-6] id=")([^"]+)(">.*?)<a id="([\w-]+)"></a>')


def page_heading_ids(content: str, page) -> str:
    """Give each heading the page's id, the same in both languages, in the text and the TOC,
    so that links and the language switcher keep their place."""
    renamed = {}

    def rename(m: re.Match) -> str:
        renamed[m[2]] = m[4]
        return m[1] + m[4] + m[3]

    content = HEADING_WITH_ANCHOR.sub(rename, content)
    for old, new in renamed.items():
        content = content.replace(f'href="#{old}"', f'href="#{new}"')

    def retarget(items) -> None:
        for item in items:
            item.id = renamed.get(item.id, item.id)
            retarget(item.children)

    retarget(page.toc)
    return content


def shared_stylesheet(content: str, site_dir: Path, to_root: str) -> str:
    """Every notebook page carries the same JupyterLab stylesheets inline: write them once."""
    css, name, content = split_styles(content)
    if not css:
        return content
    target = site_dir / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    return f'<link rel="stylesheet" href="{to_root}{name}">' + content


def split_styles(content: str) -> tuple[str, str, str]:
    """(the page's stylesheets as one file, its name, the page without them); pure, memoized in
    `mkdocs serve` by overrides/hooks/build_speed.py."""
    # One of the blocks mkdocs-jupyter 0.26 writes is the Python repr of a list (["pre {...}n..."]),
    # a duplicate of the Pygments rules that browsers reject whole, together with the selector
    # list after it (which was Material's code colours): left out.
    css = "\n".join(block for block in STYLE.findall(content)
                     if not block.lstrip().startswith(("['", '["')))
    if not css:
        return "", "", content
    css += "\n" + MATERIAL_CODE_CSS
    name = f"assets/notebooks/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    return css, name, STYLE.sub("", content)


def figure_descriptions(content: str, cells: list[dict]) -> str:
    """Replace nbconvert's placeholder alt text, image by image, with the cell's description."""
    alts = [
        cell.get("metadata", {}).get("alt")
        for cell in cells if cell["cell_type"] == "code"
        for output in cell.get("outputs", []) if "image/png" in output.get("data", {})
    ]
    # nbconvert adds the placeholder to every image without alt text, in output order.
    remaining = iter(alts)

    def describe(match: re.Match) -> str:
        alt = next(remaining, None)
        return f'alt="{html.escape(alt)}"' if alt else match.group()

    return re.sub(re.escape(NO_ALT), describe, content)
