"""SAS: parsed with tree-sitter-sas (no ERROR or MISSING node), then checked block by block, in
one SAS session, by sas_check (statements and options of each procedure against SAS's own
documentation, macro variables, files, data sets and variables followed through the session);
run in batch only when SAS_EXECUTABLE names a SAS binary, its log then checked for ERROR lines.
Without SAS the verdict is "syntax-checked" ("statements and options checked against SAS 9.4
documentation, not run"), never "executed"."""

from __future__ import annotations

import os
import re
import subprocess

import tree_sitter_sas
from tree_sitter import Language, Parser

from ..sandbox import offline_command, subprocess_env
from ..sessions import Session
from . import Context, failure
from .sas_check import VERDICT, SasProblem, SasSession

PARSER = Parser(Language(tree_sitter_sas.language()))


def first_syntax_error(code: str):
    """(start row, end row, kind) of the first ERROR or MISSING node, 0-based rows, or None."""
    tree = PARSER.parse(code.encode("utf-8"))
    if not tree.root_node.has_error:
        return None
    pending = [tree.root_node]
    while pending:
        node = pending.pop(0)
        if node.is_error or node.is_missing:
            kind = f"missing {node.type}" if node.is_missing else "cannot be parsed"
            return node.start_point.row, node.end_point.row, kind
        pending.extend(node.children)
    return None


def run(session: Session, context: Context) -> None:
    blocks = []
    checker = SasSession(context.folder)
    for block in session.blocks:
        error = first_syntax_error(block.code)
        if error:
            for parsed in blocks:  # the blocks before it did parse
                context.record(session, parsed, "syntax-checked", "parsed before the failure")
            start, end, kind = error
            span = (
                f" (through line {block.lines[min(end, len(block.lines) - 1)].lineno})"
                if end > start
                else ""
            )
            raise failure(
                session,
                block,
                start,
                f"SAS syntax error (tree-sitter-sas): statement {kind}{span}; "
                "a missing semicolon is the usual cause",
            )
        if block.attrs.get("data-session") == "new":  # "in a new SAS session": WORK is empty
            checker.new_sas_session()
        try:
            checker.check(block.code)
        except SasProblem as problem:
            raise failure(session, block, problem.line, f"SAS check: {problem.message}") from None
        blocks.append(block)
    sas = os.environ.get("SAS_EXECUTABLE")
    if not sas:
        for block in blocks:
            context.record(session, block, "syntax-checked", f"{VERDICT} (no SAS_EXECUTABLE)")
        return
    program = context.folder / "session.sas"
    # A reader points `%let dir=...;` at the folder of their CSV files; the harness points it at
    # the session folder, which holds the sample data.
    code = "".join(block.code for block in blocks)
    code = re.sub(r"(?im)^(\s*%let\s+dir\s*=)[^;]*;", lambda m: f"{m[1]} {context.folder};", code)
    program.write_text(code, encoding="utf-8")
    subprocess.run(
        offline_command([sas, "-sysin", program.name, "-log", "session.log", "-nonews"]),
        cwd=context.folder,
        env=subprocess_env(),
        timeout=context.timeout,
        capture_output=True,
    )
    log = (
        (context.folder / "session.log").read_text(errors="replace")
        if (context.folder / "session.log").exists()
        else ""
    )
    errors = [line for line in log.splitlines() if re.match(r"ERROR( \d+-\d+)?:", line)]
    if errors or not log:
        raise failure(
            session, blocks[0], None, "SAS log:\n" + ("\n".join(errors) or "no log written")
        )
    for block in blocks:
        context.record(session, block, "executed", "SAS batch")
