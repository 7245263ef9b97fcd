"""MkDocs hook: each page speaks its own language, down to the interface and the typography.

1. Interface strings per language. Python-Markdown's `toc` extension has one `permalink_title`
   for the whole site ("Permanent link", which screen readers read on every heading); MkDocs
   builds a Markdown converter per page, so the title is set here for each page's language.
   (The footer's copyright and "Made with" are per language in mkdocs.yml and
   overrides/partials/copyright.html.)
2. French typography (Translation Bureau, *Guide du rédacteur*, as the project applies it): a
   no-break space (U+00A0) before « : », inside « », before % and ‰ and between a number and its
   unit (99 %, 4 Go, 8,3 s), and between the groups of digits of a large number (1 270); no
   space before ; ? ! (Canadian usage). Applied to the built HTML of French pages, notebook
   pages and the 404 page included, in text and in the attributes that readers or screen
   readers get (title, aria-label, alt, placeholder); never inside code, pre, kbd, samp,
   script, style or an element marked as another language (`lang="en"`). Doing it here rather
   than in the Markdown sources keeps the sources easy to edit and also covers the theme's own
   strings ("Précédent: Accueil"). The search index, whose excerpts readers see in the
   search results, gets the same treatment for its French entries.
   tests/test_rendered_language.py checks the result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

PERMALINK_TITLE = {"en": "Permanent link", "fr": "Lien permanent"}

NBSP = "\u00a0"
# Elements whose content is never typeset: code, and whatever is not prose.
VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "math"}
RAW_TEXT = {"script", "style"}  # their content may hold "<": copied as is, up to the end tag
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
READ_ATTRIBUTES = re.compile(r'(\s(?:title|aria-label|alt|placeholder)=")([^"]*)(")')
TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]*>|[^<]+", re.DOTALL)
TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)")
OTHER_LANGUAGE = re.compile(r'\slang="(?!fr)[^"]*"')

UNITS = r"(?:%|‰|[kKMGT]i?[oB]|[kKMG]o|min|ms|mm|cm|km|kg|[shgm])(?![\w'’])"
RULES = [
    (re.compile(r"[ \t\r\n\u202f]+:"), NBSP + ":"),  # breaking or narrow space before a colon
    (re.compile(r"(?<=[\w)\]»*’'\"])(:)(?=\s|$)"), NBSP + ":"),  # "Précédent: Accueil"
    (re.compile(r"«[ \t\r\n\u202f]*"), "«" + NBSP),
    (re.compile(r"[ \t\r\n\u202f]*»"), NBSP + "»"),
    (re.compile(r"(?<=\d)[ \t\r\n\u202f]+(?=" + UNITS + ")"), NBSP),
    (re.compile(r"(?<![\d,.])(\d{1,3})[ \u202f](?=\d{3}(?!\d))"), r"\1" + NBSP),
    (re.compile(r"[ \t\u00a0\u202f]+(?=[;?!])"), ""),
]


def french(text: str) -> str:
    """One run of French prose, typeset."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def french_html(html: str) -> str:
    """French typography on an HTML document: text and read attributes, never code."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements and whether their content is verbatim
    position = 0
    while position < len(html):
        token = TOKEN.match(html, position)
        piece = token.group()
        position = token.end()
        verbatim = bool(stack) and stack[-1][1]
        tag = TAG.match(piece) if piece.startswith("<") and not piece.startswith("<!") else None
        if tag is None:
            out.append(piece if piece.startswith("<") or verbatim else french(piece))
            continue
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if closing:
            while stack:
                if stack.pop()[0] == name:
                    break
            out.append(piece)
            continue
        if not verbatim and not OTHER_LANGUAGE.search(piece):
            piece = READ_ATTRIBUTES.sub(lambda m: m[1] + french(m[2]) + m[3], piece)
        out.append(piece)
        if name in RAW_TEXT:
            end = html.lower().find(f"</{name}", position)
            end = len(html) if end == -1 else end
            out.append(html[position:end])
            position = end
            continue
        if name not in VOID and not piece.endswith("/>"):
            stack.append((name, verbatim or name in VERBATIM or bool(OTHER_LANGUAGE.search(piece))))
    return "".join(out)


def _language(page, config) -> str:
    return getattr(page.file, "locale", None) or config.theme.get("language", "en")


def on_pre_page(page, config, files):
    toc = config.mdx_configs.setdefault("toc", {})
    toc["permalink_title"] = PERMALINK_TITLE.get(_language(page, config), PERMALINK_TITLE["en"])
    return page


def on_post_page(output: str, page, config) -> str:
    return french_html(output) if _language(page, config) == "fr" else output


@event_priority(-110)  # after mkdocs-static-i18n (-100), which writes the merged index last
def on_post_build(config) -> None:
    """The French entries of the search index (one index for both languages, under fr/)."""
    index = Path(config.site_dir, "search", "search_index.json")
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        if doc.get("location", "").startswith("fr/"):
            doc["title"] = french_html(doc.get("title", ""))
            doc["text"] = french_html(doc.get("text", ""))
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def on_post_template(output: str, template_name: str, config) -> str:
    # The 404 page is a template, not a page: typeset it while its language's build runs.
    if template_name == "404.html" and config.theme.get("language") == "fr":
        return french_html(output)
    return output
