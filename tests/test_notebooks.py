"""The downloadable tutorial notebooks are current, run end to end, and are published as pages.

- made from the page and its snippets: a committed notebook that no longer matches them fails;
- every notebook runs with nbclient (kernels python3 and ir) in a fresh folder holding a copy of
  docs/data/, offline, with a timeout per cell; a failing cell names the notebook and the cell;
  the outputs it produces are the ones stored in the notebook (they are deterministic);
- in the built site each notebook is an HTML page in its language (not the raw JSON of
  ultrabug/mkdocs-static-i18n#198), with a download link to the very .ipynb file.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import find_kernel_specs

from conftest import LANGUAGES, ROOT, mkdocs_build, require_runtime
from mkdocs_examples.support import serve

sys.path.insert(0, str(ROOT / "scripts"))
import make_notebooks as mk

FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
NOTEBOOKS = [(lang, flavour) for lang in LANGUAGES for flavour in mk.FLAVOURS]
REGENERATE = ".venv/bin/python scripts/make_notebooks.py"


def ids(params):
    return [f"{flavour}.{lang}" for lang, flavour in params]


def require_kernel(name: str) -> None:
    """A missing kernel fails under CI=true and is a loud, reported skip elsewhere."""
    if name in find_kernel_specs() and (name != "ir" or shutil.which("R")):
        return
    require_runtime(f"Jupyter kernel {name!r} is not installed (scripts/setup.sh --all registers it)")


# --- current with the page and the snippets -------------------------------------------------


@pytest.mark.parametrize(("lang", "flavour"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_notebook_is_current(lang, flavour):
    fresh = mk.build_notebook(mk.DOCS / f"training.{lang}.md", lang, flavour)
    reason = mk.stale_reason(mk.notebook_path(lang, flavour), fresh)
    assert reason is None, f"{reason}\nRegenerate with: {REGENERATE}"


def write_as_committed(path: Path) -> Path:
    """The fixture notebook as make_notebooks.py commits it (execution counts; outputs don't matter here)."""
    nb = fixture_notebook("en", "python")
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        cell.execution_count = count
    nbformat.write(nb, path)
    return path


def test_staleness_check_fails_when_a_snippet_changes(tmp_path):
    committed = write_as_committed(tmp_path / "tutorial.en.ipynb")
    assert mk.stale_reason(committed, fixture_notebook("en", "python")) is None
    # Someone edits a snippet and forgets to regenerate: the committed notebook is stale.
    snippets = tmp_path / "snippets"
    shutil.copytree(FIXTURES / "snippets", snippets)
    step1 = snippets / "python" / "step1.py"
    step1.write_text(step1.read_text().replace("statistics.mean", "statistics.median"))
    fresh = mk.build_notebook(FIXTURES / "training.en.md", "en", "python", snippets)
    assert mk.stale_reason(committed, fresh) == (
        "tutorial.en.ipynb: cell 2 (code) differs from its source, line 3: "
        "committed 'print(statistics.mean([1, 2, 3]))', source now 'print(statistics.median([1, 2, 3]))'"
    )


def test_staleness_check_fails_when_the_sample_data_change(tmp_path, monkeypatch):
    committed = write_as_committed(tmp_path / "tutorial.en.ipynb")
    data = tmp_path / "data"
    shutil.copytree(mk.DATA, data)
    with (data / "penguins_raw.csv").open("a") as csv:
        csv.write("\n")
    monkeypatch.setattr(mk, "DATA", data)
    reason = mk.stale_reason(committed, fixture_notebook("en", "python"))
    assert reason == "tutorial.en.ipynb: made from other inputs (sample data changed?); its outputs are stale"


def test_english_and_french_notebooks_have_the_same_structure():
    for flavour in mk.FLAVOURS:
        en, fr = (nbformat.read(mk.notebook_path(lang, flavour), as_version=4) for lang in ("en", "fr"))
        assert [(c.id, c.cell_type) for c in en.cells] == [(c.id, c.cell_type) for c in fr.cells], flavour
        assert [c.source for c in en.cells if c.cell_type == "code"] == \
               [c.source for c in fr.cells if c.cell_type == "code"], f"{flavour}: code differs by language"


# --- how a page becomes a notebook ---------------------------------------------------------


def fixture_notebook(lang: str, flavour: str):
    return mk.build_notebook(FIXTURES / f"training.{lang}.md", lang, flavour, FIXTURES / "snippets")


def test_page_becomes_cells_in_its_language():
    nb = fixture_notebook("fr", "python")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.metadata.kernelspec["name"] == "python3"
    assert code[0] == "import statistics  # (1)\n\nprint(statistics.mean([1, 2, 3]))", \
        "shebang and #> output lines dropped, annotation marker kept as a plain reference"
    assert "## Étape 1 : importer les bibliothèques" in markdown and "{ #" not in markdown
    assert "1. La bibliothèque standard suffit ici." in markdown  # the annotation, after its cell
    assert "> **Remarque**" in markdown  # admonition as a quote, title in French
    assert "(https://statcan.github.io/aaw-ml-training/fr/sample-data/#columns)" in markdown
    assert "Text before the markers" not in markdown and "Le texte avant" not in markdown
    assert "values <- c(1, 2, 3)" not in "\n".join(code), "the R tab must not leak into Python"
    assert "```bash\npip install statistics-extra\n```" in markdown, "other languages are shown, not run"
    assert not any("pip install" in c for c in code)


def test_skipped_block_is_shown_not_run():
    nb = fixture_notebook("en", "r")
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["values <- c(1, 2, 3)  # (1)\nprint(mean(values))"]
    assert "not run in this notebook: needs a cluster" in nb.cells[-1].source


NOTEBOOK_WORDING = """
<!-- page-only -->

Choose a tab once and every step follows your choice.

<!-- /page-only -->

<!-- notebook
Run the cells in order.
-->

<!-- notebook: r
In R, base R is enough.
-->

!!! note
    Both tutorials are tested.

    <!-- page-only -->

    The SAS tab is only checked.

    <!-- /page-only -->
"""


def test_page_author_marks_notebook_wording(tmp_path):
    """Page-only sections stay on the page; notebook comments, for every flavour or for one,
    become the notebook's own wording (the page does not show them)."""
    page = tmp_path / "training.en.md"
    text = (FIXTURES / "training.en.md").read_text()
    page.write_text(text.replace("<!-- tutorial:start -->", "<!-- tutorial:start -->\n" + NOTEBOOK_WORDING))
    python = "\n".join(c.source for c in mk.build_notebook(page, "en", "python", FIXTURES / "snippets").cells)
    r = "\n".join(c.source for c in mk.build_notebook(page, "en", "r", FIXTURES / "snippets").cells)
    for notebook in (python, r):
        assert "Choose a tab" not in notebook and "SAS tab" not in notebook and "<!--" not in notebook
        assert "Run the cells in order." in notebook and "> Both tutorials are tested." in notebook
        assert "> \n> \n" not in notebook + "\n", "a dropped section leaves one blank line"
    assert "In R, base R is enough." in r and "In R, base R" not in python


def test_unclosed_page_only_section_is_an_error(tmp_path):
    page = tmp_path / "training.en.md"
    text = (FIXTURES / "training.en.md").read_text()
    page.write_text(text.replace("<!-- tutorial:start -->", "<!-- tutorial:start -->\n<!-- page-only -->"))
    with pytest.raises(mk.TutorialError, match="page-only section opened on tutorial line 2 is never closed"):
        mk.build_notebook(page, "en", "python", FIXTURES / "snippets")


def test_missing_snippet_is_an_error(tmp_path):
    page = tmp_path / "training.en.md"
    page.write_text((FIXTURES / "training.en.md").read_text().replace("python/step1.py", "python/gone.py"))
    with pytest.raises(mk.TutorialError, match="python/gone.py.* could not be found"):
        mk.build_notebook(page, "en", "python", FIXTURES / "snippets")


# --- end to end with nbclient --------------------------------------------------------------


def comparable_outputs(nb):
    """Per code cell, its text outputs and the kinds of its rich outputs (images are not
    compared byte for byte: their text/plain stand-in and presence are)."""
    result = []
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in mk.merged_streams(cell.outputs):
            if output.output_type == "stream":
                outputs.append((output.name, output.text))
            else:
                data = output.get("data", {})
                outputs.append((output.output_type, sorted(data), data.get("text/plain")))
        result.append((number, outputs))
    return result


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "flavour"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_runs_end_to_end_with_stored_outputs(lang, flavour, record_property):
    path = mk.notebook_path(lang, flavour)
    committed = nbformat.read(path, as_version=4)
    require_kernel(committed.metadata.kernelspec["name"])
    started = time.monotonic()
    try:
        # Once per flavour: the French notebook's code cells are the English ones (checked
        # above), so it gets their fresh outputs, compared with its own stored outputs.
        executed = mk.execute_once(mk.without_outputs(committed), path.name)
    except mk.NotebookCellError as error:
        pytest.fail(str(error), pytrace=False)
    record_property("seconds", round(time.monotonic() - started, 1))
    for (number, stored), (_, produced) in zip(comparable_outputs(committed), comparable_outputs(executed)):
        assert stored == produced, (
            f"{path.name}: cell {number} now prints something else than its stored output "
            f"(not deterministic, or regenerate with: {REGENERATE})"
        )


@pytest.mark.slow
def test_failing_cell_is_named():
    require_kernel("python3")
    with mk.sample_data_folder() as folder, pytest.raises(mk.NotebookCellError) as failure:
        mk.execute(fixture_notebook("en", "python"), folder, "fixture.en.ipynb")
    message = str(failure.value)
    assert message.startswith("fixture.en.ipynb: cell 5 ('ratio = 1 / 0"), message
    assert "ZeroDivisionError" in message


# --- published as HTML pages with a download link ---------------------------------------------


def notebook_page_problems(site: Path, source: Path, lang: str) -> list[str]:
    """What is wrong with the published page of one notebook source file (empty: nothing)."""
    stem = source.name.split(".")[0]  # tutorial-python.en.ipynb -> tutorial-python
    folder = site / ("" if lang == "en" else lang) / source.parent.name / stem
    page = folder / "index.html"
    where = page.relative_to(site).as_posix()
    if not page.is_file():
        return [f"{where}: page missing for {source.name}"]
    text = page.read_text(encoding="utf-8")
    problems = []
    if text.lstrip().startswith("{") or '"nbformat":' in text[:5000]:
        return [f"{where}: raw notebook JSON published instead of an HTML page (mkdocs-static-i18n#198)"]
    if f'<html lang="{lang}"' not in text:
        problems.append(f"{where}: not an HTML page in language {lang!r}")
    if "jp-Notebook" not in text:
        problems.append(f"{where}: no rendered notebook cells in the page")
    if "No description has been provided for this image" in text:
        problems.append(f"{where}: a figure without description (alt text from the page's image)")
    links = re.findall(r'<a [^>]*href="([^"]+\.ipynb)"[^>]*\bdownload\b', text)
    if not links:
        problems.append(f"{where}: no download link to the .ipynb file")
    for href in links:
        target = folder / href
        if not target.is_file():
            problems.append(f"{where}: download link {href!r} points at no file")
        elif json.loads(target.read_text(encoding="utf-8")) != json.loads(source.read_text(encoding="utf-8")):
            problems.append(f"{where}: download link {href!r} serves another notebook than {source.name}")
    return problems


@pytest.mark.parametrize(("lang", "flavour"), NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_is_published_as_a_page_with_download(built_site, lang, flavour):
    source = mk.notebook_path(lang, flavour)
    assert notebook_page_problems(built_site, source, lang) == []
    folder = built_site / ("" if lang == "en" else lang) / "notebooks" / f"tutorial-{flavour}"
    page = (folder / "index.html").read_text()
    assert "cdnjs" not in page, "nbconvert's MathJax/Mermaid loaders must be removed (third-party requests)"


@pytest.fixture(scope="module")
def raw_json_sites(tmp_path_factory):
    """The #198 reproduction built as is, and with our hook."""
    sites = {}
    for config in ("mkdocs.yml", "mkdocs-with-hook.yml"):
        site = tmp_path_factory.mktemp(config.replace(".", "-"))
        result = mkdocs_build(FIXTURES / "raw-json-site" / config, site)
        assert result.returncode == 0, result.stderr
        sites[config] = site
    return sites


@pytest.mark.parametrize("lang", LANGUAGES)
def test_raw_json_check_fails_without_the_hook(raw_json_sites, lang):
    source = FIXTURES / "raw-json-site" / "docs" / "notebooks" / f"demo.{lang}.ipynb"
    prefix = "" if lang == "en" else f"{lang}/"
    assert notebook_page_problems(raw_json_sites["mkdocs.yml"], source, lang) == [
        (f"{prefix}notebooks/demo/index.html: raw notebook JSON published instead of an HTML page "
         "(mkdocs-static-i18n#198)")
    ]
    assert notebook_page_problems(raw_json_sites["mkdocs-with-hook.yml"], source, lang) == []


@pytest.mark.slow
@pytest.mark.parametrize(("kernel", "download"), [
    ("python3", 'import urllib.request\nurllib.request.urlopen("http://example.org", timeout=5)'),
    ("ir", 'download.file("http://example.org", "page.html")'),
], ids=["python3", "ir"])
def test_notebooks_run_offline(kernel, download):
    require_kernel(kernel)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(download)])
    nb.metadata.kernelspec = {"name": kernel}
    with mk.sample_data_folder() as folder, pytest.raises(mk.NotebookCellError, match="cell 0"):
        mk.execute(nb, folder, f"offline-{kernel}.ipynb")


