"""Python: run in-process with pytest-examples, blocks chained like notebook cells; `#>` output
checked (or rewritten with --update-examples); the whole session linted with ruff."""

from __future__ import annotations

import difflib
import inspect
import re
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest_examples.run_code
from pytest_examples import CodeExample, EvalExample
from pytest_examples.config import ExamplesConfig
from pytest_examples.lint import FormatError, ruff_check

from ..sandbox import ExampleTimeout
from ..sessions import Session
from . import Context, failure, run_script
from .rewrite import rewrite_block


# The rules (ini options mkdocs_examples_ruff_select, _ruff_ignore, _line_length) are chosen by
# the site, not by whatever ruff's defaults or a ruff.toml nearby say (`--isolated`): ruff's own
# defaults change between releases. E402 is usually off because later cells import what they
# need, as readers do in a notebook.
def _lint_config(settings) -> tuple[ExamplesConfig, tuple[str, ...]]:
    config = ExamplesConfig(
        line_length=settings.line_length,
        target_version="py311",
        ruff_line_length=settings.line_length,
        ruff_ignore=list(settings.ruff_ignore),
    )
    return config, ("--isolated", f"--select={settings.ruff_select}", "--output-format=concise")


def _example_line(error: BaseException, files: set[str]) -> int | None:
    """1-based line of the example where `error` was raised (innermost frame in the example)."""
    if isinstance(error, SyntaxError) and error.filename in files:
        return error.lineno
    line, tb = None, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in files:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# pytest-examples writes multi-line output as a triple-quoted block; this project shows every
# output line as a `#>` comment (like reprex in R). Newlines are swapped for this marker while
# pytest-examples inserts the output, then unfolded into one `#>` line each.
NEWLINE = "\x00newline\x00"
PRINTING = ExamplesConfig(line_length=10**6)  # never wrap: one `#>` line per output line


class _UpdatingConfig:
    """The pytest config, except that pytest-examples may always compute updated output: the
    harness compares it with the page itself and writes it back only under --update-examples."""

    def __init__(self, config):
        self._config = config

    def getoption(self, name, *args, **kwargs):
        return True if name == "update_examples" else self._config.getoption(name, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._config, name)


class _LightInspect:
    """pytest-examples calls inspect.stack() on every print to find its caller; at pytest's
    depth that builds ~60 frame records with source context (tens of ms each print). It only
    reads `.frame` and `.filename` of the first few, so hand it just those."""

    def __getattr__(self, name):
        return getattr(inspect, name)

    @staticmethod
    def stack(context: int = 1) -> list:
        frames, frame = [], sys._getframe(1)
        while frame is not None and len(frames) < 8:
            frames.append(SimpleNamespace(frame=frame, filename=frame.f_code.co_filename))
            frame = frame.f_back
        return frames


pytest_examples.run_code.inspect = _LightInspect()


def _unfold(source: str) -> str:
    lines = []
    for line in source.split("\n"):
        if NEWLINE in line:
            head, *rest = line.split(NEWLINE)
            indent = head[: head.index("#>")]
            lines.extend([head.rstrip(), *(f"{indent}#> {text}".rstrip() for text in rest)])
        else:
            lines.append(line)
    return "\n".join(lines)


def _differences(shown: str, produced: str) -> tuple[int, str] | None:
    """(0-based line of the first difference, unified diff), ignoring trailing spaces."""
    old = [line.rstrip() for line in shown.rstrip("\n").split("\n")]
    new = [line.rstrip() for line in produced.rstrip("\n").split("\n")]
    if old == new:
        return None
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    diff = "\n".join(difflib.unified_diff(old, new, "shown", "produced", lineterm="", n=2))
    return min(first, len(old) - 1), diff


def run(session: Session, context: Context) -> None:
    with tempfile.TemporaryDirectory(prefix=context.settings.temp_prefix + "cells-") as scratch:
        request = SimpleNamespace(
            config=_UpdatingConfig(context.pytest_config), node=SimpleNamespace(nodeid=session.name)
        )
        evaluator = EvalExample(tmp_path=Path(scratch), pytest_request=request)
        evaluator.config = PRINTING
        # A trailing newline (classification_report, DataFrame.info) would show as an empty `#>`.
        evaluator.print_callback = lambda text: text.rstrip("\n").replace("\n", NEWLINE)
        namespace: dict = {}
        main, argv = sys.modules.get("__main__"), sys.argv
        for number, block in enumerate(session.blocks):
            if block.test == "script":
                _lint(session, [block], context)
                run_script(session, block, context, [sys.executable], ".py")
                continue
            # An empty output line is `#>` in the file; pytest-examples only recognises `#> `.
            source = re.sub(r"^( *#>)$", r"\1 ", block.code, flags=re.M)
            example = CodeExample.create(source, path=Path(scratch) / f"cell_{number}.py")
            files = {str(example.path), str(Path(scratch) / f"{example.module_name}.py")}
            context.files.update(dict.fromkeys(files, block))
            sys.argv = ["example.py"]  # as in a notebook: not pytest's command line
            try:
                namespace = evaluator.run_print_update(
                    example, module_globals=namespace, rewrite_assertions=False
                )
            except (Exception, ExampleTimeout, SystemExit) as error:  # sys.exit() ends a cell too
                line = _example_line(error, files)
                raise failure(
                    session, block, line - 1 if line else None, f"{type(error).__name__}: {error}"
                ) from None
            finally:
                sys.modules["__main__"] = main  # pytest-examples installs the example there
                sys.argv = argv
            produced = _unfold(example.source)
            difference = _differences(block.code, produced)
            if difference and not context.output_required and "#>" not in block.code:
                # shown_output = optional: a cell that shows no `#>` output is not asked to
                context.record(session, block, "executed", "output not shown (shown_output = optional)")
                continue
            if difference and context.update:
                rewrite_block(block, produced)
            elif difference:
                line, diff = difference
                raise failure(
                    session,
                    block,
                    line,
                    "printed output differs from the `#>` lines under the print "
                    f"(run with --update-examples to rewrite them):\n{diff}",
                )
            shown = "#>" in block.code or "#>" in produced
            rewritten = "rewritten by --update-examples" if difference else ""
            context.record(session, block, "output-checked" if shown else "executed", rewritten)
        _lint(session, [b for b in session.blocks if b.test != "script"], context)


def _lint(session: Session, cells: list, context: Context) -> None:
    """ruff on the session's cells as one module, the way a notebook is linted (a script alone)."""
    if not cells:
        return
    lines = [(block, i) for block in cells for i in range(len(block.lines))]
    source = "".join(block.code for block in cells)
    example = CodeExample.create(source, path=Path("session.py"))
    try:
        config, args = _lint_config(context.settings)
        ruff_check(example, config, extra_ruff_args=args)
    except FormatError as error:
        problems = re.findall(r"session\.py:(\d+):\d+: (.*)", str(error))
        if not problems:
            raise
        located = [(lines[min(int(n), len(lines)) - 1], text) for n, text in problems]
        (block, index), text = located[0]
        others = "".join(
            f"\n  also {b.lines[i].where(session.page.root)}: {t}" for (b, i), t in located[1:]
        )
        raise failure(session, block, index, f"ruff: {text}{others}") from None
