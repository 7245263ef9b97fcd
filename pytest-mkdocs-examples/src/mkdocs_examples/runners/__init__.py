"""Runners: each takes a session and records verdicts, or raises ExampleFailure naming the place.

A runner module exposes `run(session, context)` and is listed in registry.py (or added by the
`pytest_mkdocs_examples_runners` hook). Blocks declared `data-test="skip"` never reach it: the
plugin records them. For each block it checks, a runner calls `context.record(session, block,
status)`; a failure is `raise failure(session, block, line_index, message)`.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..page import Block, relative
from ..sandbox import offline_command, subprocess_env
from ..sessions import Session


class ExampleFailure(Exception):
    """A failing example; str() is the whole readable message."""

    def __init__(self, message: str, block: Block | None = None):
        super().__init__(message)
        self.block = block  # the failing block, when there is one


@dataclass
class Started:
    """A session whose subprocess a runner's `start(session, context)` has started: `finish()`
    waits for it and records the verdicts (or raises ExampleFailure); `stop()` ends it unread."""

    finish: Callable[[], None]
    stop: Callable[[], None]


class RuntimeMissing(Exception):
    """The interpreter a session needs (Rscript) is not installed."""


@dataclass
class Verdict:
    language: str
    # executed, output-checked, syntax-checked, not-executed, skipped, failed, not-reached
    status: str
    reason: str = ""


@dataclass(frozen=True)
class Settings:
    """The project's conventions, from the ini options (plugin.py documents each)."""

    shown_output: str = "required"  # "required": every print shows its `#>` lines; "optional"
    ruff_select: str = "E4,E7,E9,F"
    ruff_ignore: tuple[str, ...] = ("E402",)
    line_length: int = 88
    temp_prefix: str = "mkdocs-example-"
    test_command: str = ""


@dataclass
class Context:
    folder: Path  # the sandbox, current directory while the session runs
    timeout: float
    update: bool  # --update-examples: rewrite `#>` output in the snippet files
    pytest_config: object
    settings: Settings = field(default_factory=Settings)
    verdicts: list[Verdict] = field(default_factory=list)
    # (address, example file, line) of each refused connection (sandbox.network_blocked)
    network_attempts: list = field(default_factory=list)
    # example file written for a block (in-process cells) -> that block: where a refused
    # connection came from
    files: dict[str, Block] = field(default_factory=dict)
    # id() of each block that has its verdict -> its index in verdicts
    done: dict[int, int] = field(default_factory=dict)

    def record(self, session: Session, block: Block, status: str, reason: str = "") -> None:
        """One verdict per block: a later one (a failure found after the block ran, such as a
        figure that differs) replaces the earlier."""
        verdict = Verdict(session.language, status, reason)
        if id(block) in self.done:
            self.verdicts[self.done[id(block)]] = verdict
        else:
            self.done[id(block)] = len(self.verdicts)
            self.verdicts.append(verdict)

    @property
    def output_required(self) -> bool:
        return self.settings.shown_output == "required"


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
    return ExampleFailure(f"{place(session, block, index)}\n{message.rstrip()}", block)


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
    context.record(session, block, "executed", "script")
