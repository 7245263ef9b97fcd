"""What readers get, checked on the built site and the notebooks rather than on the Markdown.

- French typography (`typography_problems`): a built French page, notebook pages included, has
  a no-break space before « : », inside « », before % and ‰ and between a number and its unit,
  and no space before ; ? ! (the *Guide du rédacteur*, as overrides/hooks/languages.py applies
  it). Text and the attributes that readers or screen readers get are read; code and phrases
  marked as another language are not.
- Interface strings (`interface_problems`): a French page shows no English interface string (the
  permalink title, the footer, the copy buttons, the notebook download button...), and an
  English page no French one; the theme's translations that scripts show later (copy button,
  search) are read too.
- Notebooks (`notebook_wording_problems`): a notebook speaks of itself, not of the web page (tabs,
  markers, "this page"), and a Python notebook of Python only, an R notebook of R only.

Each function returns one readable sentence per problem, naming the page and the phrase.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

NBSP, NNBSP = "\u00a0", "\u202f"
READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}


class _ReadText(HTMLParser):
    """Text runs and read attributes of a page, each with the language it is written in."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str]] = []  # tag, verbatim, language
        self.language = language
        self.runs: list[tuple[str, str, str]] = []  # (where, language, text)
        self.config: str = ""
        self._in_config = False

    def _current(self) -> tuple[bool, str]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, self.language)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        verbatim, language = self._current()
        language = (attributes.get("lang") or language).split("-")[0]
        if not verbatim:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self.runs.append((f'{tag} {name}="…"', language, attributes[name]))
        self._in_config = tag == "script" and attributes.get("id") == "__config"
        if tag not in VOID:
            self.stack.append((tag, verbatim or tag in VERBATIM, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        self._in_config = False
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._in_config:
            self.config += data
        verbatim, language = self._current()
        if not verbatim and data.strip():
            self.runs.append(("text", language, data))


def read_runs(html: str, language: str) -> _ReadText:
    parser = _ReadText(language)
    parser.feed(html)
    parser.close()
    return parser


# ---------------------------------------------------------------- French typography

UNITS = r"(?:%|‰|[kKMGT]i?[oB]|[kKMG]o|min|ms|mm|cm|km|kg|[shgm])(?![\w'’])"
TYPOGRAPHY = [
    (re.compile(r"(?:^|\S)[ \t\r\n]+:(?=\s|$)"), "a breaking space before « : » (write U+00A0)"),
    (re.compile(r"[\w)\]»*’'\"]:(?=\s|$)"), "no space before « : » (write U+00A0)"),
    (re.compile(r"«(?![\u00a0\u202f])"), "no no-break space after « (write U+00A0)"),
    (re.compile(r"(?<![\u00a0\u202f])»"), "no no-break space before » (write U+00A0)"),
    (re.compile(r"\d[ \t\r\n]+" + UNITS), "a breaking space between a number and its unit"),
    (re.compile(r"\S[ \t\u00a0\u202f]+[;?!](?=\s|$)"), "a space before ; ? or ! (none in Canada)"),
]


def _context(text: str, start: int, end: int) -> str:
    snippet = " ".join(text[max(0, start - 25) : end + 25].split())
    return snippet.replace(NBSP, "⍽").replace(NNBSP, "⍽")


def typography_problems(html: str, where: str) -> list[str]:
    problems = []
    for place, language, text in read_runs(html, "fr").runs:
        if language != "fr":
            continue
        for pattern, what in TYPOGRAPHY:
            for found in pattern.finditer(text):
                problems.append(
                    f"{where}: {what}, in {place}: '{_context(text, found.start(), found.end())}'"
                )
    return problems


# ---------------------------------------------------------------- interface strings

# Strings of the theme, the hooks and mkdocs.yml that a page of the other language would show
# if a translation were missing. Product names (Material for MkDocs, GitHub) are not listed.
INTERFACE = {
    "en": [
        "Permanent link", "Made with", "Open Government Licence", "Statistics Canada",
        "Copy to clipboard", "Copied", "Download the notebook", "Skip to content", "Back to top",
        "Table of contents", "Previous", "Next", "Search", "Type to start searching",
        "Switch to", "Select language", "Initializing search", "No description has been provided",
        "Header", "Footer", "Clear", r"re:\bIn\s*\[\d+\]",  # nbconvert's input prompt
    ],
    "fr": [
        "Lien permanent", "Réalisé avec", "Licence du gouvernement ouvert", "Statistique Canada",
        "Copier", "Copié", "Télécharger le bloc-notes", "Aller au contenu", "Retour en haut",
        "Table des matières", "Précédent", "Suivant", "Rechercher", "Taper pour démarrer",
        "Passer au mode", "Sélectionner la langue", "Initialisation de la recherche",
        "En-tête", "Pied de page", "Effacer",
    ],
}
OTHER = {"en": "fr", "fr": "en"}


def interface_problems(html: str, where: str, language: str) -> list[str]:
    """Interface strings of the other language on a page (its prose has its own checks)."""
    other = OTHER[language]
    patterns = [
        (phrase, re.compile(phrase[3:] if phrase.startswith("re:")
                            else r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"))
        for phrase in INTERFACE[other]
    ]
    parsed = read_runs(html, language)
    problems = []
    for place, run_language, text in parsed.runs:
        if run_language != language:
            continue
        for _phrase, pattern in patterns:
            if found := pattern.search(text):
                problems.append(
                    f"{where}: '{found.group(0)}' on a page in {language}, in {place}: "
                    f"'{_context(text, 0, len(text))[:90]}'"
                )
    if parsed.config:
        translations = json.loads(parsed.config).get("translations", {})
        for key, value in translations.items():
            for _phrase, pattern in patterns:
                if found := pattern.search(value):
                    problems.append(
                        f"{where}: the theme's '{key}' says '{value}' ('{found.group(0)}') on a "
                        f"page in {language}"
                    )
    match = re.search(r'<html[^>]*\slang="([^"]+)"', html)
    if not match or match.group(1).split("-")[0] != language:
        problems.append(f"{where}: <html lang> is {match.group(1) if match else 'missing'}")
    return problems


# ---------------------------------------------------------------- notebooks

WEB_PAGE = {
    "en": [r"\btabs?\b", r"\bthis page\b", r"\bon the page\b", r"\bclick", r"\bmarkers?\b",
           r"\bscroll", r"\bbelow the block", r"\bblocks? of one tab"],
    "fr": [r"\bonglets?\b", r"\bcette page\b", r"\bsur la page\b", r"\bcliquez", r"\bmarqueurs?\b",
           r"\bfaites défiler", r"\bsous le bloc"],
}
# What the notebook of one flavour must not speak of: the other tutorial languages.
OTHER_FLAVOURS = {
    "python": [r"(?<![\w/.-])R(?![\w/-])", r"\bSAS\b", r"\bSASPy\b", r"\btidyverse\b", r"\bcaret\b",
               r"\brandomForest\b", r"\bsaveRDS\b"],
    "r": [r"\bPython\b", r"\bSAS\b", r"\bSASPy\b", r"\bpandas\b", r"\bscikit-learn\b",
          r"\bskops\b", r"\bpickle\b", r"\bjoblib\b", r"\bmatplotlib\b"],
}
MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
INLINE_CODE = re.compile(r"`[^`]*`")


def notebook_wording_problems(notebook: dict, where: str, language: str, flavour: str) -> list[str]:
    problems = []
    rules = [(re.compile(p, re.IGNORECASE), "speaks of the web page") for p in WEB_PAGE[language]]
    rules += [(re.compile(p), f"speaks of another language in a {flavour} notebook")
              for p in OTHER_FLAVOURS[flavour]]
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if number == 0:
            source = source.split("\n", 1)[-1]  # the title names the flavour: "(Python)"
        text = INLINE_CODE.sub(" ", MD_LINK_TARGET.sub("]", source))
        for pattern, what in rules:
            for found in pattern.finditer(text):
                problems.append(
                    f"{where}, cell {number}: {what} ('{found.group(0)}'): "
                    f"'{_context(text, found.start(), found.end())}'"
                )
    return problems
