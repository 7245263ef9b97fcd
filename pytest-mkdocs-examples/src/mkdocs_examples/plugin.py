"""pytest plugin: collects every code example from a MkDocs site's pages and proves it.

Flow: site.py reads the MkDocs config(s) -> page.py reads a page (includes expanded by
pymdownx.snippets) -> sessions.py groups its blocks by tab and runner (registry.py) ->
runners/*.py run or check each session in a sandbox.py folder -> verdicts are counted per
language in the terminal summary. Loaded by its `pytest11` entry point (pyproject.toml).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import sys
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path

import pytest

from . import sandbox, support
from .page import Block, Page, PageError, read_page, relative, section_marker
from .registry import CONTENT_LANGUAGES, Hooks, Registry, default_runners
from .runners import (
    Context,
    ExampleFailure,
    RuntimeMissing,
    Settings,
    Started,
    Verdict,
    failure,
)
from .sessions import Session, sessions_of
from .site import Site, SiteConfigError, load_site

PREFIX = "mkdocs_examples_"
STATE = pytest.StashKey["Harness"]()
PAGES = pytest.StashKey[dict]()

# (name, type, default, help) of every ini option; each is `mkdocs_examples_NAME`.
OPTIONS = [
    ("config", "args", ["mkdocs.yml"],
     "MkDocs config(s), relative to the rootdir: one, or one per language (default language "
     "first), e.g. `mkdocs-en.yml mkdocs-fr.yml`; the plugin is inactive when none exists"),
    ("data_dir", "string", "", "folder copied into every session's folder (the sample data)"),
    ("figures_dir", "string", "",
     "committed copies of the figures/*.svg that examples write (unset: not compared)"),
    ("timeout", "float", 300.0, "seconds a session may run (a fence's data-timeout tightens it)"),
    ("shown_output", "string", "required",
     "`required`: every print shows its output in `#>` lines; `optional` (pages written "
     "without that convention): a block with no `#>` line is run, its output not demanded"),
    ("saspy_tab", "string", "",
     "label of the tab whose Python code drives SAS through saspy (checked against saspy)"),
    ("ruff_select", "string", "E4,E7,E9,F", "ruff rules every Python session must pass"),
    ("ruff_ignore", "args", ["E402"], "ruff rules left out (E402: later cells import)"),
    ("line_length", "int", 88, "line length of Python examples (ruff E501)"),
    ("temp_prefix", "string", "mkdocs-example-", "prefix of the sessions' temporary folders"),
    ("svg_hashsalt", "string", "mkdocs-examples", "matplotlib svg.hashsalt: stable SVG ids"),
    ("test_command", "string", "", "the command that runs the tests, named in messages"),
    ("require_runtimes", "bool", False,
     "a missing runtime (Rscript, ...) fails instead of skipping; also "
     "--mkdocs-examples-require-runtimes, and CI=true"),
]


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    pluginmanager.add_hookspecs(Hooks)


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    for name, kind, default, text in OPTIONS:
        parser.addini(PREFIX + name, text, type=kind, default=default)
    group = parser.getgroup("mkdocs-examples", "code examples of MkDocs pages")
    group.addoption(
        "--mkdocs-examples-require-runtimes",
        action="store_true",
        default=None,
        help="a missing runtime fails the session instead of skipping it (default under CI=true)",
    )
    # `--update-examples` (rewrite `#>` output and figures) is pytest-examples' flag, which this
    # plugin honours for every runner. pytest-examples (a dependency: the Python runner uses it)
    # is registered first, under its entry-point name, whatever order pytest loads plugins in:
    # two plugins cannot both add one option.
    if not pluginmanager.has_plugin("examples"):
        import pytest_examples

        pluginmanager.register(pytest_examples, "examples")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config):
    """In-process Python examples hash strings with the seed this interpreter started with, and
    Python cannot change it afterwards: restart pytest once with PYTHONHASHSEED=0, so that
    `pytest docs` gives the same verdicts whoever runs it (xdist workers inherit it)."""
    seed = sandbox.ENVIRONMENT["PYTHONHASHSEED"]
    if os.environ.get("PYTHONHASHSEED") == seed:
        return None
    if not any(c.is_file() for c in (config.rootpath / n for n in config.getini(PREFIX + "config"))):
        return None  # not a MkDocs project: nothing of ours runs
    started_as_pytest = Path(sys.argv[0]).name in ("pytest", "py.test", "__main__.py")
    if not started_as_pytest or hasattr(config, "workerinput"):  # workers inherit the seed
        return None  # pytest.main() inside another program: the summary warns instead
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, "PYTHONHASHSEED": seed})


@dataclasses.dataclass
class Harness:
    site: Site
    registry: Registry
    settings: Settings
    data_dir: Path | None
    figures_dir: Path | None
    timeout: float
    require_runtimes: bool
    require_why: str
    update: bool


def _path_option(config: pytest.Config, name: str) -> Path | None:
    value = config.getini(PREFIX + name)
    return (config.rootpath / value).resolve() if value else None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[PAGES] = {}
    names = config.getini(PREFIX + "config")
    configs = [config.rootpath / name for name in names]
    explicit = names != ["mkdocs.yml"]
    if not any(c.is_file() for c in configs) and not explicit:
        return  # not a MkDocs project: the plugin stays out of the way
    try:
        site = load_site(configs)
    except SiteConfigError as error:
        raise pytest.UsageError(f"mkdocs-examples: {error}") from None
    shown = config.getini(PREFIX + "shown_output")
    if shown not in ("required", "optional"):
        raise pytest.UsageError(
            f"{PREFIX}shown_output must be `required` or `optional`, not {shown!r}"
        )
    settings = Settings(
        shown_output=shown,
        ruff_select=config.getini(PREFIX + "ruff_select"),
        ruff_ignore=tuple(config.getini(PREFIX + "ruff_ignore")),
        line_length=config.getini(PREFIX + "line_length"),
        temp_prefix=config.getini(PREFIX + "temp_prefix"),
        test_command=config.getini(PREFIX + "test_command"),
    )
    flag = config.getoption("mkdocs_examples_require_runtimes")
    if flag:
        why = "--mkdocs-examples-require-runtimes"
    elif config.getini(PREFIX + "require_runtimes"):
        why = f"{PREFIX}require_runtimes = true"
    elif os.environ.get("CI", "").lower() == "true":
        why = "CI=true"
    else:
        why = ""
    runners = default_runners(config.getini(PREFIX + "saspy_tab"))
    for added in config.hook.pytest_mkdocs_examples_runners(config=config):
        runners.extend(added or [])
    sandbox.configure(settings.temp_prefix, config.getini(PREFIX + "svg_hashsalt"))
    support.REQUIRE_RUNTIMES = why
    harness = Harness(
        site,
        Registry(runners),
        settings,
        _path_option(config, "data_dir"),
        _path_option(config, "figures_dir"),
        config.getini(PREFIX + "timeout"),
        bool(why),
        why,
        bool(config.getoption("update_examples", False)),
    )
    config.stash[STATE] = harness
    summary = VerdictSummary(harness)
    # In-process examples hash strings with the seed pytest started with.
    summary.hash_seed = os.environ.get("PYTHONHASHSEED")
    config.pluginmanager.register(summary, "mkdocs-examples-verdicts")
    # The examples' environment (sandbox.ENVIRONMENT) is set only while a session runs: other
    # tests of the project (e.g. mkdocs builds and SOURCE_DATE_EPOCH) must not see it.


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After in-process examples the heap holds pandas, scikit-learn, matplotlib...: the
    garbage collections of interpreter shutdown then take most of a second. Freezing the
    objects of a finished run spares that walk (atexit handlers and module teardown still run;
    the system frees the memory)."""
    if STATE in config.stash:
        gc.freeze()


