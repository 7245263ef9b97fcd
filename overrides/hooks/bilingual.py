"""MkDocs hook: what mkdocs-static-i18n leaves to us for a strictly bilingual site.

1. Every page exists in every language. With `fallback_to_default: true` the plugin silently
   serves the English page as the French one (with `false`, it drops the page, and the build
   only notices when the nav or a link points at it, without saying which language lacks it).
   Here a lone `page.en.md` (or a page without a language suffix) is a warning, so
   `mkdocs build --strict` fails and names the file.
2. One 404 page per language. The plugin builds each language into the same site_dir, so the
   last build's 404.html overwrote the first one: the root 404 came out in French. We write
   each language's 404 under its own folder (`/fr/404.html`) and keep the default language's
   at the root, and we point the 404's language switcher at each language's home page (the
   plugin leaves it pointing at whichever page was rendered last).
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("bilingual")

# Markdown pages, and the notebooks that overrides/hooks/notebooks.py turns into pages.
PAGE_SUFFIXES = {".md", ".ipynb"}

_root_404_by_language: dict[str, str] = {}


def _i18n(config):
    return config.plugins["i18n"]


def on_files(files, config):
    i18n = _i18n(config)
    if i18n.current_language != i18n.default_language:
        return files  # the check looks at docs_dir itself: once per build is enough
    languages = set(i18n.build_languages)
    found: dict[str, set[str]] = {}
    docs = Path(config.docs_dir)
    pages = sorted(p for p in docs.rglob("*") if p.suffix in PAGE_SUFFIXES)
    for path in pages:
        relative = path.relative_to(docs).as_posix()
        stem, _, language = relative[: -len(path.suffix)].rpartition(".")
        if language not in languages:
            log.warning(
                f"Page '{relative}' has no language suffix: name it "
                + " and ".join(f"'{relative[: -len(path.suffix)]}.{lang}{path.suffix}'"
                               for lang in sorted(languages))
            )
            continue
        found.setdefault((stem, path.suffix), set()).add(language)
    for (stem, suffix), present in sorted(found.items()):
        for missing in sorted(languages - present):
            have = ", ".join(f"'{stem}.{lang}{suffix}'" for lang in sorted(present))
            log.warning(f"Page {have} has no '{missing}' version: add '{stem}.{missing}{suffix}'")
    return files


def on_pre_template(template, template_name, config):
    if template_name == "404.html":
        # The plugin's home-page links for each language (it keeps them as extra_alternate).
        # It stores per-page links as an *attribute* of config.extra, which shadows the key
        # in templates, so both are reset.
        home_links = deepcopy(_i18n(config).extra_alternate)
        config.extra["alternate"] = home_links
        config.extra.alternate = home_links
    return template


def on_post_template(output, template_name, config):
    if template_name != "404.html":
        return output
    i18n = _i18n(config)
    language = i18n.current_language
    if language == i18n.default_language:
        _root_404_by_language[language] = output
        return output
    target = Path(config.site_dir, language, "404.html")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    # MkDocs now writes the returned text to the root 404.html: give it back the default one.
    return _root_404_by_language.get(i18n.default_language, output)
