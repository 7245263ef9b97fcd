"""What the harness reads from a site's MkDocs configuration: where the pages are, how includes
resolve (pymdownx.snippets' own options), which languages exist, and the site's URL.

Three layouts are understood:
- one config with mkdocs-static-i18n, `docs_structure: suffix` (`page.en.md` beside `page.fr.md`);
- one config with mkdocs-static-i18n, `docs_structure: folder` (`docs/en/page.md`, `docs/fr/page.md`);
- one config per language (`mkdocs-en.yml` over `docs/en/`, `mkdocs-fr.yml` over `docs/fr/`),
  each language taken from `theme.language` (else from the file name's `-xx` ending);
and a site with one config and no i18n plugin (one language, `theme.language` or `en`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader, yaml_load


class SiteConfigError(Exception):
    """The MkDocs configuration cannot be read."""


class _Loader(yaml.SafeLoader):
    """Safe YAML plus MkDocs' `!ENV` and `!relative`; `!!python/name:` values (emoji
    generators, ...) are read as None: the harness needs none of them and imports nothing."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    """The config as MkDocs reads it (INHERIT, !ENV), without importing anything it names."""
    with path.open(encoding="utf-8") as stream:
        config = yaml_load(stream, loader=get_yaml_loader(loader=_Loader))
    if not isinstance(config, dict):
        raise SiteConfigError(f"{path}: not a MkDocs configuration (no mapping at the top)")
    return config


def _options(entries, name: str) -> dict | None:
    """Options of plugin or extension `name` in a MkDocs list (`- name` or `- name: {...}`)."""
    for entry in entries or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    if isinstance(entries, dict) and name in entries:  # the mapping form MkDocs also accepts
        return entries[name] or {}
    return None


@dataclass(frozen=True)
class Language:
    code: str
    docs_dir: Path  # the folder holding this language's pages
    default: bool
    site_url: str | None  # the URL this language is served at (None if the config sets none)
    config: Path


@dataclass
class Site:
    """A MkDocs site as the harness sees it."""

    configs: list[Path]
    languages: list[Language]
    layout: str  # "suffix", "folder", "config" (one config per language) or "single"
    docs_dir: Path  # common folder of every page (walked for pages)
    snippets: dict = field(default_factory=dict)  # pymdownx.snippets options, paths resolved
    site_url: str | None = None  # of the default language

    @property
    def codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def default(self) -> Language:
        return next(lang for lang in self.languages if lang.default)

    def language_of(self, page: Path) -> str | None:
        """The language of a page; None when the page is shared by every language (a suffix
        layout's unsuffixed page, served in the default language and as the others' fallback)."""
        page = page.resolve()
        if self.layout == "single":
            return self.default.code
        if self.layout == "suffix":
            suffixes = page.suffixes
            if len(suffixes) >= 2 and suffixes[-2][1:] in self.codes:
                return suffixes[-2][1:]
            return None
        for language in self.languages:
            if language.docs_dir in page.parents:
                return language.code
        return None

    def counterpart(self, page: Path, code: str) -> Path:
        """The same page in language `code` (which may not exist)."""
        page = page.resolve()
        own = self.language_of(page)
        if self.layout == "suffix":
            stem = page.name[: -len(f".{own}.md")] if own else page.name[: -len(".md")]
            return page.with_name(f"{stem}.{code}.md")
        if own is None:
            return page
        here = next(lang for lang in self.languages if lang.code == own).docs_dir
        there = next(lang for lang in self.languages if lang.code == code).docs_dir
        return there / page.relative_to(here)

    def page_path(self, page: Path) -> str:
        """`training.md` for docs/training.en.md or docs/en/training.md: the page's name in
        every language, as MkDocs' nav and URLs know it."""
        page = page.resolve()
        own = self.language_of(page)
        if self.layout == "suffix":
            relative = page.relative_to(self.docs_dir).as_posix()
            return relative[: -len(f".{own}.md")] + ".md" if own else relative
        language = next((lang for lang in self.languages if lang.code == own), self.default)
        return page.relative_to(language.docs_dir).as_posix()

    def page_url(self, page_name: str, code: str) -> str:
        """Path of a page below the site's root, per language: `training/`, `fr/training/`
        (use_directory_urls, the default)."""
        stem = page_name.removesuffix(".md")
        stem = "" if stem in ("index", "README") else stem.removesuffix("/index") + "/"
        if self.layout in ("suffix", "folder") and not self._language(code).default:
            return f"{code}/{stem}"
        return stem

    def _language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)


def _snippets(config: dict, base: Path) -> dict:
    options = _options(config.get("markdown_extensions"), "pymdownx.snippets")
    if options is None:
        return {}
    options = dict(options)
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else list(bases)
    # MkDocs runs from the config's folder: base_path is relative to it.
    options["base_path"] = [str((base / b).resolve()) for b in bases]
    options["url_download"] = False  # examples are proven offline
    return options


def load_site(configs: list[Path]) -> Site:
    """Read one config (suffix, folder or no i18n) or one config per language."""
    if not configs:
        raise SiteConfigError("no MkDocs configuration given")
    missing = [str(c) for c in configs if not c.is_file()]
    if missing:
        raise SiteConfigError(f"MkDocs configuration not found: {', '.join(missing)}")
    read = [(path.resolve(), read_config(path)) for path in configs]
    first_path, first = read[0]
    base = first_path.parent
    snippets = _snippets(first, base)
    if len(read) > 1:
        languages = []
        for number, (path, config) in enumerate(read):
            code = (config.get("theme") or {}).get("language")
            if not code:
                match = re.search(r"[-_.]([a-z]{2})$", path.stem)
                if not match:
                    raise SiteConfigError(f"{path}: no theme.language, and no -xx in its name")
                code = match[1]
            languages.append(
                Language(
                    code,
                    (path.parent / config.get("docs_dir", "docs")).resolve(),
                    number == 0,
                    config.get("site_url"),
                    path,
                )
            )
        docs_dirs = [lang.docs_dir for lang in languages]
        common = Path(*_common_parts(docs_dirs))
        return Site([p for p, _ in read], languages, "config", common, snippets,
                    languages[0].site_url)
    docs_dir = (base / first.get("docs_dir", "docs")).resolve()
    site_url = first.get("site_url")
    i18n = _options(first.get("plugins"), "i18n")
    if not i18n or not i18n.get("languages"):
        code = (first.get("theme") or {}).get("language") or "en"
        return Site([first_path], [Language(code, docs_dir, True, site_url, first_path)],
                    "single", docs_dir, snippets, site_url)
    layout = i18n.get("docs_structure", "suffix")
    if layout not in ("suffix", "folder"):
        raise SiteConfigError(f"{first_path}: i18n docs_structure {layout!r} is not known")
    entries = [lang for lang in i18n["languages"] if lang.get("build", True)]
    if not any(lang.get("default") for lang in entries):
        entries[0] = {**entries[0], "default": True}
    languages = []
    for entry in entries:
        code, default = entry["locale"], bool(entry.get("default"))
        folder = docs_dir if layout == "suffix" else docs_dir / code
        url = site_url
        if site_url and not default:
            url = site_url.rstrip("/") + f"/{code}/"
        languages.append(Language(code, folder, default, url, first_path))
    return Site([first_path], languages, layout, docs_dir, snippets, site_url)


def _common_parts(paths: list[Path]) -> list[str]:
    parts = []
    for group in zip(*(p.parts for p in paths)):
        if len(set(group)) != 1:
            break
        parts.append(group[0])
    return parts