def _harness(config: pytest.Config) -> Harness:
    return config.stash[STATE]


def pytest_collect_directory(path: Path, parent: pytest.Collector):
    if STATE in parent.config.stash and path.resolve() == _harness(parent.config).site.docs_dir:
        return DocsDirectory.from_parent(parent, path=path)
    return None


def _page(config: pytest.Config, path: Path) -> Page:
    """Each page is read once per process (collection and the orphan check both need it)."""
    cache = config.stash[PAGES]
    if path not in cache:
        snippets = _harness(config).site.snippets or None
        try:
            cache[path] = read_page(path, snippets, config.rootpath)
        except PageError as error:
            cache[path] = error
    if isinstance(cache[path], PageError):
        raise cache[path]
    return cache[path]


def _pages(config: pytest.Config) -> list[Path]:
    harness = _harness(config)
    data = harness.data_dir
    folders = {lang.docs_dir for lang in harness.site.languages}
    return sorted(
        p
        for folder in folders
        for p in folder.rglob("*.md")
        if not (data and data in p.parents) and not any(s.startswith(".") for s in p.parts)
    )


class DocsDirectory(pytest.Directory):
    def collect(self):
        for path in _pages(self.config):
            yield MarkdownPage.from_parent(self, path=path)
        if _harness(self.config).site.snippets:
            yield OrphanSnippets.from_parent(self, name="orphan-snippets")


