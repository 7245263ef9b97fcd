"""R: one Rscript process per session (libraries load once), driven by driver.R; the output of
each top-level expression is compared with the `#>` lines under it (the reprex convention)."""

from __future__ import annotations

import difflib
import json
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

from ..page import Block
from ..sandbox import offline_command, subprocess_env
from ..sessions import Session
from . import Context, RuntimeMissing, Started, failure
from .rewrite import rewrite_block

DRIVER = Path(__file__).with_name("driver.R")
OUTPUT_LINE = re.compile(r"^\s*#>")


def with_output(lines: list[str], outputs: dict[int, list[str]]) -> list[str]:
    """The block as reprex would show it: old `#>` lines dropped, each expression's output
    inserted after the line where the expression ends (`outputs` is keyed by 1-based line)."""
    rebuilt = []
    for number, text in enumerate(lines, start=1):
        if OUTPUT_LINE.match(text):
            continue
        rebuilt.append(text)
        rebuilt.extend(f"#> {shown}".rstrip() for shown in outputs.get(number, []))
    return rebuilt


def run(session: Session, context: Context) -> None:
    start(session, context).finish()


def start(session: Session, context: Context) -> Started:
    """Write the blocks and start Rscript; `finish()` waits for it and checks the output. The
    plugin calls this while the item before runs, so that R works alongside it."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        raise RuntimeMissing("Rscript not found on PATH")
    entries: list[tuple[Block, dict]] = []
    for number, block in enumerate(session.blocks):
        script = block.test == "script"
        name = Path(block.attrs.get("title") or "").name if script else ""
        path = context.folder / (name or f".block_{number}.R")
        path.write_text(block.code, encoding="utf-8")
        entries.append(
            (
                block,
                {
                    "file": str(path),
                    "script": script,
                    "args": shlex.split(block.attrs.get("data-args", "")),
                },
            )
        )
    if not entries:
        return Started(finish=lambda: None, stop=lambda: None)
    manifest, result = context.folder / ".session.json", context.folder / ".result.json"
    manifest.write_text(json.dumps({"blocks": [entry for _, entry in entries]}), encoding="utf-8")
    # stderr goes to a file, not a pipe: nobody reads a pipe while the item before runs, and a
    # full one would stop R.
    log = context.folder / ".stderr.txt"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            offline_command([rscript, str(DRIVER), str(manifest), str(result)]),
            cwd=context.folder,
            env=subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    begun = time.monotonic()

    def stop() -> None:
        process.kill()
        process.wait()

    def finish() -> None:
        try:
            process.wait(timeout=max(0.0, context.timeout - (time.monotonic() - begun)))
        except subprocess.TimeoutExpired:
            stop()
            progress = re.findall(r"^@@ (\d+) (\d+)$", log.read_text(encoding="utf-8"), flags=re.M)
            block_number, line = map(int, progress[-1]) if progress else (1, 0)
            raise failure(
                session,
                entries[block_number - 1][0],
                line - 1 if line else None,
                f"timed out after {context.timeout:g} s",
            ) from None
        _outcome(session, context, entries, result, process.returncode, log)

    return Started(finish=finish, stop=stop)


def _outcome(
    session: Session, context: Context, entries: list, result: Path, returncode: int, log: Path
) -> None:
    if not result.exists():
        stderr = log.read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(t for t in stderr.splitlines() if not t.startswith("@@ "))[-2000:]
        raise failure(
            session, entries[0][0], None, f"Rscript exited with {returncode}:\n{tail}"
        )
    outcome = json.loads(result.read_text(encoding="utf-8"))
    if outcome["error"]:
        failed = outcome["error"]["block"] - 1
        block = entries[failed][0]
        line = outcome["error"].get("line")
        for ran, _ in entries[:failed]:  # their output is not compared: the session stopped
            context.record(session, ran, "executed", "ran before the failure")
        raise failure(session, block, line - 1 if line else None, outcome["error"]["message"])

    shown: dict[int, dict[int, list[str]]] = {}
    for item in outcome["outputs"]:
        shown.setdefault(item["block"], {}).setdefault(item["line"], []).extend(item["output"])
    for number, (block, entry) in enumerate(entries, start=1):
        if entry["script"]:
            context.record(session, block, "executed", "script")
            continue
        _check_output(session, block, shown.get(number, {}), context)


def _check_output(
    session: Session, block: Block, outputs: dict[int, list[str]], context: Context
) -> None:
    original = [line.text for line in block.lines]
    expected = with_output(original, outputs)
    if [t.rstrip() for t in original] == [t.rstrip() for t in expected]:
        context.record(
            session,
            block,
            "output-checked" if outputs or any(map(OUTPUT_LINE.match, original)) else "executed",
        )
        return
    if not context.output_required and not any(map(OUTPUT_LINE.match, original)):
        # shown_output = optional: a block that shows no `#>` output is not asked to
        context.record(session, block, "executed", "output not shown (shown_output = optional)")
        return
    if context.update:
        rewrite_block(block, "\n".join(expected) + "\n")
        context.record(session, block, "output-checked", "rewritten by --update-examples")
        return
    first = next(
        (i for i, (a, b) in enumerate(zip(original, expected)) if a.rstrip() != b.rstrip()),
        min(len(original), len(expected)) - 1,
    )
    diff = "\n".join(
        difflib.unified_diff(original, expected, "shown", "produced", lineterm="", n=2)
    )
    raise failure(
        session,
        block,
        first,
        "R output differs from the `#>` lines (run with --update-examples to rewrite them):\n"
        + diff,
    )
