"""French and English cannot drift (issue 8).

Every page pair docs/**/NAME.en.md / NAME.fr.md (and NAME.{en,fr}.ipynb notebooks) must have
the same structure: both files, the same heading ids in the same order and depth (every heading
with an explicit `{ #id }`), the same images in the same order, the same internal link targets
in each section, the same admonition kinds in the same places, and, for notebooks, as many code
cells. Tab labels and snippet includes are compared by the example harness (pytest-mkdocs-examples),
which owns them; they are not checked twice here.

Every page must be written in its own language: no paragraph that reads as the other language
(lingua, EN/FR only), no glossary term in the other language's form (tests/parity/glossary.yml),
no misspelling (hunspell fr_CA / en_CA and tests/parity/words.txt). Code, URLs, product names
and phrases marked `<span lang="..">` are never judged.

Each rule is proven able to fail on a broken page pair under tests/fixtures/parity/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DOCS, ROOT, require_runtime
from parity import checks
from parity.model import Page, read_page

FIXTURES = ROOT / "tests" / "fixtures" / "parity"
PAGE_SUFFIXES = (".md", ".ipynb")


def page_pairs(folder: Path) -> dict[str, tuple[Path, Path]]:
    """{"training.md": (training.en.md, training.fr.md)} for every page in either language."""
    pairs = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in PAGE_SUFFIXES and path.suffixes[-2:-1] in ([".en"], [".fr"]):
            name = str(path.relative_to(folder)).replace(path.suffixes[-2], "", 1)
            base = folder / name
            pairs[name] = tuple(base.with_suffix(f".{lang}{base.suffix}") for lang in ("en", "fr"))
    return pairs


PAIRS = page_pairs(DOCS)
PAGES = sorted(path for pair in PAIRS.values() for path in pair if path.is_file())


def read_pair(name: str) -> tuple[Page, Page]:
    en, fr = PAIRS[name]
    return read_page(en), read_page(fr)


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_docs_have_pages():
    assert PAIRS, f"no *.en.md / *.fr.md page under {DOCS}"


# ------------------------------------------------------------------ the real pages, per pair


def missing_language_problems(pair: tuple[Path, Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} is missing: every page exists in English and French"
        for path in pair
        if not path.is_file()
    ]


@pytest.mark.parametrize("name", PAIRS)
def test_both_languages_exist(name):
    fail_on(missing_language_problems(PAIRS[name]))


STRUCTURE_RULES = {
    "headings": checks.heading_problems,
    "images": checks.image_problems,
    "links": checks.link_problems,
    "admonitions": checks.admonition_problems,
    "code-cells": checks.code_cell_problems,
}


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        (name, rule)
        for name in PAIRS
        for rule in STRUCTURE_RULES
        if rule != "code-cells" or name.endswith(".ipynb")  # only notebooks have code cells
    ],
)
def test_same_structure(name, rule):
    if not all(path.is_file() for path in PAIRS[name]):
        pytest.skip(f"{name}: one language is missing (reported by test_both_languages_exist)")
    fail_on(STRUCTURE_RULES[rule](*read_pair(name)))


# ------------------------------------------------------------------ the real pages, one by one


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS))


@pytest.fixture(scope="module")
def hunspell():
    reason = checks.hunspell_missing()
    if reason:
        require_runtime(f"{reason}: spelling is not checked")


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_written_in_its_language(path):
    fail_on(checks.language_problems(read_page(path)))


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_glossary(path):
    fail_on(checks.glossary_problems(read_page(path)))


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_spelling(path, hunspell):
    fail_on(checks.spelling_problems(read_page(path)))


# ------------------------------------------------------------------ every rule can fail

PAGE_RULES = {
    "language": checks.language_problems,
    "glossary": checks.glossary_problems,
    "spelling": checks.spelling_problems,
}

# fixture folder -> (rule, what its report must say: page and line, and the culprit)
BROKEN = {
    "heading_changed": (
        "headings",
        ["page.en.md, line 8", "page.fr.md, line 9", "#preparer-les-donnees"],
    ),
    "heading_without_id": ("headings", ["page.en.md, line 30", "has no explicit id"]),
    "image_one_language": (
        "images",
        ["page.fr.md, line 35", "forest.svg", "missing from page.en.md"],
    ),
    "link_target_differs": (
        "links",
        [
            "page.fr.md, line 12",
            "sample-data.md#colonnes",
            "page.en.md, line 11",
            "sample-data.md#columns",
        ],
    ),
    "admonition_kind_differs": (
        "admonitions",
        ["page.en.md, line 13", "page.fr.md, line 15", "!!! warning"],
    ),
    "english_paragraph_on_fr": ("language", ["page.fr.md, line 35", "reads as English"]),
    "english_sentence_on_fr": (
        "language",
        ["page.fr.md, line 37", "this sentence reads as English"],
    ),
    "french_paragraph_on_en": ("language", ["page.en.md, line 32", "reads as French"]),
    "english_terms_on_fr": (
        "glossary",
        [
            "page.fr.md, line 5",
            "'notebook server'",
            "page.fr.md, line 35",
            "'formation'",
            "'bloc-note'",
            "page.fr.md, line 36",
            "'Lesflux'",
        ],
    ),
    "french_term_on_en": ("glossary", ["page.en.md, line 3", "'ETAA'"]),
    "rejected_variants_on_fr": (
        "glossary",
        [
            "page.fr.md, line 39: 'module' on a French page; write 'paquet'",
            "page.fr.md, line 39: 'graine' on a French page; write 'germe'",
            "page.fr.md, line 40: 'énoncé' on a French page; write 'instruction'",
            "page.fr.md, line 40: 'ensemble de données' on a French page; write 'jeu de données'",
            "page.fr.md, line 40: 'logiciels libres' on a French page; write 'code source ouvert'",
            "page.fr.md, line 41: 'modèles' on a French page; write 'gabarit'",
            "page.fr.md, line 44: 'sur l'ETAA' on a French page; write 'dans l'ETAA'",
            "page.en.md, line 35: 'dataset' on an English page; write 'data set'",
            "page.en.md, line 35: 'license' on an English page; write 'licence (noun)'",
        ],
    ),
    "misspelled": (
        "spelling",
        ["page.en.md, line 33", "'acuracy'", "page.fr.md, line 35", "'aléatoirre'"],
    ),
    "notebook_cell_missing": (
        "code-cells",
        [
            "page.en.ipynb, cell 4",
            "print(model.score(X_test, y_test))",
            "missing from page.fr.ipynb",
        ],
    ),
}


def run_rule(rule: str, folder: Path) -> list[str]:
    [(en_path, fr_path)] = page_pairs(folder).values()  # one pair per fixture folder
    en, fr = read_page(en_path), read_page(fr_path)
    if rule in STRUCTURE_RULES:
        return STRUCTURE_RULES[rule](en, fr)
    return PAGE_RULES[rule](en) + PAGE_RULES[rule](fr)


MARKDOWN_RULES = [rule for rule in STRUCTURE_RULES if rule != "code-cells"]


@pytest.mark.parametrize("rule", [*MARKDOWN_RULES, *PAGE_RULES])
def test_rule_passes_on_the_good_fixture(rule, request):
    """The broken fixtures are copies of this pair with one defect: it must pass every rule."""
    if rule == "spelling":
        request.getfixturevalue("hunspell")
    assert run_rule(rule, FIXTURES / "good") == []


@pytest.mark.parametrize("case", BROKEN)
def test_rule_fails_on_its_broken_fixture(case, request):
    rule, expected = BROKEN[case]
    if rule == "spelling":
        request.getfixturevalue("hunspell")
    report = "\n".join(run_rule(rule, FIXTURES / case))
    missing = [text for text in expected if text not in report]
    assert not missing, (
        f"the {rule} check on fixtures/parity/{case} should report {missing}; "
        f"it reported:\n{report or '(nothing)'}"
    )


def test_context_rule_keeps_the_trained_model():
    """Argo's "template" is a « gabarit », but « modèle » beside training words is the trained
    model: the context rule (glossary `near` / `unless_near`) tells them apart."""
    report = run_rule("glossary", FIXTURES / "rejected_variants_on_fr")
    assert any("line 41: 'modèles'" in r for r in report), report
    assert not [r for r in report if "line 42" in r], report


def test_prose_is_only_what_readers_read_in_the_page_language():
    """What the language rules judge: annotations and alt text yes; code, URLs, phrases
    marked `<span lang>` and heading ids no."""
    prose = " ".join(block.text for block in read_page(FIXTURES / "good" / "page.en.md").prose)
    assert "The file is read from the current folder" in prose  # a code annotation, in a tab
    assert "Accuracy of the model on the test set" in prose  # an image's alt text
    for not_prose in (
        "read_csv",
        "RandomForestClassifier",
        "ETAA",
        "#train-the-model",
        "{",
        "penguins_raw.csv",
    ):
        assert not_prose not in prose


def test_notebook_links_to_the_published_site_are_internal():
    """Downloaded notebooks link to the site with full URLs; /fr/ is the language, not the page."""
    folder = FIXTURES / "notebook_cell_missing"
    en, fr = read_page(folder / "page.en.ipynb"), read_page(folder / "page.fr.ipynb")
    assert (
        [link.value for link in en.links] == [link.value for link in fr.links] == ["sample-data/"]
    )
    # the fixture's one defect is its missing code cell: every other rule holds
    for rule in MARKDOWN_RULES:
        assert STRUCTURE_RULES[rule](en, fr) == [], rule


def test_missing_language_is_reported():
    pairs = page_pairs(FIXTURES / "missing_counterpart")
    assert list(pairs) == ["page.md"]
    report = missing_language_problems(pairs["page.md"])
    assert report == [
        (
            "tests/fixtures/parity/missing_counterpart/page.fr.md is missing: "
            "every page exists in English and French"
        )
    ]


def test_glossary_is_well_formed():
    terms = checks.glossary()["terms"]
    assert terms and all({"en", "fr"} <= term.keys() for term in terms)
    enforced = [t for t in terms if t.get("not_on_fr") or t.get("not_on_en")]
    # the terms the brief names are all enforced
    assert {t["en"] for t in enforced} >= {
        "AAW",
        "Advanced Analytics Workspace",
        "Protected B",
        "notebook server",
        "notebook",
        "training",
        "machine learning",
        "workflow",
        "data set",
        "package (R, Python)",
        "seed (random number generator)",
        "statement (SAS)",
        "open source",
        "template (Argo)",
    }
