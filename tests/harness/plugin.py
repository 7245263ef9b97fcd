"""pytest plugin: collects every code example from the Markdown pages and proves it.

Flow: pages.py reads a page (includes expanded) -> sessions.py groups its blocks by tab and
runner -> runners/*.py run or check each session in a sandbox.py folder -> verdicts are counted
per language in the terminal summary. Registered in tests/conftest.py.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import shutil
import sys
from collections import Counter, defaultdict
from contextlib import nullcontext
from pathlib import Path

import pytest

from .pages import Page, PageError, read_page, relative
from .runners import Context, ExampleFailure, RuntimeMissing, Verdict, failure
from .sandbox import ENVIRONMENT, deadline, network_mode, sandbox
from .sessions import Session, sessions_of

# Runner modules by name, imported when a session needs one: the plugin is loaded by every
# pytest run of the project, and pytest-examples (black) or saspy are slow to import.
RUNNERS = {
    "python": "python",
    "r": "r",
    "sas": "sas",
    "saspy": "saspy",
    "yaml": "static",
    "json": "static",
    "dockerfile": "static",
    "bash": "static",
}
IN_PROCESS = {"python", "saspy"}  # the others enforce their deadline on their subprocess
# Fence languages that are content, not code: shown to readers, nothing to run.
NOT_CODE = {
    "text",
    "txt",
    "plaintext",
    "output",
    "csv",
    "tsv",
    "markdown",
    "md",
    "html",
    "xml",
    "mermaid",
    "toml",
    "ini",
    "log",
    "diff",
}
IN_CI = os.environ.get("CI", "").lower() == "true"
PAGES = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    for name, default, text in [
        ("examples_docs_dir", "docs", "folder of the Markdown pages whose examples are run"),
        ("examples_snippets_dir", "snippets", "base path of `--8<--` includes (pymdownx.snippets)"),
        ("examples_data_dir", "docs/data", "copied into every session's folder"),
        ("examples_figures_dir", "docs/assets/figures", "committed copies of figures/*.svg"),
        ("examples_timeout", "300", "seconds a session may run"),
    ]:
        parser.addini(name, text, default=default)
    # --update-examples comes from pytest-examples (a pinned dependency), which the Python
    # runner uses; this plugin honours it for every runner.


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config):
    """In-process Python examples hash strings with the seed this interpreter started with, and
    Python cannot change it afterwards: restart pytest once with PYTHONHASHSEED=0, so that
    `pytest docs` gives the same verdicts whoever runs it (xdist workers inherit it)."""
    if os.environ.get("PYTHONHASHSEED") == ENVIRONMENT["PYTHONHASHSEED"]:
        return None
    started_as_pytest = Path(sys.argv[0]).name in ("pytest", "py.test", "__main__.py")
    if not started_as_pytest or hasattr(config, "workerinput"):  # workers inherit the seed
        return None  # pytest.main() inside another program: the summary warns instead
    sys.stdout.flush()
    sys.stderr.flush()
    env = {**os.environ, "PYTHONHASHSEED": ENVIRONMENT["PYTHONHASHSEED"]}
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], env)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[PAGES] = {}
    summary = VerdictSummary(config)
    # In-process examples hash strings with the seed pytest started with (scripts/test.sh sets 0).
    summary.hash_seed = os.environ.get("PYTHONHASHSEED")
    config.pluginmanager.register(summary, "harness-verdicts")
    # The examples' environment (sandbox.ENVIRONMENT) is set only while a session runs: other
    # tests of the project (e.g. mkdocs builds and SOURCE_DATE_EPOCH) must not see it.


def _dir(config: pytest.Config, name: str) -> Path:
    return (config.rootpath / config.getini(name)).resolve()


def pytest_collect_directory(path: Path, parent: pytest.Collector):
    if path.resolve() == _dir(parent.config, "examples_docs_dir"):
        return DocsDirectory.from_parent(parent, path=path)
    return None


def _page(config: pytest.Config, path: Path) -> Page:
    """Each page is read once per process (collection and the orphan check both need it)."""
    cache = config.stash[PAGES]
    if path not in cache:
        try:
            cache[path] = read_page(path, _dir(config, "examples_snippets_dir"), config.rootpath)
        except PageError as error:
            cache[path] = error
    if isinstance(cache[path], PageError):
        raise cache[path]
    return cache[path]


def _language(path: Path) -> str | None:
    suffixes = path.suffixes
    return suffixes[-2][1:] if len(suffixes) >= 2 and suffixes[-2] in (".en", ".fr") else None


def _pages(docs: Path, data: Path) -> list[Path]:
    return sorted(p for p in docs.rglob("*.md") if data not in p.parents)


class DocsDirectory(pytest.Directory):
    def collect(self):
        data = _dir(self.config, "examples_data_dir")
        for path in _pages(self.path, data):
            yield MarkdownPage.from_parent(self, path=path)
        yield OrphanSnippets.from_parent(self, name="orphan-snippets")


class MarkdownPage(pytest.File):
    def collect(self):
        try:
            page = _page(self.config, self.path)
        except PageError as error:
            yield BrokenPage.from_parent(self, name="includes", message=str(error))
            return
        language = _language(self.path)
        english = self.path.with_name(self.path.name.replace(".fr.md", ".en.md"))
        if language == "fr" and english.exists():
            yield SameIncludes.from_parent(self, name="same-includes-as-en", english=english)
        sessions, unchecked = sessions_of(page)
        names = Counter()
        for session in sessions:
            if language == "fr" and not session.inline:
                continue  # identical to the English session, which runs; SameIncludes proves it
            names[session.name] += 1
            name = (
                session.name
                if names[session.name] == 1
                else f"{session.name}#{names[session.name]}"
            )
            yield SessionItem.from_parent(self, name=name, example_session=session)
        if unchecked:
            yield OtherBlocks.from_parent(self, name="other-blocks", blocks=unchecked)


class HarnessItem(pytest.Item):
    """Shared by the harness's items: failures are shown as their plain message, no traceback
    (pytest's traceback of an example frame is noise, and crashes on CPython 3.11.7)."""

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ExampleFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def record(self, verdicts: list[Verdict]) -> None:
        self.user_properties.append(("harness", [dataclasses.asdict(v) for v in verdicts]))


class SessionItem(HarnessItem):
    def __init__(self, *, example_session: Session, **kwargs):
        super().__init__(**kwargs)
        self.example = example_session
        # `data-timeout="SECONDS"` on a fence tightens the deadline of its whole session.
        declared = [
            float(b.attrs["data-timeout"]) for b in self.example.blocks if "data-timeout" in b.attrs
        ]
        timeout = min(declared or [float(self.config.getini("examples_timeout"))])
        self.timeout = timeout
        # Backstop only: our own deadline fires first and names the line.
        self.add_marker(pytest.mark.timeout(timeout + 60, method="thread"))

    def reportinfo(self):
        return self.path, self.example.blocks[0].line - 1, f"{self.path.name}::{self.name}"

    def runtest(self) -> None:
        session, attempts = self.example, []
        update = bool(self.config.getoption("update_examples", False))
        context = None
        try:
            with sandbox(_dir(self.config, "examples_data_dir"), attempts) as folder:
                context = Context(folder, self.timeout, update, self.config)
                context.network_attempts = attempts
                in_process = session.runner in IN_PROCESS
                with deadline(self.timeout) if in_process else nullcontext():
                    runner = importlib.import_module(
                        f".runners.{RUNNERS[session.runner]}", __package__
                    )
                    runner.run(session, context)
                if attempts:
                    raise failure(
                        session,
                        session.blocks[0],
                        None,
                        f"the example tried to reach {', '.join(a[0] for a in attempts)} "
                        "and carried on: examples must work offline",
                    )
                _compare_figures(session, folder, _dir(self.config, "examples_figures_dir"), update)
        except RuntimeMissing as missing:
            reason = f"{session.language} not run: {missing}"
            if IN_CI:
                raise ExampleFailure(
                    f"{reason} (CI=true: a missing runtime is a failure)"
                ) from None
            self.record(
                [Verdict(session.language, "skipped", str(missing)) for block in session.blocks]
            )
            pytest.skip(reason)
        finally:
            if context is not None:
                self.record(context.verdicts)


def _compare_figures(session: Session, folder: Path, committed: Path, update: bool) -> None:
    """figures/*.svg written by the session must equal docs/assets/figures/ (same name)."""
    for figure in sorted((folder / "figures").glob("*.svg")):
        target = committed / figure.name
        if update:
            committed.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(figure, target)
            continue
        if target.exists() and target.read_bytes() == figure.read_bytes():
            continue
        block, index = _writer_of(session, figure.name)
        if not target.exists():
            problem = (
                f"figure figures/{figure.name} has no committed copy "
                f"{relative(target, session.page.root)} (run with --update-examples)"
            )
        else:
            produced, kept = figure.read_text().splitlines(), target.read_text().splitlines()
            line = next(
                (n for n, (a, b) in enumerate(zip(produced, kept), 1) if a != b),
                min(len(produced), len(kept)) + 1,
            )
            a = produced[line - 1] if line <= len(produced) else ""
            b = kept[line - 1] if line <= len(kept) else ""
            column = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            start = max(0, column - 60)  # the differing element, around the first difference

            def element(lines: list[str]) -> str:
                if line > len(lines):
                    return "(end of file)"
                text = lines[line - 1]
                return ("..." if start else "") + text[start : start + 110].strip()

            problem = (
                f"figure figures/{figure.name} differs from {relative(target, session.page.root)} "
                f"(first difference at SVG line {line}; run with --update-examples if intended)\n"
                f"    made:      {element(produced)}\n    committed: {element(kept)}"
            )
        raise failure(session, block, index, problem)


def _writer_of(session: Session, name: str):
    """The block and line that mention the figure's file name: the place to look."""
    for block in session.blocks:
        for index, line in enumerate(block.lines):
            if name in line.text or Path(name).stem in line.text:
                return block, index
    return session.blocks[-1], None


class SameIncludes(HarnessItem):
    """The French page includes the same snippets, in the same tabs and order, as the English."""

    def __init__(self, *, english: Path, **kwargs):
        super().__init__(**kwargs)
        self.english = english

    def runtest(self) -> None:
        root = self.config.rootpath
        french = _page(self.config, self.path)
        try:
            english = _page(self.config, self.english)
        except PageError as error:
            raise ExampleFailure(f"cannot compare with the English page: {error}") from None
        fr = [(tab, spec) for tab, spec, _ in french.includes]
        en = [(tab, spec) for tab, spec, _ in english.includes]
        if fr == en:
            return
        k = next((i for i, (a, b) in enumerate(zip(fr, en)) if a != b), min(len(fr), len(en)))

        def show(page: Page, pairs, path: Path) -> str:
            if k >= len(pairs):
                return f"{relative(path, root)}: nothing (it has only {len(pairs)} includes)"
            tab, spec, line = page.includes[k]
            return f'{relative(path, root)}:{line}: tab "{tab}", include "{spec}"'

        raise ExampleFailure(
            f"{relative(self.path, root)} and {relative(self.english, root)} include different "
            f"snippets; first difference at include #{k + 1}:\n"
            f"  {show(english, en, self.english)}\n  {show(french, fr, self.path)}"
        )

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class BrokenPage(HarnessItem):
    def __init__(self, *, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise ExampleFailure(self.message)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class OtherBlocks(HarnessItem):
    """Blocks no runner checks must be declared as content (`text`, `csv`, ...): a typo such as
    `pyhton` would otherwise hide an example from the harness."""

    def __init__(self, *, blocks, **kwargs):
        super().__init__(**kwargs)
        self.blocks = blocks

    def runtest(self) -> None:
        root = self.config.rootpath
        unknown = [b for b in self.blocks if b.lang not in NOT_CODE]
        self.record(
            [
                Verdict(b.lang or "(none)", "not-executed", "not code")
                for b in self.blocks
                if b.lang in NOT_CODE
            ]
        )
        if unknown:
            raise ExampleFailure(
                "\n".join(
                    f"{relative(b.page, root)}:{b.line}"
                    + (f', tab "{b.tab}"' if b.tab else "")
                    + f": fence language {b.lang!r} has no checker; use a known language "
                    "(py, r, sas, yaml, bash, ...) or mark it as content "
                    f"({', '.join(sorted(NOT_CODE)[:5])}, ...)"
                    for b in unknown
                )
            )

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class OrphanSnippets(HarnessItem):
    """Every file under snippets/ is included by a page in each language."""

    def runtest(self) -> None:
        root = self.config.rootpath
        snippets = _dir(self.config, "examples_snippets_dir")
        included = defaultdict(set)  # language -> files
        for path in _pages(self.path, _dir(self.config, "examples_data_dir")):
            try:
                page = _page(self.config, path)
            except PageError:
                continue  # reported by the page's own "includes" item
            for language in [_language(path)] if _language(path) else ["en", "fr"]:
                included[language] |= {Path(f).resolve() for f in page.included_files}
        # Caches (__pycache__, .ruff_cache) and hidden files are tools' leftovers, not examples.
        files = sorted(
            f.resolve()
            for f in snippets.rglob("*")
            if f.is_file()
            and not any(part.startswith((".", "__")) for part in f.relative_to(snippets).parts)
        )
        problems = []
        for file in files:
            missing = [lang for lang in ("en", "fr") if file not in included[lang]]
            if missing:
                problems.append(
                    f"  {relative(file, root)}: not included by any {' or '.join(missing)} page"
                )
        if problems:
            raise ExampleFailure(
                "orphan snippets (every file under snippets/ must be shown and "
                "checked in both languages):\n" + "\n".join(problems)
            )

    def reportinfo(self):
        return self.path, None, self.name


STATUSES = ["executed", "output-checked", "syntax-checked", "not-executed", "skipped"]


class VerdictSummary:
    """Gathers the verdicts that items attach to their reports (this also works across
    pytest-xdist workers, which ship user_properties to the controller) and prints the table."""

    def __init__(self, config: pytest.Config):
        self.verdicts: list[dict] = []
        self.hash_seed: str | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            for key, value in report.user_properties:
                if key == "harness":
                    self.verdicts.extend(value)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.verdicts:
            return
        write = terminalreporter.write_line
        terminalreporter.section("code examples (blocks per language)")
        counts, reasons = defaultdict(Counter), defaultdict(Counter)
        for v in self.verdicts:
            counts[v["language"]][v["status"]] += 1
            if v["status"] != "executed" and v["reason"]:
                reasons[(v["language"], v["status"])][v["reason"]] += 1
        write(f"{'language':<12}" + "".join(f"{s:>16}" for s in STATUSES))
        for language in sorted(counts):
            write(f"{language:<12}" + "".join(f"{counts[language][s]:>16}" for s in STATUSES))
        for (language, status), why in sorted(reasons.items()):
            for reason, n in why.items():
                write(f"  {language}, {status}: {n} x {reason}")
        write(
            "executed = ran without error; output-checked = ran and its #> output matched; "
            "syntax-checked = parsed or linted, not run"
        )
        write(f"network of subprocesses blocked by: {network_mode()}")
        if self.hash_seed != "0":
            write(
                "PYTHONHASHSEED was not 0 when pytest started (pytest.main() inside another "
                "program): set order in Python examples may vary",
                yellow=True,
            )
        for (language, status), why in sorted(reasons.items()):
            for reason in why:
                if status == "skipped" and "not found" in reason:
                    write(
                        f"!!! {language} EXAMPLES WERE NOT RUN: {reason} "
                        "(under CI=true this fails)",
                        red=True,
                        bold=True,
                    )
