"""The SAS that a SASPy session would submit, checked by sas_check without SAS.

The SASPy tab's Python runs for real (pandas included), with `saspy.SASsession` replaced by a
recording session. Where saspy writes SAS from the reader's arguments (partition, obs,
columnInfo, every SASml procedure with its procopts, and submit/submitLST strings), saspy's own
code generator writes it, in its "teach me SAS" mode, and sas_check checks it in one SAS session
that follows the tab. What saspy does with its own plumbing (the data transfer of df2sd and
to_df, the macros it loads on connect, its ODS document handling) is saspy's, not the reader's,
and is not checked: df2sd and to_df are modelled by their effect (a WORK table with the
DataFrame's columns; a DataFrame with the table's columns, in capitals, since the case SAS gives
output variables is not proven). A saspy call the recording session does not model fails.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import saspy
from saspy.sasbase import SASsession as RealSession
from saspy.sasdata import SASdata
from saspy.sasml import SASml

from .sas import first_syntax_error
from .sas_check import SasProblem, SasSession, Table

SASPY_MACROS = re.findall(r"%macro\s+(\w+)", (Path(saspy.__file__).with_name("libname_gen.sas"))
                          .read_text(encoding="utf-8"), re.I)


class SaspyCheckFailure(Exception):
    """The SAS of one saspy call failed the check: (python line or None, message)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _TeachMeIO:
    def __init__(self, owner: RecordingSession):
        self.owner, self._log = owner, ""

    def submit(self, code: str, results: str = "html", **kwargs) -> dict:
        # Only partition() submits in "teach me SAS" mode: a DATA _NULL_ step that lists the
        # numeric variables of the table in the log; answered from the checker's table.
        match = re.search(r"open\(\"(\w+)\.'(.*?)'n\"\)", code)
        if not match:
            raise SaspyCheckFailure(f"saspy submitted a program the recording session does not "
                                    f"answer:\n{code}")
        table = self.owner.checker.tables.get(f"{match[1].lower()}.{match[2].lower()}")
        names = [v.name for v in table.columns.values() if v.type == "num"] if table else []
        log = "VARLIST=\n" + "".join(f"VAR={n} VAREND=\n" for n in names) + "VARLISTEND=\n"
        return {"LOG": log, "LST": ""}


class _TeachMeSAS:
    """The little of a SASsession that saspy's code generators touch, with nosub on."""

    nosub, batch, logoffset, results = True, True, 0, "text"

    def __init__(self, owner: RecordingSession):
        self._io, self.count = _TeachMeIO(owner), 0

    def saslog(self) -> str:
        return ""

    def _objcnt(self) -> str:
        self.count += 1
        return f"{self.count:03d}"

    def exist(self, *args, **kwargs) -> bool:
        return True

    def _dsopts(self, options: dict) -> str:
        return ""



class RecordingData:
    """A SASdata stand-in: a WORK table the checker follows."""

    def __init__(self, session: RecordingSession, table: str, libref: str = "work"):
        self.session, self.table, self.libref = session, table, (libref or "work")

    def _real(self) -> SASdata:
        data = object.__new__(SASdata)
        data.sas, data.libref, data.table, data.dsopts = self.session.teach, self.libref, \
            self.table, {}
        data.results, data.engine, data.HTML = "text", "", False
        return data

    def partition(self, var: str = "", fraction: float = 0.7, seed: int = 9878, kfold: int = 1,
                  out=None, singleOut: bool = True):
        if kfold != 1 or out is not None:
            raise SaspyCheckFailure("partition() with kfold or out= is not modelled by the "
                                    "recording session")
        # saspy's split step tests _cvfold1, which exists only with kfold > 1: SAS notes it as
        # uninitialized (missing), so the test is decided by _PartInd_ alone.
        self.session.run_generated(lambda: self._real().partition(var, fraction, seed, kfold,
                                                                  out, singleOut),
                                   "partition()", tolerate={"_cvfold1"})
        if singleOut:
            return self
        return (RecordingData(self.session, f"{self.table}1_train", self.libref),
                RecordingData(self.session, f"{self.table}1_score", self.libref))

    def obs(self, force: bool = False):
        self.session.run_generated(lambda: self._real().obs(force), "obs()")
        return None  # as in saspy's "teach me SAS" mode: the count is not known without SAS

    def columnInfo(self):
        self.session.run_generated(lambda: self._real().columnInfo(), "columnInfo()")
        return None

    def means(self):
        self.session.run_generated(lambda: self._real().means(), "means()")
        return None

    def to_df(self, *args, **kwargs):
        import pandas as pd

        table = self.session.table_of(self)
        return pd.DataFrame({v.name.upper(): pd.Series(dtype="object" if v.type == "char"
                                                       else "float64")
                             for v in table.columns.values()})

    def __getattr__(self, name):
        raise SaspyCheckFailure(f"SASdata.{name}() is not modelled by the recording session "
                                "(mkdocs_examples/runners/saspy_sas.py): add it to check the SAS "
                                "it would submit")


class _Results:
    """What a saspy procedure returns; its tables (upper-case attributes) are display only."""

    def __getattr__(self, name):
        if name.isupper():
            return lambda *args, **kwargs: None
        raise SaspyCheckFailure(f"SASresults.{name} is not modelled by the recording session")


class RecordingML:
    def __init__(self, session: RecordingSession):
        self.session = session

    def __getattr__(self, name):
        method = getattr(SASml, name, None)
        if method is None:
            raise SaspyCheckFailure(f"saspy SASml has no method {name!r}")

        def call(**kwargs):
            data = kwargs.get("data")
            if isinstance(data, RecordingData):
                self.session.table_of(data)
                kwargs["data"] = data._real()
            self.session.run_generated(lambda: getattr(SASml(self.session.teach), name)(**kwargs),
                                       f"{name}()")
            return _Results()

        return call