# --- notebook pages in a browser: accessible, no third-party request ---------------------------
# The notebook pages' HTML comes from nbconvert and our hook. They are among the pages that
# tests/test_browser.py visits (its PAGES come from docs/**/*.en.md and *.en.ipynb), with the
# same axe-core rules as every page: WCAG 2.0/2.1 A and AA in the light scheme and on a phone,
# the colour rules again in the dark scheme. The checks here read that same visit (the session
# fixture `site_visit`, one per page and run, whichever xdist worker made it) rather than loading
# each page and running axe again.

NOTEBOOK_PAGES = [f"{'' if lang == 'en' else lang + '/'}notebooks/tutorial-{flavour}/"
                  for lang, flavour in NOTEBOOKS]


def test_notebook_pages_are_among_the_pages_the_browser_visits():
    from test_browser import PAGES

    assert set(NOTEBOOK_PAGES) <= set(PAGES), sorted(set(NOTEBOOK_PAGES) - set(PAGES))


def visit_problems(found) -> list[str]:
    return found.axe + found.foreign_requests + found.failed_requests


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_pages_are_accessible_and_self_contained(site_visit, path):
    assert visit_problems(site_visit(path)) == []


@pytest.mark.browser
def test_browser_check_fails_on_nbconvert_colours(tmp_path, browser, summary):
    """nbconvert's own colours fail axe's contrast rule: the same visit as above says so."""
    from test_browser import new_context, visit

    site = tmp_path / "site"
    result = mkdocs_build(FIXTURES / "raw-json-site" / "mkdocs-nbconvert-colours.yml", site)
    assert result.returncode == 0, result.stderr
    context = new_context(browser, color_scheme="light")
    try:
        with serve(site) as base:
            problems = visit_problems(visit(context, base, "notebooks/demo.en/", summary))
    finally:
        context.close()
    assert any(p.startswith("/notebooks/demo.en/ (light scheme): color-contrast") for p in problems), problems


