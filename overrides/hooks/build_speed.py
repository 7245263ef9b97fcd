"""MkDocs hook: what a build and `mkdocs serve` spend waiting, without changing what they make.

1. The theme's templates are compiled once, not once per language and per rebuild. MkDocs
   gives every build a new Jinja environment, and mkdocs-static-i18n builds each language
   separately, so Material's ~70 templates were parsed and compiled twice per build, and twice
   again at every live reload. Jinja's bytecode cache keeps the compiled code in
   `.cache/jinja/` beside mkdocs.yml (ignored by git), keyed by template and source checksum:
   editing a template (overrides/) compiles that template again. `JINJA_CACHE=off` turns it off.
2. Each page's search entries are computed once for a given content. Material's search
   plugin parses every page's HTML again at every build (40% of a build); the entries depend
   only on the page's HTML, URL, title, metadata and table of contents, so they are cached
   under a hash of those, in memory (for `mkdocs serve` rebuilds) and in `.cache/search/`.
   `SEARCH_CACHE=off` turns it off. When they must be computed (the page changed), the parser
   is given the code blocks without Pygments' `<span>`s, which it drops anyway: 90% of its
   work on a page of code, the same entries (tests/test_speed.py compares them page by page).
3. The installed theme's files are listed once per process: MkDocs walks Material's folder
   (14 500 files, 14 000 of them icons under .icons/, which it then filters out one by one)
   at every build, once per language. Installed theme folders are listed once, without their
   hidden folders; the project's own overrides/ are listed afresh every time.
4. In a `mkdocs serve` process, the pure functions that other hooks apply to every page at
   every rebuild are computed once per input: the French typography (languages.py), the
   notebook pages' markup and stylesheets (notebooks.py), the compacted HTML (compact_html.py).
   See PURE_FUNCTIONS; `MEMORY_CACHE=off` turns it off.
5. `mkdocs serve` notices a saved file sooner: MkDocs polls the watched folders every 0.5 s;
   here every 0.05 s (a few hundred stat calls each time), and starts the rebuild after 0.02 s
   without further change instead of 0.1 s (an editor's save is over within milliseconds;
   should a change still be under way, such as a branch switch, MkDocs builds again after it,
   so the page served in the end is always the finished one).
6. `mkdocs serve` empties its site folder at once before each rebuild: MkDocs deletes the
   previous build file by file first, and on a file system that discards freed blocks
   (ext4 `discard`, common on cloud disks) each deletion of a written-back file costs ~1-2 ms,
   a third of a rebuild here. The entries are moved into a hidden sibling folder instead (one
   rename each; the folder is as empty as MkDocs leaves it) and deleted by a background thread.
7. Each code block is highlighted once per process for a given code and settings: both
   languages show the same code, so a build highlights each block once, and a rebuild after
   an edit only the blocks that changed (Pygments was 40% of converting a page of code).
   pymdownx.highlight's `Highlight.highlight` is memoized on its settings and every argument
   when all are plain data, for blocks only (not inline code, nor titles given as HTML, which
   it writes into the page's Markdown state). Served reload after saving a training snippet,
   medians of 5, three rounds each way: 0.92-0.96 s -> 0.76-0.86 s. `MEMORY_CACHE=off` turns
   it off, with 4.
8. Material's search plugin reads its language and word separator from the theme's language
   partial at every build, in a new Jinja environment that compiles the partial again (21 ms
   of a rebuild, both languages). The answers are kept per language, setting and content of
   the partials it reads. `MEMORY_CACHE=off` turns it off, with 4.
9. Material's search plugin then strips `data-search-*` attributes from every page's HTML
   with a regular expression that tries a match at every character (8 ms of a rebuild). A
   page without the text `data-search-` has nothing it could match, so there the step is
   left out; any other page goes through Material's own code. This holds for the code it was
   written against: if Material's method changes, it is used as it is. `MEMORY_CACHE=off`
   turns it off, with 4 (so that the warm build compared with the cold one has it).
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import os
import re
import shutil
import sys
import sysconfig
import tempfile
import threading
import time
import types
from pathlib import Path

import material
from disk_cache import write_entry
from jinja2 import FileSystemBytecodeCache, FileSystemLoader
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs import utils as mkdocs_utils
from pymdownx.highlight import Highlight

POLL_SECONDS = 0.05
BUILD_DELAY_SECONDS = 0.02  # MkDocs: 0.1 s of quiet after the last change before rebuilding
SEARCH_CACHE_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this code
MAX_SEARCH_ENTRIES = 512


def _enabled(variable: str) -> bool:
    return os.environ.get(variable, "").lower() not in ("0", "off", "false", "no")


def _cache_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent / ".cache"


# --- 2. search entries ------------------------------------------------------------------------

def _toc(items) -> list:
    return [[item.id, item.url, item.title, _toc(item.children)] for item in items]


def _search_key(page) -> str:
    meta = {key: page.meta.get(key) for key in ("title", "tags", "search")}
    material = getattr(SearchIndex, "__module__", "")
    parts = [SEARCH_CACHE_VERSION, material, page.url, str(page.title), meta, _toc(page.toc)]
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode())
    digest.update(page.content.encode())
    return digest.hexdigest()


PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.IGNORECASE | re.DOTALL)
SPAN_TAG = re.compile(r"</?span\b[^>]*>", re.IGNORECASE)


def plain_code(html: str) -> str:
    """The HTML with its preformatted blocks' `<span>` tags (Pygments' tokens) taken out."""
    return PRE.sub(lambda block: SPAN_TAG.sub("", block.group()), html)


def _entries_of(self, page):
    """Material's entries for the page, from its HTML with plain code."""
    content = page.content
    page.content = plain_code(content)
    try:
        return _compute_entries(self, page)
    finally:
        page.content = content