class MarkdownPage(pytest.File):
    def collect(self):
        try:
            page = _page(self.config, self.path)
        except PageError as error:
            yield BrokenPage.from_parent(self, name="includes", message=str(error))
            return
        site = _harness(self.config).site
        language = site.language_of(self.path)
        original = site.counterpart(self.path, site.default.code)
        translated = language not in (None, site.default.code) and original.exists()
        if translated:
            yield SameIncludes.from_parent(
                self, name=f"same-includes-as-{site.default.code}", original=original
            )
        sessions, unchecked = sessions_of(page, _harness(self.config).registry)
        names = Counter()
        for session in sessions:
            if translated and not session.inline:
                continue  # identical to the original's session, which runs; SameIncludes proves it
            names[session.name] += 1
            name = (
                session.name
                if names[session.name] == 1
                else f"{session.name}#{names[session.name]}"
            )
            yield SessionItem.from_parent(self, name=name, example_session=session)
        if unchecked:
            yield OtherBlocks.from_parent(self, name="other-blocks", blocks=unchecked)


def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """While an item runs, the next one starts if its runner works in a subprocess (R), so that
    a page's R session runs beside its Python session (`nextitem` is known under xdist too)."""
    if isinstance(nextitem, SessionItem):
        nextitem.start_ahead()