class RecordingSession:
    """Stands in for saspy.SASsession: each instance is a new SAS session of the checker."""

    checker: SasSession | None = None  # shared by the sessions of one tab (files persist)

    def __init__(self, *args, **kwargs):
        if RecordingSession.checker is None:
            raise SaspyCheckFailure("no checker: RecordingSession is used outside check_saspy")
        self.checker = RecordingSession.checker
        self.checker.new_sas_session()
        self.checker.validvarname = "any"  # saspy submits VALIDVARNAME=ANY on connect
        self.teach = _TeachMeSAS(self)

    def run_generated(self, call, label: str, tolerate: set | None = None) -> None:
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            call()
        self.check_sas(shown.getvalue(), label, tolerate)

    def check_sas(self, code: str, label: str, tolerate: set | None = None) -> None:
        # tree-sitter-sas first on the procedures saspy writes from keywords (SASml), as before
        # this checker; saspy wraps them in a macro, which it parses loosely, so the step inside
        # is parsed on its own. (It rejects saspy's valid split step of partition(), a DATA
        # statement with 'name'n data sets and a prefix list, so it is not run on the others.)
        body = re.search(r"%macro proccall\(d\);\n(.*?)%mend;", code, re.DOTALL)
        error = first_syntax_error(body[1]) if body else None
        if error:
            row = body[1].splitlines()[error[0]]
            raise SaspyCheckFailure(f"{label}: saspy would submit invalid SAS (tree-sitter-sas: "
                                    f"{error[2]} at {row.strip()!r}):\n{code.rstrip()}")
        self.checker.tolerate_uninitialized = set(tolerate or ())
        try:
            self.checker.check(code)
        except SasProblem as problem:
            lines = code.splitlines()
            shown = lines[problem.line] if problem.line < len(lines) else ""
            raise SaspyCheckFailure(f"{label}: saspy would submit SAS that fails the check, at "
                                    f"{shown.strip()!r}: {problem.message}\n--- the program:\n"
                                    f"{code.rstrip()}") from None
        finally:
            self.checker.tolerate_uninitialized = set()

    def table_of(self, data: RecordingData) -> Table:
        name = f"{data.libref.lower()}.{data.table.lower()}"
        if name not in self.checker.tables:
            raise SaspyCheckFailure(f"table {name.upper()} does not exist in this SAS session")
        return self.checker.tables[name]

    def submit(self, code: str, *args, **kwargs) -> dict:
        self.check_sas(code, "submit()")
        return {"LOG": "", "LST": ""}

    def submitLST(self, code: str, *args, **kwargs) -> None:
        self.check_sas(code, "submitLST()")

    def df2sd(self, df, table: str = "_df", libref: str = "", char_lengths=None, **kwargs):
        lengths = char_lengths if isinstance(char_lengths, dict) else {}
        result = Table(f"{(libref or 'work').lower()}.{table.lower()}")
        for column in df.columns:
            series = df[column]
            if series.dtype == object:
                longest = int(series.dropna().astype(str).str.len().max() or 1)
                result.add(str(column), "char", lengths.get(column, longest))
            else:
                result.add(str(column), "num")
        self.checker.tables[result.name] = result
        return RecordingData(self, table, libref or "work")

    def read_csv(self, file: str, table: str = "_csv", libref: str = "", results: str = "",
                 opts: dict | None = None) -> RecordingData:
        # The program saspy's read_csv writes (saspy/sasbase.py), reproduced here: saspy's own
        # method first reads its configuration, which a recording session does not have.
        out = (f"{libref}." if libref else "") + "'" + table.replace("'", "''") + "'n"
        code = (f"filename _x '{file}';\nproc import datafile=_x out={out} dbms=csv replace; "
                f"{RealSession._impopts(self.teach, opts or {})} run;filename _x clear;\n")
        self.check_sas(code, "read_csv()")
        return RecordingData(self, table, libref or "work")

    def sasdata(self, table: str, libref: str = "", *args, **kwargs) -> RecordingData:
        return RecordingData(self, table, libref or "work")

    def sasml(self) -> RecordingML:
        self.checker.macro_names.update(m.lower() for m in SASPY_MACROS)  # saspy's own
        return RecordingML(self)

    def endsas(self) -> None:
        return None

    def __getattr__(self, name):
        raise SaspyCheckFailure(f"SASsession.{name}() is not modelled by the recording session "
                                "(mkdocs_examples/runners/saspy_sas.py)")


def check_saspy(codes: list[tuple[str, str]], folder: Path) -> tuple[int | None, int, str] | None:
    """Runs the blocks [(name, code)] in order with saspy's session recorded. Returns None, or
    (block index, 0-based line or None, message) of the first failure."""
    RecordingSession.checker = SasSession(folder)
    saved = saspy.SASsession
    saspy.SASsession = RecordingSession
    namespace: dict = {"__name__": "__saspy_tab__"}
    try:
        for index, (_, code) in enumerate(codes):
            try:
                exec(compile(code, f"<saspy-block-{index}>", "exec"), namespace)
            except SaspyCheckFailure as failure:
                return index, _line_in(failure, index), failure.message
            except Exception as error:  # the Python itself failed
                return index, _line_in(error, index), f"{type(error).__name__}: {error}"
    finally:
        saspy.SASsession = saved
        RecordingSession.checker = None
    return None


def _line_in(error: BaseException, index: int) -> int | None:
    line, tb = None, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == f"<saspy-block-{index}>":
            line = tb.tb_lineno - 1
        tb = tb.tb_next
    return line


__all__ = ["check_saspy", "RecordingSession", "SaspyCheckFailure"]
