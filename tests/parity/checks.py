"""The parity rules. Each returns a list of problems, one readable sentence each, naming the
page and line; an empty list means the rule holds.

Structure (a pair of pages): same headings (depth and `{ #id }`, every heading has one), same
images in the same order, same internal link targets in each section, same admonition kinds in
the same places, and for notebooks the same code cells in the same order. Tab labels and snippet
includes are compared by the example harness (pytest-mkdocs-examples), not here.

Language (one page): no paragraph reads as the other language (lingua, EN/FR only), no
glossary term in the other language's form (tests/parity/glossary.yml), no misspelling
(hunspell, fr_CA / en_CA, plus tests/parity/words.txt).
"""

from __future__ import annotations

import atexit
import difflib
import functools
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from .model import Heading, Page, Prose

HERE = Path(__file__).resolve().parent
GLOSSARY = HERE / "glossary.yml"
WORDS = HERE / "words.txt"
OTHER = {"en": "fr", "fr": "en"}
# Canadian dictionaries; fr_CA is a link to Debian's "classical" French, which keeps the
# circumflex of "entraînement".
HUNSPELL_DICTIONARIES = {"en": "en_CA", "fr": "fr_CA"}
# A paragraph needs this many words (after code, names and identifiers are removed) for its
# language to be told reliably; below it, headings and captions would give false alarms.
MIN_WORDS_FOR_LANGUAGE = 6
# Flag a paragraph or sentence when lingua is at least this sure it is in the other language.
# Measured on the real pages: at most 0.22 for any well-written sentence of six words or more
# (short technical ones such as "MLOps and data pipelines are ..." score highest); the
# untranslated fixtures score 0.99 and more.
OTHER_LANGUAGE_CONFIDENCE = 0.8
# The personal-dictionary entries borrow the affixes of "Canada", which both dictionaries know:
# elisions in French (l'ETAA, d'ETAA), the possessive in English (the AAW's).
AFFIX_MODEL = "Canada"


# ---------------------------------------------------------------- structure of a pair


def heading_problems(en: Page, fr: Page) -> list[str]:
    problems = [
        f"{page.where(h.line)}: heading '{h.text}' has no explicit id; "
        f"add `{{ #english-slug }}` (the same in both languages)"
        for page in (en, fr)
        if page.path.suffix == ".md"  # notebook Markdown has no attribute lists
        for h in page.headings
        if h.id is None
    ]
    return problems + _sequence_problems(
        "heading",
        en,
        en.headings,
        fr,
        fr.headings,
        key=lambda h: (h.level, h.id),
        show=_show_heading,
    )


def image_problems(en: Page, fr: Page) -> list[str]:
    return _sequence_problems(
        "image", en, en.images, fr, fr.images, key=lambda i: i.value, show=lambda i: f"`{i.value}`"
    )


def admonition_problems(en: Page, fr: Page) -> list[str]:
    return _sequence_problems(
        "admonition",
        en,
        en.admonitions,
        fr,
        fr.admonitions,
        key=lambda a: (a.section, a.value),
        show=lambda a: f"`!!! {a.value}` in #{a.section}",
    )


def link_problems(en: Page, fr: Page) -> list[str]:
    """Internal targets per section; their order within a section may follow each language."""
    problems = []
    for page, other in ((en, fr), (fr, en)):
        surplus = Counter((i.section, i.value) for i in page.links)
        surplus.subtract((i.section, i.value) for i in other.links)
        for link in page.links:
            if surplus[(link.section, link.value)] > 0:
                surplus[(link.section, link.value)] -= 1
                problems.append(
                    f"{page.where(link.line)}: link to `{link.value}` in section "
                    f"#{link.section or '(top)'} has no counterpart in {other.path.name}"
                )
    return problems


def code_cell_problems(en: Page, fr: Page) -> list[str]:
    """Notebooks: the same code cells in the same order (the code is shared, not translated)."""
    return _sequence_problems(
        "code cell",
        en,
        en.code_cells,
        fr,
        fr.code_cells,
        key=lambda c: c.value,
        show=lambda c: f"`{_shorten(c.value.splitlines()[0], 60)}`",
    )


def _show_heading(h: Heading) -> str:
    return f"`{'#' * h.level} {h.text}` " + (f"{{ #{h.id} }}" if h.id else "(no id)")


