"""The SASPy tab cannot run without SAS, and the harness checks that its methods and keywords
exist. This test goes one step further for the calls that make saspy *write* SAS code
(`hpforest`, `hp4score`): it asks saspy's own code generator, in its "teach me SAS" mode (no
SAS needed), for the program each call would submit, and parses that program with
tree-sitter-sas, like the SAS tab (issue 4).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

from saspy.sasdata import SASdata
from saspy.sasml import SASml

from conftest import ROOT
from mkdocs_examples.runners.sas import first_syntax_error

SASPY = ROOT / "snippets" / "training" / "saspy"
FIXTURES = ROOT / "tests" / "fixtures" / "tutorial"
GENERATING = {"hpforest", "hp4score"}  # SASml methods whose code saspy writes from keywords


class TeachMeSAS:
    """The little of a SASsession that saspy's code generator touches, with nosub on: the
    generated program is printed instead of submitted."""

    nosub, batch = True, True
    _io = type("IO", (), {"_log": ""})()

    def saslog(self) -> str:
        return ""

    def _objcnt(self) -> str:
        return "001"

    def exist(self, *args) -> bool:
        return True

    def _dsopts(self, options: dict) -> str:
        return ""


def table(session: TeachMeSAS, name: str) -> SASdata:
    data = object.__new__(SASdata)  # a SASdata without a live session: only names are needed
    data.sas, data.libref, data.table, data.dsopts = session, "work", name, {}
    return data


def literal_names(files: list[Path]) -> dict:
    """Variables the snippets assign from literals (lists of feature names and the like)."""
    names = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                with contextlib.suppress(ValueError):
                    names[node.targets[0].id] = ast.literal_eval(node.value)
    return names


def generated_sas(files: list[Path]) -> list[tuple[str, int, str]]:
    """(file, line, SAS program) for each code-generating saspy call in the files."""
    session, known = TeachMeSAS(), literal_names(files)
    ml = SASml(session)
    programs = []
    for path in files:
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr in GENERATING):
                continue
            kwargs = {}
            for keyword in call.keywords:
                if keyword.arg == "data":  # a SAS table held in a Python variable
                    kwargs["data"] = table(session, ast.unparse(keyword.value))
                else:
                    kwargs[keyword.arg] = eval(compile(ast.Expression(keyword.value), str(path),
                                                       "eval"), {}, dict(known))
            shown = io.StringIO()
            with contextlib.redirect_stdout(shown):
                getattr(ml, call.func.attr)(**kwargs)
            # saspy wraps the step in a macro, which tree-sitter-sas parses loosely: check the
            # step itself, the part that carries the keywords.
            body = re.search(r"%macro proccall\(d\);\n(.*?)%mend;", shown.getvalue(), re.DOTALL)
            programs.append((path.name, call.lineno, body[1] if body else shown.getvalue()))
    return programs


def syntax_problems(programs: list[tuple[str, int, str]]) -> list[str]:
    problems = []
    for name, line, program in programs:
        if "proc " not in program.lower():
            problems.append(f"{name}, line {line}: saspy wrote no procedure: {program!r}")
        elif error := first_syntax_error(program):
            row = program.splitlines()[error[0]]
            problems.append(f"{name}, line {line}: saspy would submit invalid SAS "
                            f"({error[2]} at {row!r}):\n{program}")
    return problems


def test_saspy_tab_writes_valid_sas() -> None:
    programs = generated_sas(sorted(SASPY.glob("step*.py")))
    assert {name for name, _, _ in programs} >= {"step4_train.py", "step5_evaluate.py",
                                                 "step6_deploy.py"}, programs
    problems = syntax_problems(programs)
    assert not problems, "\n".join(problems)


def test_invalid_generated_sas_is_caught() -> None:
    problems = syntax_problems(generated_sas([FIXTURES / "bad_saspy_score.py"]))
    assert len(problems) == 1 and problems[0].startswith(
        "bad_saspy_score.py, line 5: saspy would submit invalid SAS"), problems


if __name__ == "__main__":  # print the programs, to read them
    for name, line, program in generated_sas(sorted(SASPY.glob("step*.py"))):
        print(f"--- {name}:{line}\n{program}")
