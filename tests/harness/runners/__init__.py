"""Runners: each takes a session and records verdicts, or raises ExampleFailure naming the place.

A runner module exposes `run(session, context)`. Add one by writing the module, mapping its
fence languages in sessions.RUNNER_OF_LANGUAGE and its module name in plugin.RUNNERS.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..pages import Block, relative
from ..sandbox import offline_command, subprocess_env
from ..sessions import Session


class ExampleFailure(Exception):
    """A failing example; str() is the whole readable message."""


class RuntimeMissing(Exception):
    """The interpreter a session needs (Rscript) is not installed."""


@dataclass
class Verdict:
    language: str
    status: str  # executed, output-checked, syntax-checked, not-executed, skipped
    reason: str = ""


@dataclass
class Context:
    folder: Path  # the sandbox, current directory while the session runs
    timeout: float
    update: bool  # --update-examples: rewrite `#>` output in the snippet files
    pytest_config: object
    verdicts: list[Verdict] = field(default_factory=list)
    # (address, example file, line) of each refused connection (sandbox.network_blocked)
    network_attempts: list = field(default_factory=list)

    def record(self, session: Session, status: str, reason: str = "", count: int = 1) -> None:
        self.verdicts.extend(Verdict(session.language, status, reason) for _ in range(count))


def place(session: Session, block: Block, index: int | None = None) -> str:
    """`docs/training.en.md, tab "Python": snippets/training/python/step2.py:7` for line `index`
    (0-based) of the block, or the block's fence line in the page."""
    root = session.page.root
    page = relative(session.page.path, root)
    tab = f', tab "{block.tab}"' if block.tab else ""
    if index is None or not block.lines:
        return f"{page}{tab}: block at line {block.line}"
    line = block.lines[max(0, min(index, len(block.lines) - 1))]
    where = f"line {line.lineno}" if line.path == session.page.path else line.where(root)
    return f"{page}{tab}: {where}\n    {line.text.strip()}"


def failure(session: Session, block: Block, index: int | None, message: str) -> ExampleFailure:
    return ExampleFailure(f"{place(session, block, index)}\n{message.rstrip()}")


def run_script(
    session: Session, block: Block, context: Context, command: list[str], suffix: str
) -> None:
    """A block declared `data-test="script"`: saved as a file, run with its `data-args`."""
    name = block.attrs.get("title") or f"example_{block.line}{suffix}"
    script = context.folder / Path(name).name
    script.write_text(block.code, encoding="utf-8")
    args = shlex.split(block.attrs.get("data-args", ""))
    try:
        done = subprocess.run(
            offline_command([*command, script.name, *args]),
            cwd=context.folder,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=context.timeout,
        )
    except subprocess.TimeoutExpired:
        raise failure(
            session, block, None, f"script timed out after {context.timeout:g} s"
        ) from None
    if done.returncode != 0:
        lines = [int(n) for n in re.findall(rf'{re.escape(script.name)}", line (\d+)', done.stderr)]
        index = lines[-1] - 1 if lines else None
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise failure(
            session,
            block,
            index,
            f"`{' '.join([*command, script.name, *args])}` exited with {done.returncode}:\n{tail}",
        )
    context.record(session, "executed", "script")
