"""MkDocs hook: a Markdown page is converted to HTML again only when something it uses changed.

Converting the Markdown (superfences, Pygments, tabs, annotations) is most of what a build
and a `mkdocs serve` rebuild still do, for every page of every language, although an edit
touches one page, or one snippet. Here each conversion is cached, in memory (serve) and in
`.cache/pages/` beside mkdocs.yml (ignored by git), under a hash of everything it reads:

- the page's final Markdown (after every plugin's on_page_markdown) and its file and URL;
- the content of every snippet it includes (`--8<-- "file"`, also inside included snippets),
  so that saving a snippet converts again exactly the pages that include it, in every
  language; a page whose includes cannot be read this way depends on all of snippets/;
- the Markdown settings (extensions and their options) as they are when the page is
  converted, the validation settings, the list of files of the build (links are resolved
  against it), the converters' versions and this hook's own code.

A conversion is cached only when it logged no warning, so a strict build fails on a cached
page exactly as on a converted one; links to anchors are still checked by MkDocs at every
build (each page's anchors and links to anchors are part of what is cached).
`PAGE_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import types
from importlib.metadata import version
from pathlib import Path

from disk_cache import write_entry
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import get_toc

CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this code
MAX_ENTRIES = 256
PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material")
# `--8<-- "path"` or `--8<-- 'path'` (pymdownx.snippets' one-line form), path maybe `file:section`.
INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["'])(.+?)\1[ \t]*$""", re.MULTILINE)
ANY_INCLUDE = re.compile(r"^[ \t]*-{1,}8<-{1,}", re.MULTILINE)

_memory: dict[str, dict] = {}  # refilled from disk after each rebuild's reload of this file


def _enabled() -> bool:
    return os.environ.get("PAGE_CACHE", "").lower() not in ("0", "off", "false", "no")


def _snippet_folders(config) -> list[Path]:
    options = (config.mdx_configs or {}).get("pymdownx.snippets", {})
    base = options.get("base_path", ["."])
    base = [base] if isinstance(base, str) else list(base)
    return [Path(path).resolve() for path in base]


def _find_snippet(name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _digest_folders(folders: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(_named(path, root) + path.read_bytes())
    return digest.hexdigest()


def _named(path: Path, root: Path) -> bytes:
    """A file's name in a key: relative to the project, so that a copy of the project (another
    checkout, a CI runner's folder) finds the entries its files' contents warrant."""
    name = path.relative_to(root) if path.is_relative_to(root) else path
    return name.as_posix().encode() + b"\0"


def included_snippets(markdown: str, folders: list[Path]) -> list[Path] | None:
    """The snippet files a page includes, also through included snippets; None when some
    include is in a form this reader does not follow (block form, URL, missing file)."""
    found: list[Path] = []
    pending = [markdown]
    while pending:
        text = pending.pop()
        lines = INCLUDE.findall(text)
        if len(lines) != len(ANY_INCLUDE.findall(text)):
            return None
        for _, name in lines:
            name = re.sub(r"^(.+?\.\w+)(?::.*)?$", r"\1", name)  # file.py:section -> file.py
            if "://" in name:
                return None
            path = _find_snippet(name, folders)
            if path is None:
                return None  # pymdownx.snippets will report it (check_paths): never cached
            if path not in found:
                found.append(path)
                pending.append(path.read_text(encoding="utf-8", errors="replace"))
    return found


def _stable(value):
    """JSON for settings, with functions named (their repr holds an address)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_stable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return type(value).__name__


_build_key = ""


@event_priority(-1000)  # after mkdocs-static-i18n (-100) has made this language's file list
def on_nav(nav, config, files):
    """What every page of this build shares: settings, file list, versions."""
    global _build_key
    parts = {
        "version": CACHE_VERSION,
        "packages": [_version(name) for name in PACKAGES],
        "validation": _stable(config.validation),
        "use_directory_urls": config.use_directory_urls,
        "files": sorted((f.src_uri, f.url, f.inclusion.name) for f in files),
    }
    _build_key = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return nav


def _version(name: str) -> str:
    try:
        return f"{name}={version(name)}"
    except Exception:  # noqa: BLE001
        return f"{name}=?"


def page_key(page, config, files) -> str:
    folders = _snippet_folders(config)
    snippets = included_snippets(page.markdown, folders)
    digest = hashlib.sha256(_build_key.encode())
    # The Markdown settings as this page is converted with them: hooks may set some per page
    # (overrides/hooks/languages.py gives each language its permalink title).
    settings = [_stable(config.markdown_extensions), _stable(config.mdx_configs)]
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(f"{page.file.src_uri}\0{page.url}\0".encode())
    digest.update(page.markdown.encode())
    root = Path(config.config_file_path).resolve().parent
    if snippets is None:
        digest.update(_digest_folders(folders, root).encode())
    else:
        for path in snippets:
            digest.update(_named(path, root) + path.read_bytes())
    return digest.hexdigest()


def _toc_tokens(items) -> list[dict]:
    return [{"level": item.level, "id": item.id, "name": item.title,
             "children": _toc_tokens(item.children)} for item in items]


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _store(entry: Path, key: str, page) -> None:
    links = {to.src_uri: anchors for to, anchors in (page.links_to_anchors or {}).items()}
    data = {"content": page.content, "toc": _toc_tokens(page.toc),
            "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids or ()),
            "links": links if page.links_to_anchors is not None else None}
    _memory[key] = data
    write_entry(entry, json.dumps(data), MAX_ENTRIES)


def _restore(page, data, files) -> bool:
    links = None
    if data["links"] is not None:
        links = {}
        for src_uri, anchors in data["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = anchors
    page.content = data["content"]
    page.toc = get_toc(data["toc"])
    page._title_from_render = data["title"]
    page.present_anchor_ids = set(data["anchors"])
    if links is not None:
        page.links_to_anchors = links
    return True


@event_priority(-1000)  # after every other plugin has had its say on the Markdown
def on_page_markdown(markdown, page, config, files):
    if not _enabled() or not _build_key or page.file.src_uri.endswith(".ipynb"):
        return markdown
    if getattr(page.render, "__func__", None) is not type(page).render:
        return markdown  # another plugin renders this page its own way
    folder = Path(config.config_file_path).resolve().parent / ".cache" / "pages"
    convert = page.render

    def render(self, config, files):
        key = page_key(self, config, files)
        entry = folder / f"{key}.json"
        data = _memory.get(key)
        if data is None:
            try:
                data = json.loads(entry.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        if data is not None and _restore(self, data, files):
            _memory[key] = data
            return
        watcher = _Warnings()
        loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
        for logger in loggers:
            logger.addHandler(watcher)
        try:
            convert(config, files)
        finally:
            for logger in loggers:
                logger.removeHandler(watcher)
        if watcher.count == 0:
            _store(entry, key, self)

    page.render = types.MethodType(render, page)
    return markdown
