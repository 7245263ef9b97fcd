"""A SAS checker that knows SAS, for a machine without SAS.

tree-sitter-sas parses statements loosely (a statement a procedure does not have, a misspelled
option, a lost semicolon or an empty block all parse). This module checks a session's SAS
program by program, in order, like a SAS session would run it:

- each procedure's statements and options against the tables of sas_syntax.yml, written from
  SAS's own "Syntax" documentation pages (source and release recorded there); a procedure the
  tables lack fails as "unknown to this checker";
- DATA step statements and functions the tables list;
- within the session: every &macro variable defined earlier (%LET, INTO :name); every file read
  present in the sample data or written by an earlier step; every data set read created earlier;
  the variables of each data set, followed from the CSV header through RENAME=, KEEP, DROP,
  LENGTH, assignments, and the variables procedures add (Selected, _PartInd_, I_/P_ ...).

What it cannot prove: that the licence has the procedure, the folder SAS runs in, the case SAS
gives output variables, the numbers. Verdict: "statements and options checked against SAS 9.4
documentation, not run".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SYNTAX = yaml.safe_load((Path(__file__).with_name("sas_syntax.yml")).read_text(encoding="utf-8"))
PROCEDURES: dict = SYNTAX["procedures"]
STEP_STATEMENTS: dict = SYNTAX["step_statements"]["statements"]
GLOBAL = set(SYNTAX["global_statements"]["names"])
ODS_FIRST_WORDS = set(SYNTAX["global_statements"]["ods"]["first_words"])
DATASET_OPTIONS: dict = SYNTAX["dataset_options"]["options"]
FUNCTIONS: dict = SYNTAX["functions"]["arity"]
FORMATS = set(SYNTAX["formats"]["names"])
VERDICT = "statements and options checked against SAS 9.4 documentation, not run"
AUTOMATIC_MACRO_VARIABLES = {"sysdate", "sysdate9", "systime", "sysuserid", "syserr", "sysver",
                             "sysvlong", "syscc", "sysday", "syslast", "sysjobid", "sysscp"}
EXPRESSION_WORDS = {"and", "or", "not", "in", "eq", "ne", "lt", "le", "gt", "ge", "then",
                    "else", "to", "by", "of", "is", "null", "missing", "like", "between",
                    "contains", "min", "max"}

TOKEN = re.compile(
    r"""(?P<comment>/\*.*?\*/)
    |(?P<string>'(?:[^']|'')*'|"(?:[^"]|"")*")(?P<suffix>dt|[ndtx](?![\w]))?
    |(?P<open_string>['"])
    |(?P<open_comment>/\*)
    |(?P<macrovar>&\w+\.?)
    |(?P<percent>%\w+)
    |(?P<number>\d+\.\d*(?:e[+-]?\d+)?|\.\d+|\d+(?:e[+-]?\d+)?)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<op>\*\*|<=|>=|\^=|~=|=|<|>|\|\||[-+*/(),.:;$@#!|^~\[\]{}?])
    |(?P<space>\s+)""",
    re.X | re.S | re.I,
)


class SasProblem(Exception):
    """A problem at `line` (0-based) of the program checked."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass
class Token:
    kind: str  # word, string, name (a 'name'n literal), number, op, percent
    text: str
    line: int
    quote: str = ""

    @property
    def low(self) -> str:
        return self.text.lower()

    def is_op(self, *ops: str) -> bool:
        return self.kind == "op" and self.text in ops

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.low in words


@dataclass
class Variable:
    name: str  # with the case SAS would keep, as far as the checker knows (not proven)
    type: str  # "num" or "char"
    length: int | None = None


@dataclass
class Table:
    name: str
    columns: dict[str, Variable] = field(default_factory=dict)  # lower name -> variable
    prefixes: list[str] = field(default_factory=list)  # lower prefixes of variables not listed
    # KEEP, DROP and RENAME statements of a DATA step act on its output, at the end of the step
    output_rules: list[tuple[str, list]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        low = name.lower()
        return low in self.columns or any(low.startswith(p) for p in self.prefixes)

    def add(self, name: str, type_: str, length: int | None = None) -> None:
        self.columns.setdefault(name.lower(), Variable(name, type_, length))

    def copy(self, name: str) -> Table:
        return Table(name, {k: Variable(v.name, v.type, v.length) for k, v in self.columns.items()},
                     list(self.prefixes))


@dataclass
class Model:
    """What a saved model file holds: the procedure that wrote it, target, inputs' attributes."""

    procedure: str
    target: str
    inputs: dict[str, Variable]
    score_prefixes: list[str]


@dataclass
class Statement:
    tokens: list[Token]
    line: int

    @property
    def name(self) -> str:
        first = self.tokens[0]
        return first.low if first.kind in ("word", "percent") else first.text


def _label(table: Table) -> str:
    """WORK.PENGUINS for a data set; "this DATA step" as it is."""
    return table.name.upper() if "." in table.name else table.name


def _unquote(token: Token) -> str:
    return token.text[1:-1].replace(token.quote * 2, token.quote)


class SasSession:
    """The state a SAS session accumulates; `check(code)` checks one program in it."""

    def __init__(self, folder: Path, folder_macro: str = "dir"):
        self.folder = folder.resolve()
        self.folder_macro = folder_macro
        self.sample_files = {p.resolve() for p in self.folder.iterdir() if p.is_file()}
        self.written: dict[Path, Model | str] = {}  # files written by earlier steps
        self.macros: dict[str, str] = {}
        self.macro_names: set[str] = set()  # %macro definitions (and saspy's own, declared)
        self.tables: dict[str, Table] = {}
        self.filerefs: dict[str, Path] = {}  # FILENAME name 'path';
        self.last: str | None = None  # _LAST_, the data set created most recently
        self.validvarname = "v7"
        self.tolerate_uninitialized: set[str] = set()

    def store(self, table: Table) -> None:
        self.tables[table.name] = table
        self.last = table.name

    def new_sas_session(self) -> None:
        """A new SAS session: WORK, macro variables and options go; files on disk stay."""
        self.macros, self.macro_names, self.validvarname = {}, set(), "v7"
        self.filerefs = {}
        self.tables = {k: v for k, v in self.tables.items() if not k.startswith("work.")}

    # ---------------------------------------------------------------- tokens and statements
    def tokens(self, code: str) -> list[Token]:
        out, line, pos = [], 0, 0
        while pos < len(code):
            match = TOKEN.match(code, pos)
            kind = match.lastgroup if match.lastgroup != "suffix" else "string"
            text = match.group(kind) if kind != "string" else match.group("string")
            if kind == "open_string":
                raise SasProblem(line, "a quoted string is never closed (SAS would read the rest "
                                 "of the program as part of it)")
            if kind == "open_comment":
                raise SasProblem(line, "a /* comment is never closed")
            if kind == "string":
                suffix = (match.group("suffix") or "").lower()
                out.append(Token("name" if suffix == "n" else "string", text, line, text[0]))
            elif kind == "macrovar":
                out.extend(self._resolve(text, line))
            elif kind not in ("space", "comment"):
                out.append(Token(kind, text, line))
            line += match.group(0).count("\n")
            pos = match.end()
        return out

    def _resolve(self, text: str, line: int) -> list[Token]:
        name = text.lstrip("&").rstrip(".").lower()
        if name not in self.macros and name not in AUTOMATIC_MACRO_VARIABLES:
            defined = ", ".join(f"&{n}" for n in sorted(self.macros)) or "none"
            raise SasProblem(line, f"macro variable &{name} is not defined earlier in this "
                             f"session (defined: {defined})")
        value = self.macros.get(name, "X")
        return [Token(t.kind, t.text, line, t.quote) for t in self.tokens(value)]

    def _resolve_in_string(self, token: Token) -> str:
        text = _unquote(token)
        if token.quote == "'":
            return text  # macro references do not resolve in single quotes
        def value(match):
            name = match.group(1).lower()
            if name not in self.macros and name not in AUTOMATIC_MACRO_VARIABLES:
                raise SasProblem(token.line, f"macro variable &{name} is not defined earlier in "
                                 "this session")
            return self.macros.get(name, "X")
        return re.sub(r"&(\w+)\.?", value, text)

    def statements(self, code: str) -> list[Statement]:
        tokens = self.tokens_with_macros(code)
        statements, current = [], []
        for token in tokens:
            if token.is_op(";"):
                if current:
                    statements.append(Statement(current, current[0].line))
                current = []
            else:
                current.append(token)
        if current:
            raise SasProblem(current[0].line, "the last statement has no semicolon")
        return [s for s in statements if not s.tokens[0].is_op("*")]  # * comment statements

    def tokens_with_macros(self, code: str) -> list[Token]:
        """Tokens, with %LET applied in order, so that a later &name sees its value."""
        out: list[Token] = []
        pos, line = 0, 0
        for params in re.findall(r"%macro\s+\w+\s*\(([^)]*)\)", code, re.I):
            for param in filter(None, (p.split("=")[0].strip() for p in params.split(","))):
                # a macro's parameters are macro variables inside its body
                self.macros.setdefault(param.lower(), param)
        for match in re.finditer(r"%let\s+(\w+)\s*=([^;]*);", code, re.I):
            out.extend(self._tokens_at(code[pos:match.start()], line))
            line += code[pos:match.start()].count("\n")
            value = match.group(2)
            for ref in re.findall(r"&(\w+)\.?", value):
                self._resolve(f"&{ref}", line)  # a %LET value may use only defined variables
            value = re.sub(r"&(\w+)\.?", lambda m: self.macros.get(m.group(1).lower(), "X"), value)
            self.macros[match.group(1).lower()] = value.strip()
            line += match.group(0).count("\n")
            pos = match.end()
        out.extend(self._tokens_at(code[pos:], line))
        return out

    def _tokens_at(self, text: str, first_line: int) -> list[Token]:
        """Tokens of a piece of the program that starts at `first_line`."""
        try:
            tokens = self.tokens(text)
        except SasProblem as problem:
            raise SasProblem(problem.line + first_line, problem.message) from None
        for token in tokens:
            token.line += first_line
        return tokens

    # ---------------------------------------------------------------- the program
    def check(self, code: str) -> None:
        """Raises SasProblem at the first problem of the program."""
        if not code.strip():
            raise SasProblem(0, "empty block: there is no SAS statement to check")
        statements = self.statements(code)
        if not statements:
            raise SasProblem(0, "empty block: it holds only comments, no SAS statement")
        self._check_statements(statements)

    def _check_statements(self, statements: list[Statement]) -> None:
        i = 0
        while i < len(statements):
            statement = statements[i]
            name = statement.name
            if name in ("data", "proc"):
                end = self._step_end(statements, i)
                if name == "data":
                    self.data_step(statements[i:end])
                else:
                    self.proc_step(statements[i:end], statements[end])
                i = end + 1
            elif name == "%macro":
                end = next((k for k in range(i + 1, len(statements))
                            if statements[k].name == "%mend"), None)
                if end is None:
                    raise SasProblem(statement.line, "%MACRO without %MEND")
                self.macro_names.add(statement.tokens[1].low)
                # A macro's body is checked once, where it is defined, as if called there.
                self._check_statements(statements[i + 1:end])
                i = end + 1
            else:
                self.global_statement(statement)
                i += 1

    @staticmethod
    def _step_end(statements: list[Statement], start: int) -> int:
        """Index of the RUN or QUIT that ends the step starting at `start`."""
        for k in range(start + 1, len(statements)):
            if statements[k].name in ("run", "quit"):
                return k
            if statements[k].name in ("data", "proc"):
                raise SasProblem(statements[k].line, f"the {statements[start].name.upper()} "
                                 f"step of line {statements[start].line + 1} of the block has no "
                                 "RUN; before this step (SAS would end it here; the examples end "
                                 "every step with RUN; or QUIT;)")
        raise SasProblem(statements[start].line, f"{statements[start].name.upper()} step has no "
                         "RUN or QUIT statement: SAS would not run it until the next step")

    def global_statement(self, statement: Statement) -> None:
        name, tokens = statement.name, statement.tokens
        if name in ("run", "quit", "%mend"):
            return
        if name == "%put":
            return
        if name == "%include":
            self._include(statement, None)
            return
        if name.startswith("%"):
            macro = name[1:]
            if macro in self.macro_names:
                return
            raise SasProblem(statement.line, f"macro %{macro} is not defined in this session")
        if name == "options":
            for k, token in enumerate(tokens[1:], 1):
                if token.is_word("validvarname") and k + 2 < len(tokens):
                    self.validvarname = tokens[k + 2].low
            return
        if name == "ods":
            self._ods(statement, None)
            return
        if name == "filename" and len(tokens) >= 3:
            if tokens[2].is_word("clear"):
                self.filerefs.pop(tokens[1].low, None)
            elif tokens[2].kind == "string":
                self.filerefs[tokens[1].low] = self.path_of(tokens[2], "FILENAME")
            return
        if name in GLOBAL:
            return
        raise SasProblem(statement.line, f"statement {name.upper()} outside a step: not a SAS "
                         "global statement known to this checker (is a semicolon lost "
                         "before it, or a RUN; too early?)")

    # ---------------------------------------------------------------- data sets
    def _dataset_name(self, tokens: list[Token], k: int) -> tuple[str, int]:
        """(lib.name lower-cased, index after it) for a data set name starting at tokens[k]."""
        first = tokens[k]
        if first.kind not in ("word", "name"):
            raise SasProblem(first.line, f"a data set name was expected, not {first.text!r}")
        parts = [first.low if first.kind == "word" else _unquote(first).lower()]
        k += 1
        if k + 1 < len(tokens) and tokens[k].is_op(".") and tokens[k + 1].kind in ("word", "name"):
            second = tokens[k + 1]
            parts.append(second.low if second.kind == "word" else _unquote(second).lower())
            k += 2
        name = ".".join(parts) if len(parts) == 2 else f"work.{parts[0]}"
        return name, k

    def _parenthesised(self, tokens: list[Token], k: int) -> tuple[list[Token], int]:
        """The tokens inside the parentheses opening at tokens[k], and the index after them."""
        depth, start = 0, k
        for j in range(k, len(tokens)):
            if tokens[j].is_op("("):
                depth += 1
            elif tokens[j].is_op(")"):
                depth -= 1
                if depth == 0:
                    return tokens[start + 1:j], j + 1
        raise SasProblem(tokens[k].line, "a parenthesis is never closed")

    def read_table(self, name: str, token: Token) -> Table:
        if name.split(".")[0] == "sashelp":
            return Table(name, prefixes=[""])
        if name not in self.tables:
            known = ", ".join(sorted(self.tables)) or "none"
            raise SasProblem(token.line, f"data set {name.upper()} is not created earlier in this "
                             f"session (existing: {known})")
        return self.tables[name]

    def _dataset_options(self, table: Table, options: list[Token], reading: bool) -> Table:
        """Applies data set options (RENAME=, KEEP=, DROP=, WHERE=, FIRSTOBS=, OBS= ...)."""
        table = table.copy(table.name)
        k = 0
        while k < len(options):
            token = options[k]
            if token.kind != "word" or k + 1 >= len(options) or not options[k + 1].is_op("="):
                raise SasProblem(token.line, f"data set option expected, not {token.text!r}")
            option = token.low
            if option not in DATASET_OPTIONS:
                raise SasProblem(token.line, f"unknown data set option {option.upper()}=")
            kind = DATASET_OPTIONS[option]
            k += 2
            if k < len(options) and options[k].is_op("("):
                inner, k = self._parenthesised(options, k)
            else:
                inner = []
                while k < len(options) and not (options[k].kind == "word" and k + 1 < len(options)
                                                and options[k + 1].is_op("=")):
                    inner.append(options[k])
                    k += 1
            if kind == "rename":
                self._rename(table, inner)
            elif kind == "variables":
                names = self._variable_list(table, inner, check=reading)
                if option == "keep":
                    table.columns = {n.lower(): table.columns[n.lower()] for n in names
                                     if n.lower() in table.columns}
                    table.prefixes = []
                else:
                    for n in names:
                        table.columns.pop(n.lower(), None)
            elif kind == "where":
                self.expression(inner, table, where=True)
        return table

    def _rename(self, table: Table, tokens: list[Token]) -> None:
        k = 0
        while k < len(tokens):
            if k + 2 >= len(tokens) or not tokens[k + 1].is_op("="):
                raise SasProblem(tokens[k].line, "RENAME= expects old = new pairs")
            old, new = self._var_name(tokens[k]), self._var_name(tokens[k + 2])
            if old.lower() not in table.columns:
                raise SasProblem(tokens[k].line, f"RENAME: variable {old!r} is not in "
                                 f"{_label(table)} ({self._some(table)})")
            variable = table.columns.pop(old.lower())
            table.columns[new.lower()] = Variable(new, variable.type, variable.length)
            k += 3

    @staticmethod
    def _some(table: Table) -> str:
        names = [v.name for v in table.columns.values()]
        return "its variables: " + ", ".join(names[:24]) + (" ..." if len(names) > 24 else "")

    def _var_name(self, token: Token) -> str:
        if token.kind == "name":
            return _unquote(token)
        if token.kind == "word":
            return token.text
        raise SasProblem(token.line, f"a variable name was expected, not {token.text!r}")

    def _variable_list(self, table: Table | None, tokens: list[Token], check: bool = True,
                       flags: tuple = ()) -> list[str]:
        """Names of a variable list (_ALL_, _NUMERIC_, _CHARACTER_, a-b, prefix:)."""
        names, k = [], 0
        while k < len(tokens):
            token = tokens[k]
            if token.is_word(*flags):
                k += 1
                continue
            if token.is_word("_all_", "_numeric_", "_character_"):
                wanted = {"_all_": None, "_numeric_": "num", "_character_": "char"}[token.low]
                names.extend(v.name for v in (table.columns.values() if table else [])
                             if wanted in (None, v.type))
                k += 1
                continue
            name = self._var_name(token)
            if k + 1 < len(tokens) and tokens[k + 1].is_op(":"):  # prefix list
                names.extend(v.name for v in (table.columns.values() if table else [])
                             if v.name.lower().startswith(name.lower()))
                k += 2
                continue
            if k + 2 < len(tokens) and tokens[k + 1].is_op("-") and tokens[k + 2].kind == "word":
                names.extend([name, tokens[k + 2].text])
                k += 3
                continue
            if check and table is not None and not table.has(name):
                raise SasProblem(token.line, f"variable {name!r} is not in {_label(table)} "
                                 f"({self._some(table)})")
            names.append(name)
            k += 1
        return names

    # ---------------------------------------------------------------- expressions
    def expression(self, tokens: list[Token], table: Table | None, where: bool = False) -> str:
        """Checks variables and functions of an expression; returns its type guess."""
        kind = "num"
        k = 0
        while k < len(tokens):
            token = tokens[k]
            following = tokens[k + 1] if k + 1 < len(tokens) else None
            if token.kind == "word" and following is not None and following.is_op("("):
                self._function(tokens, k)
                if token.low in ("scan", "lowcase", "upcase", "strip", "substr", "trim", "left",
                                 "cat", "cats", "catx", "propcase", "compress", "put",
                                 "coalescec", "ifc"):
                    kind = "char" if k == 0 else kind
                k += 1
                continue
            if token.kind == "word" and token.low == "of":
                k += 1
                continue
            if token.kind == "string":
                kind = "char" if len(tokens) == 1 else kind
            if (token.kind in ("word", "name") and token.low not in EXPRESSION_WORDS
                    and not (k > 0 and tokens[k - 1].is_op("."))):
                name = self._var_name(token)
                known = table is not None and table.has(name)
                if (not known and name.lower() not in self.tolerate_uninitialized
                        and not name.lower().startswith(("first.", "last."))):
                    place = _label(table) if table is not None else "this step"
                    if where:  # WHERE reads the data set: an unknown variable is an ERROR
                        raise SasProblem(token.line, f"WHERE: variable {name!r} is not in "
                                         f"{place} (SAS stops: the variable is not on file)")
                    raise SasProblem(token.line, f"variable {name!r} is not defined in {place} "
                                     "(SAS would only note it as uninitialized and carry on "
                                     "with missing values; a typo is the usual cause)")
            k += 1
        return kind

    def _function(self, tokens: list[Token], k: int) -> None:
        name = tokens[k].low
        if name not in FUNCTIONS:
            raise SasProblem(tokens[k].line, f"function {name.upper()} is unknown to this checker "
                             "(add it to functions: in sas_syntax.yml, from the SAS 9.4 "
                             "Functions Reference)")
        inner, _ = self._parenthesised(tokens, k + 1)
        count, depth = (1 if inner else 0), 0
        for token in inner:
            if token.is_op("("):
                depth += 1
            elif token.is_op(")"):
                depth -= 1
            elif token.is_op(",") and depth == 0:
                count += 1
        low, high = FUNCTIONS[name]
        if count < low or (high >= 0 and count > high):
            expected = f"{low}" if low == high else f"{low} to {'any' if high < 0 else high}"
            raise SasProblem(tokens[k].line, f"function {name.upper()} takes {expected} "
                             f"arguments, not {count}")

    # ---------------------------------------------------------------- files
    def path_of(self, token: Token, statement: str) -> Path:
        if token.kind == "word" and token.low in self.filerefs:
            return self.filerefs[token.low]
        if token.kind != "string":
            raise SasProblem(token.line, f"{statement}: a quoted path was expected, not "
                             f"{token.text!r}")
        text = self._resolve_in_string(token)
        raw = _unquote(token)
        dir_value = self.macros.get(self.folder_macro)
        if raw.startswith(f"&{self.folder_macro}") and dir_value is not None:
            rest = text[len(dir_value):].lstrip("/")
            return (self.folder / rest).resolve()
        path = Path(text)
        if not path.is_absolute():
            raise SasProblem(token.line, f"{statement}: relative path {text!r}: SAS resolves it "
                             "from the folder SAS runs in, which in SAS Studio or a SAS kernel "
                             f"is not the notebook's; write \"&{self.folder_macro}/{text}\" with "
                             f"%let {self.folder_macro}=<your folder>;")
        return path.resolve()

    def file_read(self, token: Token, statement: str) -> tuple[Path, Model | str | None]:
        path = self.path_of(token, statement)
        if path in self.written:
            return path, self.written[path]
        if path in self.sample_files:
            return path, None
        raise SasProblem(token.line, f"{statement}: file {path.name!r} is neither in the sample "
                         "data nor written by an earlier step")

    # ---------------------------------------------------------------- ODS
    def _ods(self, statement: Statement, procedure: str | None) -> None:
        tokens = statement.tokens
        if len(tokens) < 2 or tokens[1].low not in ODS_FIRST_WORDS:
            got = tokens[1].text if len(tokens) > 1 else "nothing"
            raise SasProblem(statement.line, f"ODS {got}: not an ODS statement this checker knows")
        if tokens[1].low != "output":
            return
        if procedure is None:
            raise SasProblem(statement.line, "ODS OUTPUT outside a procedure step: the checker "
                             "needs the step to know its tables")
        tables = PROCEDURES[procedure].get("ods_tables", {})
        k = 2
        while k < len(tokens):
            if k + 2 >= len(tokens) or not tokens[k + 1].is_op("="):
                raise SasProblem(tokens[k].line, "ODS OUTPUT expects table-name=data-set")
            wanted = tokens[k].low
            known = {n.lower(): (n, cols) for n, cols in tables.items()}
            if wanted not in known:
                raise SasProblem(tokens[k].line, f"ODS table {tokens[k].text} is not a table of "
                                 f"PROC {procedure.upper()} known to this checker (known: "
                                 f"{', '.join(tables) or 'none'})")
            out, k = self._dataset_name(tokens, k + 2)
            table = Table(out)
            for column in known[wanted][1]:
                table.add(column, "num")
            self.store(table)

    # ---------------------------------------------------------------- %include
    def _include(self, statement: Statement, pdv: Table | None) -> None:
        if len(statement.tokens) < 2:
            raise SasProblem(statement.line, "%INCLUDE names no file")
        _, written = self.file_read(statement.tokens[1], "%INCLUDE")
        if isinstance(written, Model) and pdv is not None:
            missing = [v.name for v in written.inputs.values() if not pdv.has(v.name)]
            if missing:
                raise SasProblem(statement.line, f"%INCLUDE: the score code reads {missing}, "
                                 "which this step does not have")
            pdv.prefixes.extend(written.score_prefixes)
            for name in ("_Node_", "_Leaf_"):
                pdv.add(name, "num")
            pdv.add("_WARN_", "char")  # HPSPLIT score code: warnings
        elif isinstance(written, Model):
            raise SasProblem(statement.line, "%INCLUDE of score code outside a DATA step: the "
                             "code is DATA step statements")

    # ---------------------------------------------------------------- DATA step
    def data_step(self, statements: list[Statement]) -> None:
        head = statements[0]
        outputs: list[tuple[str, list[Token]]] = []
        k = 1
        tokens = head.tokens
        while k < len(tokens):
            if tokens[k].is_op("/"):
                break
            name, k = self._dataset_name(tokens, k)
            options = []
            if k < len(tokens) and tokens[k].is_op("("):
                options, k = self._parenthesised(tokens, k)
            outputs.append((name, options))
        if not outputs:
            raise SasProblem(head.line, "DATA statement names no data set")
        pdv = Table("this DATA step")
        body = statements[1:]
        if not body:
            raise SasProblem(head.line, "DATA step without statements")
        self._data_statements(body, pdv, {n for n, _ in outputs})
        for rule, tokens in pdv.output_rules:  # variables named must exist by the step's end
            if rule == "rename":
                self._rename(pdv, tokens)
                continue
            names = self._variable_list(pdv, tokens)
            if rule == "keep":
                pdv.columns = {n.lower(): pdv.columns[n.lower()] for n in names
                               if n.lower() in pdv.columns}
            else:
                for n in names:
                    pdv.columns.pop(n.lower(), None)
        for name, options in outputs:
            if name == "work._null_":
                continue
            table = self._dataset_options(pdv, options, reading=False)
            table.name = name
            self.store(table)

    def _data_statements(self, statements: list[Statement], pdv: Table, outputs: set) -> None:
        for statement in statements:
            self._data_statement(statement.tokens, statement.line, pdv, outputs)

    def _data_statement(self, tokens: list[Token], line: int, pdv: Table, outputs: set) -> None:
        first = tokens[0]
        name = first.low if first.kind in ("word", "percent") else first.text
        if len(tokens) > 1 and tokens[1].is_op("=") and first.kind in ("word", "name"):
            kind = self.expression(tokens[2:], pdv)  # assignment
            pdv.add(self._var_name(first), kind)
            return
        if name == "set":
            k = 1
            while k < len(tokens):
                if tokens[k].kind == "word" and k + 1 < len(tokens) and tokens[k + 1].is_op("="):
                    if tokens[k].low not in ("end", "nobs", "point", "indsname", "key", "open"):
                        raise SasProblem(tokens[k].line, f"SET has no option {tokens[k].text}=")
                    pdv.add(tokens[k + 2].text, "num")
                    k += 3
                    continue
                table_name, k = self._dataset_name(tokens, k)
                table = self.read_table(table_name, tokens[k - 1])
                if k < len(tokens) and tokens[k].is_op("("):
                    options, k = self._parenthesised(tokens, k)
                    table = self._dataset_options(table, options, reading=True)
                for key, variable in table.columns.items():
                    pdv.columns.setdefault(key, variable)
                pdv.prefixes.extend(table.prefixes)
            return
        if name == "length":
            k = 1
            while k < len(tokens):
                names = []
                while k < len(tokens) and tokens[k].kind in ("word", "name"):
                    names.append(self._var_name(tokens[k]))
                    k += 1
                char = k < len(tokens) and tokens[k].is_op("$")
                k += 1 if char else 0
                if k >= len(tokens) or tokens[k].kind != "number" or not names:
                    raise SasProblem(line, "LENGTH expects variables then a length ($ n or n)")
                for n in names:
                    pdv.columns[n.lower()] = Variable(n, "char" if char else "num",
                                                      int(float(tokens[k].text)))
                k += 1
            return
        if name in ("keep", "drop", "rename"):
            pdv.output_rules.append((name, tokens[1:]))
            return
        if name in ("format", "informat"):
            self._format(tokens, pdv)
            return
        if name == "label":
            return
        if name == "if":
            then = next((j for j, t in enumerate(tokens) if t.is_word("then")), None)
            self.expression(tokens[1:then] if then else tokens[1:], pdv)
            if then is not None and then + 1 < len(tokens):
                self._data_statement(tokens[then + 1:], tokens[then + 1].line, pdv, outputs)
            return
        if name == "else":
            if len(tokens) > 1:
                self._data_statement(tokens[1:], tokens[1].line, pdv, outputs)
            return
        if name == "output":
            k = 1
            while k < len(tokens):
                target, k = self._dataset_name(tokens, k)
                if target not in outputs:
                    raise SasProblem(tokens[k - 1].line, f"OUTPUT {target.upper()}: not a data "
                                     "set named in the DATA statement")
            return
        if name in ("delete", "stop", "return", "end", "otherwise", "run"):
            return
        if name == "where":
            self.expression(tokens[1:], pdv, where=True)
            return
        if name == "by":
            self._variable_list(pdv, tokens[1:], flags=("descending", "notsorted"))
            return
        if name == "do":
            if len(tokens) > 1:
                if len(tokens) > 2 and tokens[2].is_op("="):
                    pdv.add(tokens[1].text, "num")
                    self.expression(tokens[3:], pdv)
                else:
                    self.expression(tokens[1:], pdv)
            return
        if name == "%include":
            self._include(Statement(tokens, line), pdv)
            return
        if name in ("call", "put", "file", "array", "retain", "select", "when"):
            return  # followed no further: their arguments are not checked
        raise SasProblem(line, f"DATA step statement {first.text.upper()} unknown to this checker "
                         "(is a semicolon lost before it?)")

    def _format(self, tokens: list[Token], table: Table) -> None:
        k, pending = 1, []
        while k < len(tokens):
            token = tokens[k]
            if token.kind == "word" and k + 1 < len(tokens) and tokens[k + 1].is_op(".") \
                    or token.is_op("$") or (token.kind == "word" and re.match(r"[a-z]+\d+$",
                                                                               token.low)
                                            and k + 1 < len(tokens) and tokens[k + 1].is_op(".")):
                fmt = re.sub(r"\d+$", "", token.low) if token.kind == "word" else "$"
                if fmt not in FORMATS:
                    raise SasProblem(token.line, f"format {token.text.upper()}. unknown to this "
                                     "checker")
                if not pending:
                    raise SasProblem(token.line, "FORMAT: a format with no variable before it")
                self._variable_list(table, pending)
                pending = []
                k += 2
                while k < len(tokens) and tokens[k].kind == "number":
                    k += 1
                continue
            if token.kind == "number":  # yymmdd10. is tokenised as word "yymmdd10" + "."
                k += 1
                continue
            pending.append(token)
            k += 1
        if pending:
            self._variable_list(table, pending)

    # ---------------------------------------------------------------- PROC steps
    def proc_step(self, statements: list[Statement], end: Statement) -> None:
        head = statements[0]
        if len(head.tokens) < 2 or head.tokens[1].kind != "word":
            raise SasProblem(head.line, "PROC without a procedure name")
        procedure = head.tokens[1].low
        if procedure not in PROCEDURES:
            raise SasProblem(head.line, f"procedure {procedure.upper()} is unknown to this "
                             "checker: add its statements and options to sas_syntax.yml, from "
                             "its SAS documentation Syntax page, to check it")
        spec = PROCEDURES[procedure]
        options = self.options(head.tokens[2:], spec["options"], f"PROC {procedure.upper()}")
        for required in spec.get("required_options", []):
            if required not in options and not (required == "datafile" and "file" in options):
                raise SasProblem(head.line, f"PROC {procedure.upper()} requires "
                                 f"{required.upper()}=")
        data = self._input_table(options, head, procedure)
        if spec.get("sql"):
            self._sql(statements[1:], end)
            return
        seen: dict[str, list[Statement]] = {}
        allowed_step = set(spec.get("step_statements", ["attrib", "by", "format", "label",
                                                        "where"]))
        for statement in statements[1:]:
            name = statement.name
            if name == "ods":
                self._ods(statement, procedure)
                continue
            if name in ("title", "footnote", "options", "%put") or name.startswith("title") \
                    or name.startswith("footnote"):
                continue
            if name in spec["statements"]:
                sub = spec["statements"][name]
                sub = spec["statements"][sub["same_as"]] if "same_as" in sub else sub
            elif name in allowed_step:
                sub = STEP_STATEMENTS[name]
            else:
                valid = sorted(set(spec["statements"]) | allowed_step)
                raise SasProblem(statement.line, f"PROC {procedure.upper()} has no "
                                 f"{statement.tokens[0].text.upper()} statement (it accepts: "
                                 f"{', '.join(s.upper() for s in valid) or 'no statement'}; "
                                 f"source: {spec['source']})")
            self.statement(statement, sub, data, procedure)
            seen.setdefault(name, []).append(statement)
        for required in spec.get("required_statements", []):
            if required not in seen:
                raise SasProblem(head.line, f"PROC {procedure.upper()} requires a "
                                 f"{required.upper()} statement")
        self.effects(procedure, options, data, seen, head)

    def _input_table(self, options: dict, head: Statement, procedure: str) -> Table | None:
        if "data" not in options:
            if "data" not in PROCEDURES[procedure]["options"]:
                return None
            if self.last is None or self.last not in self.tables:
                raise SasProblem(head.line, f"PROC {procedure.upper()} has no DATA= and no data "
                                 "set was created before it (SAS would use _LAST_)")
            return self.tables[self.last]
        name, table_options, token = options["data"]
        table = self.read_table(name, token)
        if table_options:
            table = self._dataset_options(table, table_options, reading=True)
        return table

    def options(self, tokens: list[Token], spec: dict, where: str, free: bool = False) -> dict:
        """Parses `option`, `option=value`, `option=(list)`; returns option -> value."""
        found, k = {}, 0
        while k < len(tokens):
            token = tokens[k]
            if token.kind != "word":
                raise SasProblem(token.line, f"{where}: unexpected {token.text!r}")
            option = token.low
            has_value = k + 1 < len(tokens) and tokens[k + 1].is_op("=")
            if option not in spec and not free:
                near = [o for o in spec if o[:4] == option[:4]]
                hint = f"; did you mean {', '.join(o.upper() for o in near)}?" if near else ""
                semicolon = ("" if spec else " (it has no options)")
                procedure = where.split()[-1].lower() if where.startswith("PROC ") else ""
                if option in PROCEDURES.get(procedure, {}).get("statements", {}) or option in (
                        "by", "where", "format", "label", "var", "tables"):
                    semicolon = (f" ({token.text.upper()} is a statement: is the semicolon "
                                 "before it lost?)")
                raise SasProblem(token.line, f"{where}: unknown option {token.text.upper()}"
                                 f"{'=' if has_value else ''}{semicolon}{hint}")
            kind = spec.get(option, "value" if has_value else "flag")
            if not has_value:
                if kind not in ("flag", "optional"):
                    wanted = kind if isinstance(kind, str) else "one of " + "|".join(kind)
                    raise SasProblem(token.line, f"{where}: option {option.upper()} needs "
                                     f"={wanted}")
                found[option] = True
                k += 1
                continue
            if kind == "flag":
                raise SasProblem(token.line, f"{where}: option {option.upper()} takes no value")
            k += 2
            if k >= len(tokens):
                raise SasProblem(token.line, f"{where}: {option.upper()}= has no value")
            value = tokens[k]
            if kind in ("data_in", "data_out"):
                name, k = self._dataset_name(tokens, k)
                table_options = []
                if k < len(tokens) and tokens[k].is_op("("):
                    table_options, k = self._parenthesised(tokens, k)
                found[option] = (name, table_options, value)
                continue
            if value.is_op("("):
                inner, k = self._parenthesised(tokens, k)
                if kind not in ("list", "where", "value"):
                    raise SasProblem(value.line, f"{where}: {option.upper()}= takes a single value")
                found[option] = inner
                continue
            if isinstance(kind, list) and value.low not in kind:
                raise SasProblem(value.line, f"{where}: {option.upper()}={value.text} is not one "
                                 f"of {', '.join(v.upper() for v in kind)}")
            if kind == "number" and value.kind != "number":
                raise SasProblem(value.line, f"{where}: {option.upper()}= takes a number, not "
                                 f"{value.text!r}")
            found[option] = value
            k += 1
            if kind == "list" and k < len(tokens) and tokens[k].is_op("("):
                _, k = self._parenthesised(tokens, k)  # RANDOM(10): a value with arguments
        return found

    def statement(self, statement: Statement, spec: dict, data: Table | None, procedure: str
                  ) -> None:
        tokens = statement.tokens[1:]
        where = f"PROC {procedure.upper()}, {statement.tokens[0].text.upper()} statement"
        depth, slash = 0, None
        for j, token in enumerate(tokens):  # the options slash (a WHERE has division instead)
            depth += token.is_op("(") - token.is_op(")")
            if depth == 0 and token.is_op("/") and spec["args"] != "expression":
                slash = j
                break
        head, after = (tokens, []) if slash is None else (tokens[:slash], tokens[slash + 1:])
        if after or slash is not None:
            if "slash" not in spec:
                raise SasProblem(statement.line, f"{where}: takes no options after /")
            self.options(after, spec["slash"], where)
        args = spec["args"]
        direct = spec.get("options", {})
        if args == "none":
            found = self.options(head, direct, where, free=spec.get("free_options", False))
            for required in spec.get("required_options", []):
                if required not in found:
                    raise SasProblem(statement.line, f"{where}: requires {required.upper()}=")
            self._statement_files(found, direct, where)
            return
        if args in ("free", "value_list"):
            return  # its arguments are not followed by this checker
        if args == "value":
            if len(head) != 2 or not head[0].is_op("="):
                raise SasProblem(statement.line, f"{where}: expects "
                                 f"{statement.name.upper()}=value")
            allowed = spec.get("values")
            if allowed and head[1].low not in allowed:
                raise SasProblem(statement.line, f"{where}: value {head[1].text} is not one of "
                                 f"{', '.join(allowed)}")
            return
        if args == "expression":
            self.expression(head, data, where=True)
            return
        if args == "format":
            self._format(statement.tokens, data or Table("no data", prefixes=[""]))
            return
        if args == "label":
            return
        variables_part, option_part = [], []
        for j, token in enumerate(head):
            if token.kind == "word" and j + 1 < len(head) and head[j + 1].is_op("=") \
                    and token.low in direct:
                option_part = head[j:]
                break
            variables_part.append(token)
        if option_part:
            found = self.options(option_part, direct, where)
            self._statement_files(found, direct, where)
        if not variables_part and args != "crossings":
            raise SasProblem(statement.line, f"{where}: names no variable")
        if args == "crossings":
            names = [t for t in variables_part if not t.is_op("*", "(", ")")]
            self._variable_list(data, names)
        elif args == "model":
            equal = next((j for j, t in enumerate(variables_part) if t.is_op("=")), None)
            if equal is None:
                raise SasProblem(statement.line, f"{where}: expects dependent = effects")
            names = [t for t in variables_part if not t.is_op("=", "*", "|", "(", ")", "@")
                     and t.kind != "number"]
            self._variable_list(data, names)
        else:
            names = self._variable_list(data, variables_part, flags=tuple(spec.get("flags", [])))
            if args == "variable" and len(names) != 1:
                raise SasProblem(statement.line, f"{where}: takes exactly one variable, not "
                                 f"{len(names)} ({' '.join(names)})")

    def _statement_files(self, found: dict, spec: dict, where: str) -> None:
        for option, value in found.items():
            if spec.get(option) == "file_in":
                self.file_read(value, where)

    # ---------------------------------------------------------------- PROC SQL (narrow)
    def _sql(self, statements: list[Statement], end: Statement) -> None:
        if end.name != "quit":
            raise SasProblem(statements[-1].line if statements else 0,
                             "PROC SQL ends with QUIT;, not RUN;")
        for statement in statements:
            tokens = statement.tokens
            if statement.name == "%put":
                continue
            if not tokens[0].is_word("select", "create"):
                raise SasProblem(statement.line, f"PROC SQL: {tokens[0].text.upper()} is not a "
                                 "query this checker follows (SELECT, CREATE TABLE)")
            for j, token in enumerate(tokens):
                if token.is_word("from") and j + 1 < len(tokens):
                    name, _ = self._dataset_name(tokens, j + 1)
                    self.read_table(name, tokens[j + 1])
                if token.is_op(":") and j + 1 < len(tokens) and tokens[j + 1].kind == "word" \
                        and j > 0 and (tokens[j - 1].is_word("into") or tokens[j - 1].is_op(",")):
                    self.macros[tokens[j + 1].low] = "0"

    # ---------------------------------------------------------------- what procedures create
    def effects(self, procedure: str, options: dict, data: Table | None, seen: dict,
                head: Statement) -> None:
        def out_name(key="out"):
            return options[key][0] if key in options else None

        def variables(statement_name: str, table: Table | None) -> list[str]:
            names = []
            for statement in seen.get(statement_name, []):
                tokens = [t for t in statement.tokens[1:]]
                slash = next((j for j, t in enumerate(tokens) if t.is_op("/")), len(tokens))
                names.extend(self._variable_list(table, tokens[:slash]))
            return names

        if procedure == "import":
            token = options.get("datafile") or options.get("file")
            if token is None:
                raise SasProblem(head.line, "PROC IMPORT requires DATAFILE=")
            path, _ = self.file_read(token, "PROC IMPORT DATAFILE=")
            self.store(self._import_csv(path, out_name()))
        elif procedure == "sort":
            if out_name():
                self.store(data.copy(out_name()))
        elif procedure == "surveyselect":
            table = data.copy(out_name() or "work.data1")
            if options.get("outall"):
                table.add("Selected", "num")  # 1 selected, 0 not (OUTALL)
            else:
                table.add("SelectionProb", "num")
                table.add("SamplingWeight", "num")
            self.store(table)
        elif procedure == "hpsample":
            table = Table(out_name())
            classes = variables("class", data)
            for name in classes + variables("var", data):
                table.columns[name.lower()] = data.columns[name.lower()]
            for target in variables("target", data):
                if target.lower() not in {c.lower() for c in classes}:
                    raise SasProblem(head.line, f"PROC HPSAMPLE: TARGET {target} must be named "
                                     "in the CLASS statement")
            if options.get("partition"):
                table.add("_PartInd_", "num")
            self.store(table)
        elif procedure == "hpforest":
            target = variables("target", data)[0]
            inputs = {n.lower(): data.columns[n.lower()] for n in variables("input", data)}
            for statement in seen.get("save", []):
                found = self.options(statement.tokens[1:], {"file": "file_out"}, "SAVE")
                if "file" in found:
                    path = self.path_of(found["file"], "SAVE FILE=")
                    self.written[path] = Model("hpforest", target, inputs,
                                               [f"p_{target.lower()}"])
        elif procedure == "hp4score":
            for statement in seen.get("score", []):
                found = self.options(statement.tokens[1:], PROCEDURES["hp4score"]["statements"]
                                     ["score"]["options"], "SCORE")
                _, model = self.file_read(found["file"], "PROC HP4SCORE, SCORE FILE=")
                if not isinstance(model, Model) or model.procedure != "hpforest":
                    raise SasProblem(statement.line, "SCORE FILE= is not a forest saved by PROC "
                                     "HPFOREST SAVE FILE=")
                for key, variable in model.inputs.items():
                    mine = data.columns.get(key)
                    if mine is None:
                        raise SasProblem(statement.line, f"HP4SCORE: input {variable.name} of the "
                                         "forest is not in the data scored")
                    if mine.type != variable.type or (mine.type == "char" and mine.length
                                                      != variable.length):
                        raise SasProblem(statement.line, f"HP4SCORE: {variable.name} is "
                                         f"{mine.type} {mine.length or ''} here but was "
                                         f"{variable.type} {variable.length or ''} in training; "
                                         "the procedure stops when attributes differ")
                if "out" in found:
                    out = found["out"][0]
                    table = Table(out)
                    for name in variables("id", data):
                        table.columns[name.lower()] = data.columns[name.lower()]
                    table.add(f"I_{model.target}", "char")
                    table.prefixes.append(f"p_{model.target.lower()}")
                    self.store(table)
        elif procedure == "hpsplit":
            target_names = variables("target", data)
            inputs = variables("input", data)
            if "model" in seen:
                tokens = seen["model"][0].tokens[1:]
                equal = next(j for j, t in enumerate(tokens) if t.is_op("="))
                target_names = [self._var_name(tokens[0])]
                slash = next((j for j, t in enumerate(tokens) if t.is_op("/")), len(tokens))
                inputs = self._variable_list(data, tokens[equal + 1:slash])
            target = target_names[0]
            model = Model("hpsplit", target, {n.lower(): data.columns[n.lower()] for n in inputs},
                          [f"p_{target.lower()}", f"v_{target.lower()}"])
            for statement in seen.get("code", []):
                found = self.options(statement.tokens[1:], {"file": "file_out"}, "CODE")
                self.written[self.path_of(found["file"], "CODE FILE=")] = model
            for statement in seen.get("output", []):
                found = self.options(statement.tokens[1:], PROCEDURES["hpsplit"]["statements"]
                                     ["output"]["options"], "OUTPUT")
                if "out" in found:
                    table = data.copy(found["out"][0])
                    table.prefixes.extend(model.score_prefixes)
                    table.add("_Node_", "num")
                    table.add("_Leaf_", "num")
                    self.store(table)
        elif procedure == "contents":
            if out_name():
                table = Table(out_name())
                for column in ("NAME", "TYPE", "LENGTH", "VARNUM", "LABEL", "FORMAT"):
                    table.add(column, "char")
                self.store(table)
        elif procedure == "freq":
            for statement in seen.get("tables", []) + seen.get("table", []):
                found = {}
                tokens = statement.tokens[1:]
                slash = next((j for j, t in enumerate(tokens) if t.is_op("/")), None)
                if slash is not None:
                    found = self.options(tokens[slash + 1:], PROCEDURES["freq"]["statements"]
                                         ["tables"]["slash"], "TABLES")
                if "out" in found:
                    table = Table(found["out"][0])
                    for token in tokens[:slash]:
                        if token.kind in ("word", "name"):
                            table.columns[token.low] = data.columns[token.low]
                    table.add("COUNT", "num")
                    table.add("PERCENT", "num")
                    self.store(table)
        elif procedure == "means":
            for statement in seen.get("output", []):
                found = self.options(statement.tokens[1:], {"out": "data_out"}, "OUTPUT",
                                     free=True)
                if "out" in found:
                    table = Table(found["out"][0], prefixes=[""])
                    self.store(table)

    def _import_csv(self, path: Path, out: str) -> Table:
        """The variables PROC IMPORT makes from a CSV header: names as written under
        VALIDVARNAME=ANY, otherwise letters, digits and underscores (V7); types guessed from the
        values like GUESSINGROWS=MAX (dates written yyyy-mm-dd are numeric SAS dates)."""
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        table = Table(out)
        header, data = rows[0], rows[1:]
        for j, column in enumerate(header):
            values = [row[j] for row in data if j < len(row) and row[j] != ""]
            numeric = all(re.fullmatch(r"-?\d+(\.\d*)?(e[+-]?\d+)?|\d{4}-\d{2}-\d{2}", v, re.I)
                          for v in values) and values
            name = column if self.validvarname == "any" else (
                re.sub(r"_+$", "", re.sub(r"\W+", "_", column)) or f"VAR{j + 1}")
            length = None if numeric else max((len(v) for v in values), default=1)
            table.add(name, "num" if numeric else "char", length)
        return table
