"""Writing an entry of a build cache under .cache/, for the hooks (not a hook itself: they import
it, MkDocs putting their folder on the path while it loads them).

An entry is written to a temporary file and renamed into place, so a build that reads it at the
same moment (another xdist worker, a `mkdocs serve` beside a build) sees all of it or none;
then only the newest `keep` entries of its kind (its suffix) stay in the folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_entry(path: Path, text: str, keep: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=path.name,
                                     suffix=".tmp", delete=False) as handle:
        handle.write(text)
    os.replace(handle.name, path)
    entries = sorted(path.parent.glob(f"*{path.suffix}"), key=lambda p: p.stat().st_mtime,
                     reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