class HarnessItem(pytest.Item):
    """Shared by the harness's items: failures are shown as their plain message, no traceback
    (pytest's traceback of an example frame is noise, and crashes on CPython 3.11.7)."""

    def repr_failure(self, excinfo, style=None):
        if excinfo.errisinstance(ExampleFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def record(self, verdicts: list[Verdict]) -> None:
        self.user_properties.append(("harness", [dataclasses.asdict(v) for v in verdicts]))

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


def _empty(block: Block) -> bool:
    return not block.code.strip()


def _where(block: Block, root: Path) -> str:
    return f"{relative(block.page, root)}:{block.line}"


class SessionItem(HarnessItem):
    def __init__(self, *, example_session: Session, **kwargs):
        super().__init__(**kwargs)
        self.example = example_session
        # `data-timeout="SECONDS"` on a fence tightens the deadline of its whole session.
        declared = [
            float(b.attrs["data-timeout"]) for b in self.example.blocks if "data-timeout" in b.attrs
        ]
        self.timeout = min(declared or [_harness(self.config).timeout])
        # Backstop only: our own deadline fires first and names the line.
        self.add_marker(pytest.mark.timeout(self.timeout + 60, method="thread"))
        self._ahead: tuple[Context, Started, ExitStack] | None = None

    def reportinfo(self):
        return self.path, self.example.blocks[0].line - 1, f"{self.path.name}::{self.name}"

    def start_ahead(self) -> None:
        """Called while the item before this one runs: a runner with `start` (R, whose work is a
        subprocess) gets its folder and begins now. A session with an empty block, or whose
        start fails (no Rscript), is left to runtest, which runs it the ordinary way and reports
        what it finds."""
        harness, session, starter = _harness(self.config), self.example, None
        runnable = [b for b in session.blocks if b.test != "skip"]
        if self._ahead is None and runnable and not any(map(_empty, session.blocks)):
            starter = session.runner.starter()
        if starter is None:
            return
        stack = ExitStack()
        try:
            folder = stack.enter_context(sandbox.data_folder(harness.data_dir))
            context = self._context(folder)
            started = starter(dataclasses.replace(session, blocks=runnable), context)
        except Exception:
            stack.close()
            return
        stack.callback(started.stop)  # a no-op once finished; ends R if this item never runs
        self.config.add_cleanup(stack.close)
        self._ahead = (context, started, stack)

    def _context(self, folder: Path) -> Context:
        harness = _harness(self.config)
        return Context(folder, self.timeout, harness.update, self.config, harness.settings)

    @contextmanager
    def _sandboxed(self):
        """(context, started): the folder start_ahead prepared and the runner it started, or a
        new sandbox.sandbox folder (working directory, environment, network blocked)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            context, started, stack = ahead
            with stack:
                yield context, started
            return
        harness, attempts, files = _harness(self.config), [], {}
        with sandbox.sandbox(harness.data_dir, attempts, files) as folder:
            context = self._context(folder)
            context.network_attempts, context.files = attempts, files
            yield context, None

    def runtest(self) -> None:
        harness, session = _harness(self.config), self.example
        context = None
        try:
            with self._sandboxed() as (context, started):
                self._run(session, context, started)
        except RuntimeMissing as missing:
            reason = f"{session.language} not run: {missing}"
            if harness.require_runtimes:
                raise ExampleFailure(
                    f"{reason} ({harness.require_why}: a missing runtime is a failure)"
                ) from None
            verdicts = [Verdict(session.language, "skipped", str(missing)) for _ in session.blocks]
            self.record(verdicts)
            context = None
            pytest.skip(reason)
        except ExampleFailure as error:
            raise self._not_reached(session, context, error) from None
        finally:
            if context is not None:
                self.record(context.verdicts)

    def _run(self, session: Session, context: Context, started: Started | None) -> None:
        harness = _harness(self.config)
        for block in session.blocks:
            if _empty(block):
                raise failure(session, block, None, "empty code block: readers see an empty example")
        # `data-test="skip"` blocks are recorded here, for every runner, and never run.
        runnable = []
        for block in session.blocks:
            if block.test == "skip":
                reason = block.attrs.get("data-reason", "no reason given")
                context.record(session, block, "skipped", reason)
            else:
                runnable.append(block)
        if not runnable:
            return
        runner = session.runner
        if started is not None:
            started.finish()
        else:
            with sandbox.deadline(self.timeout) if runner.in_process else nullcontext():
                runner.function()(dataclasses.replace(session, blocks=runnable), context)
        _check_network(session, context)
        _compare_figures(session, context.folder, harness.figures_dir, harness.update)

    def _not_reached(self, session, context, error: ExampleFailure) -> ExampleFailure:
        """The failing block is counted `failed`; every block after it that got no verdict is
        counted `not-reached`, with its line, in the summary and in the message."""
        if context is None:
            return error
        root = self.config.rootpath
        failed = error.block
        if failed is not None:
            context.record(session, failed, "failed")  # pytest reports where
        after = session.blocks.index(failed) + 1 if failed in session.blocks else 0
        missed = [b for b in session.blocks[after:] if id(b) not in context.done]
        for block in missed:
            context.record(session, block, "not-reached", _where(block, root))
        if not missed:
            return error
        lines = ", ".join(str(b.line) for b in missed)
        many = "s" if len(missed) > 1 else ""
        return ExampleFailure(
            f"{error}\nnot reached after this failure: {len(missed)} block{many} of "
            f"{relative(session.page.path, root)} (line{many} {lines})",
            failed,
        )


def _check_network(session: Session, context: Context) -> None:
    """A refused connection that did not fail the example: some code caught the refusal."""
    if not context.network_attempts:
        return
    address, file, line = context.network_attempts[0]
    block = context.files.get(file) if file else None
    raise failure(
        session,
        block or session.blocks[0],
        line - 1 if block is not None and line else None,
        f"tried to reach {address}, caught the refusal and carried on: "
        "examples must work offline",
    )


def _compare_figures(session: Session, folder: Path, committed: Path | None, update: bool) -> None:
    """figures/*.svg written by the session must equal the committed copies (same name)."""
    if committed is None:
        return  # the summary says figures are not compared
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
            problem = (
                f"figure figures/{figure.name} differs from {relative(target, session.page.root)} "
                + _first_difference(figure.read_text().splitlines(), target.read_text().splitlines())
            )
        raise failure(session, block, index, problem)


def _first_difference(produced: list[str], kept: list[str]) -> str:
    """Where two SVG files first differ: the line, and the element around it in each."""
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
        return ("..." if start else "") + lines[line - 1][start : start + 110].strip()

    return (
        f"(first difference at SVG line {line}; run with --update-examples if intended)\n"
        f"    made:      {element(produced)}\n    committed: {element(kept)}"
    )


def _writer_of(session: Session, name: str):
    """The block and line that mention the figure's file name: the place to look."""
    for block in session.blocks:
        for index, line in enumerate(block.lines):
            if name in line.text or Path(name).stem in line.text:
                return block, index
    return session.blocks[-1], None


class SameIncludes(HarnessItem):
    """A translated page includes the same snippets, in the same tabs and order, as the
    default language's page."""

    def __init__(self, *, original: Path, **kwargs):
        super().__init__(**kwargs)
        self.original = original

    def runtest(self) -> None:
        root = self.config.rootpath
        translated = _page(self.config, self.path)
        try:
            original = _page(self.config, self.original)
        except PageError as error:
            raise ExampleFailure(f"cannot compare with the original page: {error}") from None
        ours = [(tab, spec) for tab, spec, _ in translated.includes]
        theirs = [(tab, spec) for tab, spec, _ in original.includes]
        if ours == theirs:
            return
        k = next(
            (i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs))
        )

        def show(page: Page, pairs, path: Path) -> str:
            if k >= len(pairs):
                return f"{relative(path, root)}: nothing (it has only {len(pairs)} includes)"
            tab, spec, line = page.includes[k]
            return f'{relative(path, root)}:{line}: tab "{tab}", include "{spec}"'

        raise ExampleFailure(
            f"{relative(self.path, root)} and {relative(self.original, root)} include different "
            f"snippets; first difference at include #{k + 1}:\n"
            f"  {show(original, theirs, self.original)}\n  {show(translated, ours, self.path)}"
        )


class BrokenPage(HarnessItem):
    def __init__(self, *, message: str, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise ExampleFailure(self.message)


class OtherBlocks(HarnessItem):
    """Blocks no runner checks must be declared as content (`text`, `csv`, ...): a typo such as
    `pyhton` would otherwise hide an example from the harness. None may be empty."""

    def __init__(self, *, blocks, **kwargs):
        super().__init__(**kwargs)
        self.blocks = blocks

    def runtest(self) -> None:
        root = self.config.rootpath

        def where(b: Block) -> str:
            return _where(b, root) + (f', tab "{b.tab}"' if b.tab else "")

        content = [b for b in self.blocks if b.lang in CONTENT_LANGUAGES]
        self.record([Verdict(b.lang or "(none)", "not-executed", "not code") for b in content])
        problems = [
            f"{where(b)}: fence language {b.lang!r} has no checker; use a known language "
            "(py, r, sas, yaml, bash, ...) or mark it as content "
            f"({', '.join(sorted(CONTENT_LANGUAGES)[:5])}, ...)"
            for b in self.blocks
            if b.lang not in CONTENT_LANGUAGES
        ]
        problems += [f"{where(b)}: empty code block: readers see an empty block" for b in content
                     if _empty(b)]
        if problems:
            raise ExampleFailure("\n".join(problems))


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in spans)


class OrphanSnippets(HarnessItem):
    """Every line of every snippet file is shown by a page in each language (section markers
    and blank lines aside): code after a snippet's last section, or outside every section a
    page includes, would be shown on no page and proven by nothing."""

    def runtest(self) -> None:
        root, site = self.config.rootpath, _harness(self.config).site
        shown = defaultdict(lambda: defaultdict(set))  # language -> file -> line numbers
        for path in _pages(self.config):
            try:
                page = _page(self.config, path)
            except PageError:
                continue  # reported by the page's own "includes" item
            language = site.language_of(path)
            for code in [language] if language else site.codes:
                for file, lines in page.included_lines().items():
                    shown[code][file] |= lines
        problems = []
        for file in _snippet_files(site):
            text = file.read_text(encoding="utf-8", errors="replace").split("\n")
            if text and text[-1] == "":
                text.pop()  # the final newline ends the last line
            wanted = [
                n for n, line in enumerate(text, 1) if line.strip() and not section_marker(line)
            ]
            nowhere = [code for code in site.codes if not shown[code].get(file)]
            if nowhere:
                problems.append(
                    f"  {relative(file, root)}: not included by any {' or '.join(nowhere)} page"
                )
                continue
            hidden = defaultdict(list)  # line ranges -> the languages that show none of them
            for code in site.codes:
                missing = [n for n in wanted if n not in shown[code][file]]
                if missing:
                    hidden[_ranges(missing)].append(code)
            problems += [
                f"  {relative(file, root)}:{lines}: shown on no {' or '.join(codes)} page"
                for lines, codes in hidden.items()
            ]
        if problems:
            raise ExampleFailure(
                "orphan snippets (every line of every snippet file must be shown and checked "
                f"in {' and '.join(site.codes)}):\n" + "\n".join(problems)
            )

    def reportinfo(self):
        return self.path, None, self.name


def _snippet_files(site: Site) -> list[Path]:
    # Caches (__pycache__, .ruff_cache) and hidden files are tools' leftovers, not examples.
    files = set()
    for base in map(Path, site.snippets.get("base_path", [])):
        if not base.is_dir() or base == site.docs_dir or site.docs_dir in base.parents:
            continue  # pages' own folder: its files are not snippets only
        files |= {
            f.resolve()
            for f in base.rglob("*")
            if f.is_file()
            and not any(part.startswith((".", "__")) for part in f.relative_to(base).parts)
        }
    return sorted(files)


STATUSES = [
    "executed", "output-checked", "syntax-checked", "not-executed", "skipped", "failed",
    "not-reached",
]


class VerdictSummary:
    """Gathers the verdicts that items attach to their reports (this also works across
    pytest-xdist workers, which ship user_properties to the controller) and prints the table."""

    def __init__(self, harness: Harness):
        self.harness = harness
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
        write(f"{'language':<12}" + "".join(f"{s:>15}" for s in STATUSES))
        for language in sorted(counts):
            write(f"{language:<12}" + "".join(f"{counts[language][s]:>15}" for s in STATUSES))
        for (language, status), why in sorted(reasons.items()):
            for reason, n in why.items():
                write(f"  {language}, {status}: {n} x {reason}")
        write(
            "executed = ran without error; output-checked = ran and its #> output matched; "
            "syntax-checked = parsed or linted, not run; not-reached = after a failure in its "
            "session"
        )
        harness = self.harness
        if harness.settings.shown_output == "optional":
            write("shown output is optional (mkdocs_examples_shown_output): blocks without #> "
                  "lines ran, their output was not compared", yellow=True)
        if harness.figures_dir is None:
            write("figures written by examples are not compared (mkdocs_examples_figures_dir "
                  "is not set)")
        write(f"network of subprocesses blocked by: {sandbox.network_mode()}")
        if self.hash_seed != "0":
            write(
                "PYTHONHASHSEED was not 0 when pytest started (pytest.main() inside another "
                "program): set order in Python examples may vary",
                yellow=True,
            )
        for (language, status), why in sorted(reasons.items()):
            for reason in why:
                if status == "skipped" and "not found" in reason:
                    command = harness.settings.test_command
                    setup = f"; {command} installs what is missing" if command else ""
                    write(
                        f"!!! {language} EXAMPLES WERE NOT RUN: {reason} "
                        f"(with --mkdocs-examples-require-runtimes, or under CI=true, this fails{setup})",
                        red=True,
                        bold=True,
                    )
