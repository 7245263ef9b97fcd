"""What readers see is in their language (issue 13), checked on the built site and notebooks.

- every built French page (notebook pages and the 404 page included) follows French
  typography: no-break space before « : », inside « », before % and units; none before ; ? !
- every string of a French page's interface is French, every string of an English page's is
  English (permalink titles, footer, copyright, copy and download buttons, theme translations);
- a notebook speaks of the notebook, not of the web page, and of its own language only.

Each check fails on a deliberately broken input under tests/fixtures/rendered/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DOCS, ROOT, load_hook
from parity import rendered

FIXTURES = ROOT / "tests" / "fixtures" / "rendered"
NOTEBOOKS = sorted((DOCS / "notebooks").glob("tutorial-*.*.ipynb"))


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def built_pages(site: Path) -> dict[str, list[Path]]:
    """{"en": [...], "fr": [...]}: every HTML page of the built site, by language."""
    pages = {"en": [], "fr": []}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("assets/", "search/")):
            continue
        pages["fr" if relative.startswith("fr/") else "en"].append(path)
    return pages


def test_french_typography_on_every_built_french_page(built_site):
    pages = built_pages(built_site)["fr"]
    assert len(pages) >= 8, pages  # five pages, two notebooks, the 404
    fail_on([
        problem
        for path in pages
        for problem in rendered.typography_problems(
            path.read_text(encoding="utf-8"), path.relative_to(built_site).as_posix()
        )
    ])


def test_french_search_results_follow_french_typography(built_site):
    """Search results show excerpts of the search index: its French entries too."""
    # One index per language (overrides/hooks/search_index.py): the French one is under fr/.
    french = [doc for index in sorted(built_site.rglob("search/search_index.json"))
              for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]
              if doc["location"].startswith("fr/")]
    assert french
    fail_on([
        problem
        for doc in french
        for problem in rendered.typography_problems(
            f"<h1>{doc['title']}</h1>{doc['text']}", f"search index, {doc['location']}"
        )
    ])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_interface_strings_in_the_page_language(built_site, language):
    pages = built_pages(built_site)[language]
    assert pages
    fail_on([
        problem
        for path in pages
        for problem in rendered.interface_problems(
            path.read_text(encoding="utf-8"), path.relative_to(built_site).as_posix(), language
        )
    ])


def test_french_pages_name_the_site_in_french(built_site):
    """One site name wording in French, the one of mkdocs.yml's French `site_name`."""
    for path in built_pages(built_site)["fr"]:
        html = path.read_text(encoding="utf-8")
        assert "modèles d'apprentissage automatique dans l'ETAA" in html.replace("&#39;", "'"), path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_speak_of_themselves_in_their_own_language(path):
    flavour, language = path.name.removeprefix("tutorial-").split(".")[:2]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    fail_on(rendered.notebook_wording_problems(notebook, path.name, language, flavour))


# ------------------------------------------------------------------ every check can fail


def test_typography_check_fails_on_its_broken_page():
    page = FIXTURES / "fr" / "breaking-spaces.html"
    report = "\n".join(rendered.typography_problems(page.read_text(encoding="utf-8"), page.name))
    for expected in (
        "breaking-spaces.html: a breaking space before « : »",
        "'Étape 1 : importer",
        "no space before « : » (write U+00A0), in a aria-label=\"…\": 'Précédent: Accueil'",
        "no no-break space after «",
        "between a number and its unit",
        "99 %",
        "a space before ; ? or !",
        "in text: ': un germe.'",  # the run after an inline element starts with the space
    ):
        assert expected in report, f"missing {expected!r} in:\n{report}"
    assert "print(" not in report and "lang-en" not in report  # code and English are left alone


def test_typography_check_passes_the_hook_output():
    """The hook's own output passes the check: what one writes, the other accepts."""
    hook = load_hook("languages")
    page = (FIXTURES / "fr" / "breaking-spaces.html").read_text(encoding="utf-8")
    assert rendered.typography_problems(hook.french_html(page), "fixed") == []
    assert "print( 'a' : 1 )" in hook.french_html(page)  # code is never touched


@pytest.mark.parametrize(
    ("fixture", "language", "expected"),
    [
        ("fr/english-interface.html", "fr",
         ["'Permanent link' on a page in fr", "'Made with'", "'Open Government Licence'",
          "'Download the notebook'", "the theme's 'clipboard.copy' says 'Copy to clipboard'",
          "'In\u00a0[1]' on a page in fr"]),
        ("en/french-interface.html", "en",
         ["'Lien permanent' on a page in en", "'Télécharger le bloc-notes'"]),
    ],
)
def test_interface_check_fails_on_its_broken_page(fixture, language, expected):
    page = FIXTURES / fixture
    report = "\n".join(rendered.interface_problems(page.read_text(encoding="utf-8"), fixture, language))
    missing = [text for text in expected if text not in report]
    assert not missing, f"missing {missing} in:\n{report}"
    assert fixture in report


def test_notebook_check_fails_on_a_notebook_that_speaks_of_tabs():
    path = FIXTURES / "tutorial-python.en.ipynb"
    report = "\n".join(rendered.notebook_wording_problems(
        json.loads(path.read_text(encoding="utf-8")), path.name, "en", "python"))
    for expected in (
        "tutorial-python.en.ipynb, cell 1: speaks of the web page ('tab')",
        "cell 1: speaks of the web page ('Click')",
        "cell 2: speaks of another language in a python notebook ('R')",
        "cell 2: speaks of another language in a python notebook ('SAS')",
    ):
        assert expected in report, f"missing {expected!r} in:\n{report}"
