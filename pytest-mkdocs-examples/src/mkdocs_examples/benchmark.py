"""Measure the harness's overhead: each Python and R session run bare vs. run by the harness.

    .venv/bin/python -m mkdocs_examples.benchmark        # from the site's root: every page
    .venv/bin/python -m mkdocs_examples.benchmark docs/training.en.md --repeat 3

Bare: the session's cells concatenated and piped into a fresh `python -` / `Rscript -` in a
folder holding the sample data, with the harness's environment (seeds, Agg backend, UTC).
Harness: the same session as one pytest item (`page::Tab`) in a fresh pytest process, timed
around the item by this module loaded as a plugin, so pytest's start-up and the one-time
import of the runners (printed separately) are not counted: they are paid once per test
process, not per example. Both start with no example library imported.
Runs alternate bare/harness and the best of `repeat` is kept. CPU seconds (process and the
subprocesses it waited for) are the fair number on a busy machine; wall seconds are shown
too. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from .page import read_page
from .registry import Registry, default_runners
from .sandbox import ENVIRONMENT
from .sessions import Session, sessions_of
from .support import site as read_site

ROOT = Path.cwd()  # the site's root, where its mkdocs.yml and pytest.ini are
DATA = ROOT / "docs" / "data"
BARE = {"python": [sys.executable, "-"], "r": ["Rscript", "-"]}


def saspy_tab() -> str:
    """The site's SASPy tab, as its pytest.ini names it for the plugin: that tab's Python is
    checked against a recorder, never run bare (it would start SAS)."""
    import iniconfig  # pytest's own ini reader

    ini = ROOT / "pytest.ini"
    return iniconfig.IniConfig(ini).get("pytest", "mkdocs_examples_saspy_tab", "") if ini.is_file() else ""


def measured_sessions(pages: list[Path]) -> list[tuple[str, Session]]:
    found = []
    site, registry = read_site(ROOT), Registry(default_runners(saspy_tab()))
    for path in pages:
        page = read_page(path, site.snippets or None, ROOT)
        for session in sessions_of(page, registry)[0]:
            cells = [b for b in session.blocks if b.test not in ("skip", "script")]
            if session.runner.name in BARE and cells:  # scripts are subprocesses either way
                found.append((f"{path.relative_to(ROOT)}::{session.name}", session))
    return found


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, result)."""
    cpu, wall = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - wall, _children_cpu() - cpu, done


def bare(session: Session) -> tuple[float, float]:
    code = "".join(b.code for b in session.blocks if b.test not in ("skip", "script"))
    with tempfile.TemporaryDirectory() as folder:
        if DATA.is_dir():
            shutil.copytree(DATA, folder, dirs_exist_ok=True)
        wall, cpu, done = _timed(
            BARE[session.runner.name], input=code, cwd=folder, env={**os.environ, **ENVIRONMENT}
        )
    if done.returncode != 0:
        raise RuntimeError(f"bare run failed:\n{done.stderr[-2000:]}")
    return wall, cpu


def harness(nodeid: str) -> tuple[float, float]:
    """Wall and CPU seconds of the session's item, measured inside a fresh pytest process by
    this module loaded as a plugin; the runner modules are imported at start-up, since that
    one-time cost (pytest-examples, black) is paid once per test process, not per example."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "item.txt"
        command = [
            sys.executable,
            "-m",
            "pytest",
            nodeid,
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "mkdocs_examples.runners.python",
            "-p",
            "mkdocs_examples.runners.r",
            "-p",
            "mkdocs_examples.benchmark",
        ]
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "HARNESS_BENCHMARK_OUT": str(out)},
        )
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"{nodeid} did not pass under the harness:\n{done.stdout[-2000:]}")
        wall, cpu = map(float, out.read_text().split())
        return wall, cpu


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Loaded with `-p mkdocs_examples.benchmark`: writes the item's wall and CPU seconds (its own
    process and the subprocesses it waited for) to $HARNESS_BENCHMARK_OUT."""
    wall, cpu = time.perf_counter(), _cpu()
    try:
        return (yield)
    finally:
        out = os.environ.get("HARNESS_BENCHMARK_OUT")
        if out:
            Path(out).write_text(f"{time.perf_counter() - wall} {_cpu() - cpu}")


def one_time_imports() -> float:
    """CPU seconds that importing the runner modules (pytest-examples, black) costs a fresh
    interpreter that has imported the plugin: paid once per pytest process, whenever the
    plugin first needs them."""
    def cpu(*modules: str) -> float:
        code = "import " + ", ".join(["mkdocs_examples.plugin", *modules])
        return min(_timed([sys.executable, "-c", code], cwd=ROOT)[1] for _ in range(3))

    return cpu("mkdocs_examples.runners.python", "mkdocs_examples.runners.r") - cpu()


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", default="docs/data", help="sample data, copied like the harness")
    args = parser.parse_args(argv)
    site = read_site(ROOT)
    pages = [p.resolve() for p in args.pages] or sorted(
        p for p in site.default.docs_dir.rglob("*.md") if site.language_of(p) == site.default.code
    )
    global DATA
    DATA = ROOT / args.data  # ROOT may have been set by a caller (scripts/bench.py)
    rows = []
    print(
        "| session | bare wall / CPU (s) | harness wall / CPU (s) | ratio wall | ratio CPU |\n"
        "|---|---|---|---|---|"
    )
    for nodeid, session in measured_sessions(pages):
        runs = [(bare(session), harness(nodeid)) for _ in range(args.repeat)]  # interleaved
        (bare_wall, bare_cpu), (harness_wall, harness_cpu) = (
            tuple(min(r[k][i] for r in runs) for i in (0, 1)) for k in (0, 1)
        )
        rows.append((nodeid, bare_cpu, harness_cpu))
        print(
            f"| {nodeid} | {bare_wall:.2f} / {bare_cpu:.2f} "
            f"| {harness_wall:.2f} / {harness_cpu:.2f} "
            f"| {harness_wall / bare_wall:.2f} | {harness_cpu / bare_cpu:.2f} |",
            flush=True,
        )
    print(
        f"\nOnce per pytest process, not per session: importing the runners costs "
        f"{one_time_imports():.2f} s of CPU (pytest-examples, black)."
    )
    return rows


if __name__ == "__main__":
    main()
