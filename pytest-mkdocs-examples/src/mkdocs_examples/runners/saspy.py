"""SASPy (Python under the "SASPy" tab): compiled; imports resolve; every saspy method and
keyword the code calls exists in the installed saspy, found by introspecting its classes and
following which variable holds which saspy object. Executed only when SASPY_CFGNAME names a
saspy configuration (a reachable SAS); otherwise the Python runs with saspy's session recorded
(saspy_sas.py) and the SAS that saspy would submit is checked by sas_check, and the blocks are
reported as not executed."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os

from ..sessions import Session
from . import Context, failure
from . import python as python_runner


def _saspy_classes() -> dict[str, type]:
    """Every class saspy exposes, by name; return annotations name them ('SASdata')."""
    import saspy

    classes = {}
    for module_name in (
        "sasbase",
        "sasdata",
        "sasml",
        "sasstat",
        "sasets",
        "sasqc",
        "sasutil",
        "sasresults",
        "sasViyaML",
    ):
        module = importlib.import_module(f"saspy.{module_name}")
        classes.update(
            {
                n: c
                for n, c in vars(module).items()
                if inspect.isclass(c) and c.__module__.startswith("saspy")
            }
        )
    classes["SASsession"] = saspy.SASsession
    return classes


def _returned_class(function, classes: dict[str, type]) -> type | None:
    annotation = getattr(function, "__annotations__", {}).get("return")
    if isinstance(annotation, str):
        return classes.get(annotation.strip("'\""))
    return annotation if annotation in classes.values() else None


class SaspyChecker(ast.NodeVisitor):
    """Walks a session's code in order; `problems` holds (1-based line, message)."""

    def __init__(self):
        self.classes = _saspy_classes()
        self.names: dict[
            str, tuple[str, object]
        ] = {}  # variable -> ("module"|"class"|"instance", x)
        self.problems: list[tuple[int, str]] = []

    # what an expression holds, as far as saspy is concerned
    def kind_of(self, node) -> tuple[str, object] | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self.kind_of(node.value)
            if (
                owner
                and owner[0] == "module"
                and inspect.isclass(getattr(owner[1], node.attr, None))
            ):
                return "class", getattr(owner[1], node.attr)
            return None
        if isinstance(node, ast.Call):
            callee = self.kind_of(node.func)
            if callee and callee[0] == "class":
                return "instance", callee[1]
            if isinstance(node.func, ast.Attribute):
                owner = self.kind_of(node.func.value)
                if owner and owner[0] == "instance":
                    method = getattr(owner[1], node.func.attr, None)
                    returned = _returned_class(method, self.classes) if method else None
                    return ("instance", returned) if returned else None
        return None

    def visit_Import(self, node):
        for alias in node.names:
            if importlib.util.find_spec(alias.name.split(".")[0]) is None:
                self.problems.append(
                    (node.lineno, f"import {alias.name}: no such module installed")
                )
            elif alias.name == "saspy":
                self.names[alias.asname or "saspy"] = ("module", importlib.import_module("saspy"))

    def visit_ImportFrom(self, node):
        if not node.module or importlib.util.find_spec(node.module.split(".")[0]) is None:
            self.problems.append(
                (node.lineno, f"from {node.module} import ...: no such module installed")
            )
            return
        module = importlib.import_module(node.module)
        for alias in node.names:
            value = getattr(module, alias.name, None)
            if value is None and importlib.util.find_spec(f"{node.module}.{alias.name}") is None:
                self.problems.append((node.lineno, f"{node.module} has no {alias.name!r}"))
            elif node.module.startswith("saspy") and inspect.isclass(value):
                self.names[alias.asname or alias.name] = ("class", value)

    def visit_Assign(self, node):
        self.generic_visit(node)
        kind = self.kind_of(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if kind:
                    self.names[target.id] = kind
                else:
                    self.names.pop(target.id, None)

    def visit_Call(self, node):
        self.generic_visit(node)
        callee = self.kind_of(node.func)
        if callee and callee[0] == "class":
            self._check_keywords(node, callee[1].__init__, callee[1].__name__)
            return
        if not isinstance(node.func, ast.Attribute):
            return
        owner = self.kind_of(node.func.value)
        if not owner or owner[0] != "instance":
            return
        cls, name = owner[1], node.func.attr
        method = getattr(cls, name, None)
        if method is None:
            if "__getattr__" not in vars(cls):  # SASresults makes its attributes up at run time
                near = [
                    m for m in dir(cls) if not m.startswith("_") and name.lower()[:4] in m.lower()
                ]
                hint = f"; did you mean {', '.join(near[:4])}?" if near else ""
                self.problems.append(
                    (node.lineno, f"saspy {cls.__name__} has no method {name!r}{hint}")
                )
            return
        self._check_keywords(node, method, f"{cls.__name__}.{name}")

    def _check_keywords(self, call, function, label):
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            return
        open_ended = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        # Procedures (returning SASresults) take **kwargs but drop unknown statements with a
        # mere warning, so there too only the named parameters count.
        is_procedure = _returned_class(function, self.classes) is self.classes.get("SASresults")
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg in parameters:
                continue
            if open_ended and not is_procedure:
                continue
            known = ", ".join(n for n in parameters if n not in ("self", "kwargs"))
            self.problems.append(
                (call.lineno, f"saspy {label}() has no keyword {keyword.arg!r} (it takes: {known})")
            )


def run(session: Session, context: Context) -> None:
    blocks = session.blocks
    checker = SaspyChecker()
    for block in blocks:
        try:
            tree = ast.parse(block.code)
        except SyntaxError as error:
            raise failure(
                session, block, (error.lineno or 1) - 1, f"SyntaxError: {error.msg}"
            ) from None
        checker.problems = []
        checker.visit(tree)
        if checker.problems:
            line, message = checker.problems[0]
            more = "".join(
                f"\n  also {block.lines[n - 1].where(session.page.root)}: {m}"
                for n, m in checker.problems[1:]
            )
            raise failure(session, block, line - 1, message + more)
    if os.environ.get("SASPY_CFGNAME"):
        python_runner.run(session, context)  # a SAS session is configured: run it for real
        return
    # No SAS: run the Python with saspy's session recorded, and check the SAS it would submit.
    from .saspy_sas import check_saspy

    failed = check_saspy([(block.lines[0].where(session.page.root), block.code)
                          for block in blocks], context.folder)
    if failed:
        index, line, message = failed
        raise failure(session, blocks[index], line, f"SASPy check: {message}")
    for block in blocks:
        context.record(
            session,
            block,
            "not-executed",
            "checked against saspy; the SAS it would submit: statements and options checked "
            "against SAS 9.4 documentation, not run (no SASPY_CFGNAME)",
        )
