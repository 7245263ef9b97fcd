"""MkDocs hook: mkdocs-jupyter without its start-up cost, and each notebook converted once.

mkdocs-jupyter imports nbconvert (and jupytext) when MkDocs loads it as a plugin: about 1 s of
every build, and of `mkdocs serve`'s start, even when no notebook changed. So it is not listed
under `plugins:`; this hook runs the very same plugin class instead, with the options below,
after making `mkdocs_jupyter.convert` (nbconvert) and `jupytext` lazy modules: they are only
imported when a notebook must really be converted. This hook must come before
overrides/hooks/notebooks.py in `hooks:` (which imports mkdocs-jupyter too); tests/test_speed.py
fails if a build with unchanged notebooks imports nbconvert.

Each conversion (HTML and table of contents) is cached in `.cache/notebooks/` beside
mkdocs.yml (ignored by git), keyed by the notebook's bytes, the options and the versions of
the converters: an unchanged notebook costs nothing, in both languages, across builds and
`mkdocs serve` rebuilds; a changed one (or a new nbconvert) is converted again. Writes are
atomic, so parallel builds (pytest -n 2) share the cache safely. `NOTEBOOK_CACHE=off` turns
it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import types
from importlib.metadata import version
from pathlib import Path

from disk_cache import write_entry
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.toc import get_toc


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module that is imported at its first use (not at `import`:
    importlib.util.LazyLoader loads on the `__spec__` look-up that `import name` does)."""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def _deferred_module(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    module = _Deferred(name)
    module.__spec__ = spec
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


_deferred_module("jupytext")  # only read for .md/.py notebooks, which OPTIONS leave out
_deferred_module("mkdocs_jupyter.convert")  # nbconvert, only on a cache miss

from mkdocs_jupyter import plugin as jupyter  # noqa: E402  (after the deferred modules)

log = get_plugin_logger("notebook_render")

# What mkdocs.yml used to give the plugin. The tutorial notebooks (docs/notebooks/, made by
# scripts/make_notebooks.py) store their outputs and are never executed here; include_source
# puts the .ipynb beside the page for the download button of overrides/hooks/notebooks.py.
OPTIONS = {
    "include": ["*.ipynb"],
    "ignore": ["*.md", "*.py"],  # else the plugin parses every Markdown page with jupytext
    "include_source": True,
    "execute": False,
    "ignore_h1_titles": True,  # the nav titles (translated in mkdocs.yml) name the pages
    "cache": False,  # its own cache is per working folder and evicts the other language's entries
}
# The cached HTML depends on these packages' code as much as on the notebook.
CONVERTERS = ("mkdocs-jupyter", "nbconvert", "pygments", "jupyterlab_pygments", "mistune")
CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this code
MAX_ENTRIES = 64

_plugin = jupyter.Plugin()
_errors, _warnings = _plugin.load_config(OPTIONS)
assert not _errors, _errors
_stats = {"hits": 0, "misses": 0}


def _cache_dir(config) -> Path | None:
    if os.environ.get("NOTEBOOK_CACHE", "").lower() in ("0", "off", "false", "no"):
        return None
    return Path(config.config_file_path).resolve().parent / ".cache" / "notebooks"


def _versions() -> str:
    found = []
    for name in CONVERTERS:
        try:
            found.append(f"{name}={version(name)}")
        except Exception:  # noqa: BLE001  (not installed: part of the key all the same)
            found.append(f"{name}=?")
    return ";".join(found)


_KEY_PREFIX = None


def cache_key(source: Path) -> str:
    global _KEY_PREFIX
    if _KEY_PREFIX is None:
        _KEY_PREFIX = f"{CACHE_VERSION};{_versions()};{json.dumps(OPTIONS, sort_keys=True)}"
    digest = hashlib.sha256(_KEY_PREFIX.encode())
    digest.update(source.read_bytes())
    return digest.hexdigest()


def _toc_tokens(items) -> list[dict]:
    return [{"level": item.level, "id": item.id, "name": item.title,
             "children": _toc_tokens(item.children)} for item in items]


def on_pre_build(config) -> None:
    _plugin.on_pre_build(config)


def on_files(files, config):
    return _plugin.on_files(files, config)


def on_pre_page(page, config, files):
    page = _plugin.on_pre_page(page, config, files)
    cache = _cache_dir(config)
    if cache is None or not _plugin.should_include(page.file):
        return page
    convert = page.render  # mkdocs-jupyter's conversion, bound to this page
    entry = cache / f"{cache_key(Path(page.file.abs_src_path))}.json"

    def render(self, config, files):
        try:
            cached = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cached = None
        if cached is not None:
            _stats["hits"] += 1
            self.content = cached["content"]
            self.toc = get_toc(cached["toc"])
            return
        _stats["misses"] += 1
        convert(config, files)
        write_entry(entry, json.dumps({"content": self.content, "toc": _toc_tokens(self.toc)}),
                    MAX_ENTRIES)

    page.render = types.MethodType(render, page)
    return page


def on_post_page(output, page, config):
    _plugin.on_post_page(output, page, config)
    return output


def on_post_build(config) -> None:
    if _stats["hits"] or _stats["misses"]:
        log.debug(f"notebook conversions: {_stats['hits']} from the cache, "
                  f"{_stats['misses']} converted")