def _add_entry_from_context(self, page):
    folder = getattr(SearchIndex, "_cache_folder", None)
    if folder is None or not page.content:
        return _entries_of(self, page)
    key = _search_key(page)
    memory = SearchIndex._cache_memory
    entries = memory.get(key)
    path = folder / f"{key}.json"
    if entries is None:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = None
    if entries is None:
        start = len(self.entries)
        _entries_of(self, page)
        entries = copy.deepcopy(self.entries[start:])
        write_entry(path, json.dumps(entries), MAX_SEARCH_ENTRIES)
    else:
        self.entries.extend(copy.deepcopy(entries))
    memory[key] = entries


# Patched once per process (MkDocs loads this file again at every `mkdocs serve` rebuild).
if not getattr(SearchIndex, "_cache_patched", False):
    _compute_entries = SearchIndex.add_entry_from_context
    SearchIndex._compute_entries = _compute_entries
    SearchIndex.add_entry_from_context = _add_entry_from_context
    SearchIndex._cache_patched = True
    SearchIndex._cache_memory = {}
else:
    _compute_entries = SearchIndex._compute_entries
    SearchIndex.add_entry_from_context = _add_entry_from_context


def on_config(config):
    SearchIndex._cache_folder = (_cache_root(config) / "search"
                                 if _enabled("SEARCH_CACHE") else None)
    _memoize_pure_functions(config)
    return config


# --- 4. pure functions of other hooks, in `mkdocs serve` --------------------------------------

# (hook as listed in mkdocs.yml, function): each a pure function of its string arguments and of
# its hook's code, called for every page at every build.
PURE_FUNCTIONS = [
    ("overrides/hooks/languages.py", "french_html"),      # 40% of a rebuild before this
    ("overrides/hooks/notebooks.py", "split_styles"),
    ("overrides/hooks/notebooks.py", "cleaned_markup"),
    ("overrides/hooks/compact_html.py", "compact"),
]
# MkDocs loads the hooks again at every rebuild, so what they remember lives in a module of
# its own, and what they patch is patched once per process.
_MEMORY = sys.modules.setdefault("_build_speed_memory", types.ModuleType("_build_speed_memory"))
if not hasattr(_MEMORY, "results"):
    _MEMORY.results = {}