def _sequence_problems(what, en: Page, en_items, fr: Page, fr_items, key, show) -> list[str]:
    """Differences between two ordered lists, each side named by page and line."""
    matcher = difflib.SequenceMatcher(
        a=[key(i) for i in en_items], b=[key(i) for i in fr_items], autojunk=False
    )
    problems = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            problems += [
                f"{en.where(a.line)}: {what} {show(a)} differs from {fr.where(b.line)}: {show(b)}"
                for a, b in zip(en_items[i1:i2], fr_items[j1:j2])
            ]
            continue
        problems += [
            f"{en.where(a.line)}: {what} {show(a)} is missing from {fr.path.name}"
            for a in en_items[i1:i2]
        ]
        problems += [
            f"{fr.where(b.line)}: {what} {show(b)} is missing from {en.path.name}"
            for b in fr_items[j1:j2]
        ]
    return problems


# ---------------------------------------------------------------- language of one page


@functools.cache
def glossary() -> dict:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


@functools.cache
def project_words() -> tuple[str, ...]:
    lines = WORDS.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@functools.cache
def _names_pattern() -> re.Pattern[str]:
    """Product names and project words, removed from text before its language is judged."""
    names = sorted({*glossary()["products"], *project_words()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")


@functools.cache
def language_detector():
    """Built once per test session; only English and French, so it loads two small models."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def language_problems(page: Page) -> list[str]:
    """Paragraphs, then single sentences, that read as the other language.

    A whole paragraph is judged first; when it passes, each of its sentences is judged too, so
    that one untranslated sentence inside a translated paragraph is caught as well.
    """
    from lingua import Language

    other = {"en": Language.FRENCH, "fr": Language.ENGLISH}[page.language]
    problems = []
    for block in page.prose:
        for line, text, what in _paragraph_then_sentences(block):
            confidence = _confidence(text, other)
            if confidence is not None and confidence >= OTHER_LANGUAGE_CONFIDENCE:
                problems.append(
                    f"{page.where(line)}: this {what} reads as {other.name.title()} "
                    f"({confidence:.0%} sure) on {_a_page_in(page.language)}: "
                    f"'{_shorten(text)}'. Translate it, or mark a quotation with "
                    f'<span lang="{OTHER[page.language]}">'
                )
                break  # the paragraph is reported: its sentences would only repeat it
    return problems


def _confidence(text: str, language) -> float | None:
    """How sure lingua is that `text` is in `language`; None if too short to tell."""
    text = _names_pattern().sub(" ", text)
    if len(re.findall(r"[^\W\d_]{2,}", text)) < MIN_WORDS_FOR_LANGUAGE:
        return None
    return language_detector().compute_language_confidence(text, language)


def _paragraph_then_sentences(block: Prose):
    """(line, text, "paragraph"), then (line, text, "sentence") for each sentence of it."""
    yield block.line, block.text, "paragraph"
    starts, position = [], 0  # where each source line starts in block.text
    for line, text in block.lines:
        starts.append((position, line))
        position += len(text) + 1
    ends = [m.end() for m in re.finditer(r"[.!?;:](?=\s)", block.text)] + [len(block.text)]
    begin = 0
    for end in ends:
        sentence = block.text[begin:end].strip()
        if len(ends) > 1 and sentence:
            first = begin + len(block.text[begin:end]) - len(block.text[begin:end].lstrip())
            yield max(line for pos, line in starts if pos <= first), sentence, "sentence"
        begin = end


@functools.cache
def _term_rules(language: str) -> tuple[tuple[re.Pattern[str], str, dict | None], ...]:
    """(pattern, advice, context) for each form that must not appear on a `language` page;
    context is None, or the term's `near` rule (the form fails only beside those words)."""
    rules = []
    for term in glossary()["terms"]:
        flags = 0 if term.get("case") == "sensitive" else re.IGNORECASE
        context = None
        if "near" in term:
            context = {
                "near": _prefixes(term["near"]),
                "unless": _prefixes(term.get("unless_near", [])),
                "window": int(term.get("window", 4)),
            }
        for form in term.get(f"not_on_{language}", []):
            pattern = re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", flags)
            advice = f"write '{term[language]}'" + (f" ({term['why']})" if "why" in term else "")
            rules.append((pattern, advice, context))
    return tuple(rules)


def _prefixes(words: list[str]) -> re.Pattern[str] | None:
    """Words or phrases that start a word ("entraîn" finds "entraînement")."""
    if not words:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)


def _in_context(text: str, found: re.Match, context: dict) -> bool:
    """Whether a `near` word, and no `unless_near` word, is within `window` words of `found`."""
    words = r"(?:\S+\s+)"
    window = context["window"]
    before = re.search(words + f"{{0,{window}}}$", text[: found.start()])
    after = re.match(r"\s*" + words + f"{{0,{window}}}" + r"\S*", text[found.end():] + " ")
    around = (before.group(0) if before else "") + " " + (after.group(0) if after else "")
    if context["unless"] and context["unless"].search(around):
        return False
    return bool(context["near"].search(around))


@functools.cache
def _products_pattern() -> re.Pattern[str]:
    names = sorted(glossary()["products"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def glossary_problems(page: Page) -> list[str]:
    """Rejected forms in a paragraph, also across its line breaks ("sur\nl'ETAA"); each is
    reported at the line where it starts."""
    problems = []
    for block in page.prose:
        starts, texts, position = [], [], 0  # where each source line starts in the paragraph
        for line, text in block.lines:
            text = _products_pattern().sub(" ", text)
            starts.append((position, line))
            texts.append(text)
            position += len(text) + 1
        paragraph = " ".join(texts)
        matches = sorted(
            (
                (found, advice)
                for pattern, advice, context in _term_rules(page.language)
                for found in pattern.finditer(paragraph)
                if context is None or _in_context(paragraph, found, context)
            ),
            key=lambda match: (match[0].start(), -len(match[0].group(0))),
        )
        reported_up_to = 0  # "notebook server" is one mistake, not also "notebook"
        for found, advice in matches:
            if found.start() < reported_up_to:
                continue
            reported_up_to = found.end()
            line = max(line for pos, line in starts if pos <= found.start())
            problems.append(
                f"{page.where(line)}: '{found.group(0)}' on {_a_page_in(page.language)}; "
                f"{advice} (tests/parity/glossary.yml)"
            )
    return problems


def hunspell_missing() -> str | None:
    """Why spelling cannot be checked on this machine, or None when it can."""
    if not shutil.which("hunspell"):
        return "hunspell is not installed (Debian package hunspell, see scripts/setup.sh)"
    for dictionary in HUNSPELL_DICTIONARIES.values():
        if not Path(f"/usr/share/hunspell/{dictionary}.dic").is_file():
            return f"hunspell dictionary {dictionary} is missing (hunspell-fr, hunspell-en-ca)"
    return None


def spelling_problems(page: Page) -> list[str]:
    # Product names are spelled as their makers spell them ("Argo Workflows" on a French page).
    lines = [
        (line, _products_pattern().sub(" ", text))
        for block in page.prose
        for line, text in block.lines
    ]
    unknown = _hunspell(HUNSPELL_DICTIONARIES[page.language], [text for _, text in lines])
    return [
        f"{page.where(line)}: unknown word(s) {', '.join(map(repr, dict.fromkeys(words)))} "
        f"(a typo? a technical term belongs in tests/parity/words.txt)"
        for (line, _), words in zip(lines, unknown)
        if words
    ]


def _hunspell(dictionary: str, lines: list[str]) -> list[list[str]]:
    """Unknown words of each line."""
    return [_speller(dictionary)(line) for line in lines]


@functools.cache
def _speller(dictionary: str):
    """One hunspell process per dictionary for the whole test session, in pipe mode (`-a`):
    loading the French dictionary costs more than checking every page."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".dic", encoding="utf-8", delete=False
    ) as personal:
        personal.write(
            "".join(f"{w}/{AFFIX_MODEL}\n" if "/" not in w else f"{w}\n" for w in project_words())
        )
    process = subprocess.Popen(
        ["hunspell", "-a", "-i", "utf-8", "-d", dictionary, "-p", personal.name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        bufsize=1,
    )
    process.stdout.readline()  # hunspell's version banner

    def unknown_words(line: str) -> list[str]:
        # "^" makes hunspell read the line as text, never as a pipe-mode command.
        process.stdin.write(f"^{line}\n")
        process.stdin.flush()
        unknown = []
        while answer := process.stdout.readline().rstrip("\n"):  # a blank line ends it
            if answer[0] in "&#":  # "& word count offset: suggestions" or "# word offset"
                unknown.append(answer.split()[1])
        return unknown

    def stop() -> None:
        process.stdin.close()
        process.wait()
        Path(personal.name).unlink(missing_ok=True)

    atexit.register(stop)
    return unknown_words


def _a_page_in(language: str) -> str:
    return {"en": "an English page", "fr": "a French page"}[language]


def _shorten(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
