"""MkDocs hook: published pages without the indentation of the theme's templates.

Material's templates indent their output for readability of the templates; on a page that is
5 to 20 % of its bytes, sent again with every page a reader opens on a slow link. Between two
tags, a run of spaces and line breaks is replaced by one line break, which renders the same
(outside preformatted text, whitespace collapses anyway). Left alone: the content of `pre`,
`textarea`, `script` and `style`, and every other character (a no-break space is content).
tests/test_speed.py compares the text and computed styles of pages built with and without it.
`HTML_COMPACT=off` leaves pages as the templates write them.
"""

from __future__ import annotations

import os
import re

from mkdocs.plugins import event_priority

# A preserved element as a whole (the scan resumes after it), or whitespace between two tags.
PRESERVED_OR_INDENTATION = re.compile(
    r"(?P<preserved><(?P<name>pre|textarea|script|style)\b.*?</(?P=name)\s*>)"
    r"|(?<=>)[ \t\r\n]*\n[ \t\r\n]*(?=<)",
    re.IGNORECASE | re.DOTALL,
)


def compact(html: str) -> str:
    return PRESERVED_OR_INDENTATION.sub(lambda m: m["preserved"] or "\n", html)


@event_priority(-200)  # last: after the French typography of languages.py
def on_post_page(output: str, page, config) -> str:
    if os.environ.get("HTML_COMPACT", "").lower() in ("0", "off", "false", "no"):
        return output
    return compact(output)