def _remembered(memory: str, key: str, make, limit: int = 256):
    """make()'s result for `key`, computed once per process (the named memory is emptied past
    `limit` entries)."""
    results = _MEMORY.results.setdefault(memory, {})
    if key not in results:
        if len(results) > limit:
            results.clear()
        results[key] = make()
    return results[key]


def _patch_once(owner, name: str, replacement):
    """owner.<name> becomes `replacement`; returns the original, kept on the owner so that the
    next load of this file does not wrap its own replacement."""
    original = f"_unpatched_{name}"
    if not hasattr(owner, original):
        setattr(owner, original, getattr(owner, name))
    setattr(owner, name, replacement)
    return getattr(owner, original)


def _memoize_pure_functions(config) -> None:
    """Give each of PURE_FUNCTIONS the result of the previous build for the same arguments.
    MkDocs loads the hooks again at every rebuild, so the memory lives in a module of its own."""
    if not _enabled("MEMORY_CACHE"):
        return
    for hook_name, function_name in PURE_FUNCTIONS:
        hook = config.plugins.get(hook_name)
        function = getattr(hook, function_name, None)
        if function is None or getattr(function, "memoized", False):
            continue
        code = hashlib.sha256(Path(hook.__file__).read_bytes()).hexdigest()

        def memoized(*args: str, function=function, code=code, memory=f"{hook_name}:{function_name}"):
            key = hashlib.sha256("\0".join((code, *args)).encode()).hexdigest()
            return _remembered(memory, key, lambda: function(*args))

        memoized.memoized = True
        setattr(hook, function_name, memoized)


# --- 7. code highlighting ---------------------------------------------------------------------

def _plain(value) -> bool:
    """Data whose repr says all it holds (an object's repr may name only its address, which a
    later object can reuse)."""
    if isinstance(value, (list, tuple)):
        return all(map(_plain, value))
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return value is None or isinstance(value, (str, int, float))


def _highlight(self, *args, **kwargs):
    call = _HIGHLIGHT_SIGNATURE.bind(self, *args, **kwargs)
    call.apply_defaults()
    settings = {name: value for name, value in vars(self).items() if name != "md"}
    arguments = sorted((name, value) for name, value in call.arguments.items() if name != "self")
    if (call.arguments["inline"] or self.title_mode == "html" or not _enabled("MEMORY_CACHE")
            or not _plain([settings, arguments])):
        return _unmemoized_highlight(self, *args, **kwargs)
    return _remembered("highlight", repr((settings, arguments)),
                       lambda: _unmemoized_highlight(self, *args, **kwargs), limit=4096)


_unmemoized_highlight = _patch_once(Highlight, "highlight", _highlight)
_HIGHLIGHT_SIGNATURE = inspect.signature(_unmemoized_highlight)


# --- 8. search settings from the language partial -----------------------------------------------

def _translate(self, config, value):
    if not _enabled("MEMORY_CACHE"):
        return _unmemoized_translate(self, config, value)
    language = config.theme["language"]
    names = ("partials/language.html", f"partials/languages/{language}.html",
             "partials/languages/en.html")
    # What the partial's answer depends on: the files it imports, whichever theme folder
    # holds them, and the language.
    sources = [(path, Path(path).read_bytes()) for folder in config.theme.dirs for name in names
               if os.path.isfile(path := os.path.join(folder, name))]
    key = hashlib.sha256(repr((language, value, sources)).encode()).hexdigest()
    return _remembered("search settings", key, lambda: _unmemoized_translate(self, config, value))


_unmemoized_translate = _patch_once(SearchPlugin, "_translate", _translate)


