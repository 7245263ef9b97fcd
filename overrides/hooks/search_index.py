"""MkDocs hook: one search index per language, each in its language's folder.

mkdocs-static-i18n merges every language into one `search/search_index.json` (274 kB), which
every page fetched. After the last language is built, this hook splits it: the default
language's pages stay in `search/search_index.json`, each other language's go to
`<lang>/search/search_index.json`, and each index names only its own language for the
stemmer. docs/assets/javascripts/search-per-language.js makes Material's search fetch the
index of the page's language, and only once the reader opens the search.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority


def language_of(location: str, languages: list[str], default: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in languages and first != default else default


@event_priority(-200)  # after mkdocs-static-i18n (-100), which builds the other languages
def on_post_build(config) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:
        return  # inside one language's build: the merged index is not written yet
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.is_file():
        return
    index = json.loads(merged.read_text(encoding="utf-8"))
    languages, default = list(i18n.build_languages), i18n.default_language
    for language in languages:
        folder = site if language == default else site / language
        docs = [doc for doc in index["docs"]
                if language_of(doc["location"], languages, default) == language]
        target = folder / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({**index, "config": {**index["config"], "lang": [language]},
                                      "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