# --- code cells copy with the site's own button --------------------------------------------

COPY_PAGES = [("fr", "python"), ("en", "r")]  # each language, each kernel
CODE_CELLS = "() => [...document.querySelectorAll('article .jp-CodeCell .highlight-ipynb')].length"


def copy_problems(browser, site: Path, path: str, source: Path) -> list[str]:
    """Every code cell of the page has Material's copy button, titled in the page's language,
    and it copies the cell's code as the notebook file holds it."""
    from test_browser import new_context

    cells = [c.source for c in nbformat.read(source, as_version=4).cells if c.cell_type == "code"]
    problems = []
    with serve(site) as base:
        context = new_context(browser)
        try:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            shown = page.evaluate(CODE_CELLS)
            # The theme's own words for it, in the page's language (Material's page config).
            title = json.loads(page.locator("#__config").text_content())["translations"]["clipboard.copy"]
            if shown != len(cells):
                problems.append(f"{path}: {shown} code cells shown, {source.name} has {len(cells)}")
            for number, code in enumerate(cells[:shown], 1):
                cell = page.locator("article .jp-CodeCell .highlight-ipynb").nth(number - 1)
                button = cell.locator("button[data-clipboard-target]")
                if not button.count():
                    problems.append(f"{path}: code cell {number} has no copy button")
                    continue
                if button.first.get_attribute("title") != title:
                    problems.append(f"{path}: code cell {number}'s copy button says "
                                    f"{button.first.get_attribute('title')!r}, not {title!r}")
                page.evaluate("navigator.clipboard.writeText('')")
                button.first.click()
                copied = page.evaluate("navigator.clipboard.readText()")
                if copied.rstrip("\n") != code.rstrip("\n"):
                    problems.append(f"{path}: code cell {number} copies {copied[:60]!r}, "
                                    f"the notebook holds {code[:60]!r}")
        finally:
            context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "flavour"), COPY_PAGES, ids=ids(COPY_PAGES))
def test_code_cells_copy_with_the_sites_button(browser, built_site, lang, flavour):
    path = f"{'' if lang == 'en' else lang + '/'}notebooks/tutorial-{flavour}/"
    problems = copy_problems(browser, built_site, path, mk.notebook_path(lang, flavour))
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_copy_check_fails_without_the_button(browser, built_site, tmp_path):
    site = Path(shutil.copytree(built_site, tmp_path / "site"))
    page = site / "notebooks" / "tutorial-r" / "index.html"
    # Code cells as mkdocs-jupyter writes them, `pre` without `code`: Material adds no button.
    text = re.sub(r'(<div class="highlight-ipynb[^"]*"><pre>)<code tabindex="0">(.*?)</code>',
                  r"\1\2", page.read_text(encoding="utf-8"), count=1, flags=re.DOTALL)
    page.write_text(text, encoding="utf-8")
    problems = copy_problems(browser, site, "notebooks/tutorial-r/", mk.notebook_path("en", "r"))
    assert problems == ["notebooks/tutorial-r/: code cell 1 has no copy button"], problems
