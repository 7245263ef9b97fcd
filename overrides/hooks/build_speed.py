"""MkDocs hook: what a build and `mkdocs serve` spend waiting, without changing what they make.

1. The theme's templates are compiled once, not once per language and per rebuild. MkDocs
   gives every build a new Jinja environment, and mkdocs-static-i18n builds each language
   separately, so Material's ~70 templates were parsed and compiled twice per build, and twice
   again at every live reload. Jinja's bytecode cache keeps the compiled code in
   `.cache/jinja/` beside mkdocs.yml (ignored by git), keyed by template and source checksum:
   editing a template (overrides/) compiles that template again. `JINJA_CACHE=off` turns it off.
2. `mkdocs serve` notices a saved file sooner: MkDocs polls the watched folders every 0.5 s;
   here every 0.1 s (a few hundred stat calls).
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

POLL_SECONDS = 0.1


def on_env(env, config, files):
    if os.environ.get("JINJA_CACHE", "").lower() not in ("0", "off", "false", "no"):
        folder = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_serve(server, config, builder):
    observer = server.observer
    observer._timeout = POLL_SECONDS  # for the folders watched from now on (config.watch)
    for emitter in observer.emitters:  # and those already scheduled (docs/, mkdocs.yml)
        emitter._timeout = POLL_SECONDS
    return server