# --- 9. attributes stripped only where there are some -------------------------------------------

# sha256 of the source of Material's SearchPlugin.on_page_context this was written against:
# index the page, then re.sub(r'\s?data-search-\w+="[^"]+"', "", page.content).
STRIPPING_SOURCE = "33eb62fd1688be4d99a4e7bf8fc51c1be3d37602b63ad5327c9be3abf5dc8d50"


def _index_page(self, context, *, page, config, nav):
    if (not _enabled("MEMORY_CACHE") or not self.config.enabled
            or "data-search-" in (page.content or "")):
        return _unpatched_index_page(self, context, page=page, config=config, nav=nav)
    self.search_index.add_entry_from_context(page)


_unpatched_index_page = getattr(SearchPlugin, "_unpatched_on_page_context",
                                SearchPlugin.on_page_context)
if hashlib.sha256(inspect.getsource(_unpatched_index_page).encode()).hexdigest() == STRIPPING_SOURCE:
    _patch_once(SearchPlugin, "on_page_context", _index_page)


# --- 3. installed theme files -----------------------------------------------------------------

# Folders of installed packages (the theme's); the project's overrides/ are not among them.
INSTALLED = {Path(sysconfig.get_paths()["purelib"]).resolve(),
             Path(material.__file__).resolve().parent.parent}


def _installed(folder: str) -> bool:
    path = Path(folder).resolve()
    return any(path.is_relative_to(root) for root in INSTALLED)


def _list_templates(self):
    found = set()
    for searchpath in self.searchpath:
        one = FileSystemLoader([searchpath], followlinks=self.followlinks)
        if not _installed(searchpath):
            found.update(_list_all(one))
            continue
        # Without hidden folders (Material's .icons/: 14 000 of its 14 500 files), which the
        # only caller, MkDocs' add_files_from_theme, filters out ('.*') one by one.
        found.update(_remembered("installed theme files", repr((searchpath, self.followlinks)),
                                 lambda one=one: [name for name in _list_all(one)
                                                  if not name.startswith(".")]))
    return sorted(found)


_list_all = _patch_once(FileSystemLoader, "list_templates", _list_templates)


# --- 1. templates, 5. watcher -----------------------------------------------------------------


def on_env(env, config, files):
    if _enabled("JINJA_CACHE"):
        folder = _cache_root(config) / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


TRASH_PREFIX = ".mkdocs-previous-build-"


def empty_directory(directory: str) -> None:
    """What mkdocs.utils.clean_directory does (remove every entry but the hidden ones), by
    moving the entries aside and deleting them in the background."""
    if not os.path.isdir(directory):
        return
    parent = os.path.dirname(os.path.abspath(directory))
    trash = tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=parent)  # same file system: renames
    for entry in os.listdir(directory):
        if not entry.startswith("."):
            os.rename(os.path.join(directory, entry), os.path.join(trash, entry))
    # With it, what a process stopped mid-deletion left behind (old enough not to be another
    # running server's).
    stale = time.time() - 600
    leftovers = [trash] + [path for name in os.listdir(parent) if name.startswith(TRASH_PREFIX)
                           and (path := os.path.join(parent, name)) != trash
                           and os.path.getmtime(path) < stale]
    threading.Thread(target=lambda: [shutil.rmtree(path, ignore_errors=True) for path in leftovers],
                     daemon=True).start()


def on_serve(server, config, builder):
    if not getattr(mkdocs_utils, "_empties_at_once", False):
        mkdocs_utils.clean_directory = empty_directory
        mkdocs_utils._empties_at_once = True
    server.build_delay = BUILD_DELAY_SECONDS
    observer = server.observer
    observer._timeout = POLL_SECONDS  # for the folders watched from now on (config.watch)
    for emitter in observer.emitters:  # and those already scheduled (docs/, mkdocs.yml)
        emitter._timeout = POLL_SECONDS
    return server
