"""Measure the harness's overhead: each Python and R session run bare vs. run by the harness.

    .venv/bin/python -m harness.benchmark               # (from tests/) every English page
    .venv/bin/python tests/harness/benchmark.py docs/training.en.md --repeat 3

Bare: the session's cells concatenated and piped into a fresh `python -` / `Rscript -` in a
folder holding the sample data, with the harness's environment (seeds, Agg backend, UTC).
Harness: the same session as one pytest item (`page::Tab`) in a fresh pytest process; its
duration is the item's time from the JUnit report, so pytest's own start-up is not counted
(it is paid once per suite, not per example). Both start with no library imported.
The best of `repeat` runs is kept for each. Prints a Markdown table; returns the rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `harness` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.pages import read_page  # noqa: E402
from harness.sandbox import ENVIRONMENT  # noqa: E402
from harness.sessions import Session, sessions_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
BARE = {"python": [sys.executable, "-"], "r": ["Rscript", "-"]}


def measured_sessions(pages: list[Path]) -> list[tuple[str, Session]]:
    found = []
    for path in pages:
        page = read_page(path, ROOT / "snippets", ROOT)
        for session in sessions_of(page)[0]:
            cells = [b for b in session.blocks if b.test not in ("skip", "script")]
            if session.runner in BARE and cells:  # scripts are subprocesses either way
                found.append((f"{path.relative_to(ROOT)}::{session.name}", session))
    return found


def bare_seconds(session: Session) -> float:
    code = "".join(b.code for b in session.blocks if b.test not in ("skip", "script"))
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(ROOT / "docs" / "data", folder, dirs_exist_ok=True)
        start = time.perf_counter()
        done = subprocess.run(BARE[session.runner], input=code, text=True, cwd=folder,
                              capture_output=True, env={**os.environ, **ENVIRONMENT})
        elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"bare run failed:\n{done.stderr[-2000:]}")
    return elapsed


def harness_seconds(nodeid: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        subprocess.run([sys.executable, "-m", "pytest", nodeid, "-q", "-p", "no:cacheprovider",
                        f"--junitxml={report}"], cwd=ROOT, capture_output=True, text=True)
        cases = list(ET.parse(report).getroot().iter("testcase"))
        if not cases or any(case.find(t) is not None for case in cases for t in ("failure", "error", "skipped")):
            raise RuntimeError(f"{nodeid} did not pass under the harness")
        return sum(float(case.get("time", 0)) for case in cases)


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    pages = [p.resolve() for p in args.pages] or sorted((ROOT / "docs").glob("*.en.md"))
    rows = []
    print("| session | bare (s) | harness (s) | harness / bare |\n|---|---|---|---|")
    for nodeid, session in measured_sessions(pages):
        bare = min(bare_seconds(session) for _ in range(args.repeat))
        harness = min(harness_seconds(nodeid) for _ in range(args.repeat))
        rows.append((nodeid, bare, harness))
        print(f"| {nodeid} | {bare:.2f} | {harness:.2f} | {harness / bare:.2f} |", flush=True)
    return rows


if __name__ == "__main__":
    main()
