"""Self-tests of the example harness (pytest-mkdocs-examples): the fixture sites under
tests/fixtures/harness/ prove that each kind of breakage fails with a message naming the page,
the tab and the line, and that correct examples pass, with and without pytest-xdist."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import once_per_run
from mkdocs_examples import sandbox
from mkdocs_examples.page import read_page
from mkdocs_examples.runners.r import with_output
from mkdocs_examples.runners.rewrite import rewrite_block
from mkdocs_examples.site import load_site

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "harness"


def make_site(folder: Path, fixture: str, timeout: int, **options: str) -> None:
    """A copy of a fixture site, its own pytest.ini with the given timeout and options (the
    plugin comes from its entry point, installed in the venv)."""
    shutil.copytree(FIXTURES / fixture, folder, dirs_exist_ok=True)
    ini = folder / "pytest.ini"
    lines = [
        line for line in ini.read_text().splitlines() if not line.startswith("mkdocs_examples_timeout")
    ]
    lines += ["addopts = -p no:cacheprovider", f"mkdocs_examples_timeout = {timeout}"]
    lines += [f"mkdocs_examples_{name} = {value}" for name, value in options.items()]
    ini.write_text("\n".join(lines) + "\n")


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """nodeid -> (outcome, message) from a JUnit XML report."""
    found = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        classname, name = case.get("classname", ""), case.get("name", "")
        nodeid = f"{classname.replace('.en.md', '.en/md').replace('.fr.md', '.fr/md')}"
        nodeid = nodeid.replace(".", "/").replace("/en/md", ".en.md").replace("/fr/md", ".fr.md")
        nodeid = f"{nodeid}::{name}"
        outcome, message = "passed", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                outcome, message = tag, (element.text or element.get("message", ""))
        found[nodeid] = (outcome, message)
    return found


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory, run_folder) -> dict[str, tuple[str, str]]:
    """One run of the whole broken site per run (one pytest process keeps the self-tests quick;
    the xdist worker that gets these tests second reads what the first found)."""

    def run() -> dict[str, tuple[str, str]]:
        site = tmp_path_factory.mktemp("broken")
        make_site(site, "broken", timeout=60)
        subprocess.run(
            [sys.executable, "-m", "pytest", f"--junitxml={site / 'report.xml'}", "-q"],
            cwd=site,
            capture_output=True,
            text=True,
            timeout=300,
        )
        return outcomes(site / "report.xml")

    return once_per_run(run_folder, "the harness: one run of the broken fixture site", run)


BROKEN = {
    "docs/name_error.en.md::Python": [
        'docs/name_error.en.md, tab "Python"',
        "snippets/python/name_error.py:3",
        "NameError: name 'totl' is not defined",
    ],
    "docs/wrong_output.en.md::Python": [
        'docs/wrong_output.en.md, tab "Python"',
        "snippets/python/wrong_output.py:2",
        "+#> 2",
    ],
    "docs/r_error.en.md::R": [
        'docs/r_error.en.md, tab "R"',
        "snippets/r/r_error.R:2",
        "object 'z' not found",
    ],
    "docs/r_wrong_output.en.md::R": [
        'docs/r_wrong_output.en.md, tab "R"',
        "snippets/r/r_wrong_output.R:3",
        "+#> [1] 2",
    ],
    "docs/r_network.en.md::R": [
        'docs/r_network.en.md, tab "R"',
        "snippets/r/r_network.R:1",
        "cannot open",
    ],
    "docs/sas_syntax.en.md::SAS": [
        'docs/sas_syntax.en.md, tab "SAS"',
        "snippets/sas/sas_syntax.sas:5",
        "SAS syntax error",
    ],
    "docs/sas_statement.en.md::SAS": [
        'docs/sas_statement.en.md, tab "SAS"',
        "snippets/sas/sas_statement.sas:9",
        "PROC HPFOREST has no STRATA statement",
    ],
    "docs/sas_option.en.md::SAS": [
        'docs/sas_option.en.md, tab "SAS"',
        "snippets/sas/sas_option.sas:6",
        "PROC HPFOREST: unknown option MAXTREE=; did you mean MAXTREES?",
    ],
    "docs/sas_semicolon.en.md::SAS": [
        'docs/sas_semicolon.en.md, tab "SAS"',
        "snippets/sas/sas_semicolon.sas:7",
        "TABLES is a statement: is the semicolon before it lost?",
    ],
    "docs/sas_macro.en.md::SAS": [
        'docs/sas_macro.en.md, tab "SAS"',
        "snippets/sas/sas_macro.sas:6",
        "macro variable &sed is not defined earlier in this session (defined: &dir)",
    ],
    "docs/sas_file.en.md::SAS": [
        'docs/sas_file.en.md, tab "SAS"',
        "snippets/sas/sas_file.sas:7",
        "file 'model.bin' is neither in the sample data nor written by an earlier step",
    ],
    "docs/sas_empty.en.md::SAS": [
        'docs/sas_empty.en.md, tab "SAS"',
        "snippets/sas/sas_empty.sas:1",
        "empty block: it holds only comments, no SAS statement",
    ],
    "docs/sas_unknown_proc.en.md::SAS": [
        'docs/sas_unknown_proc.en.md, tab "SAS"',
        "snippets/sas/sas_unknown_proc.sas:6",
        "procedure GLMSELECT is unknown to this checker",
    ],
    "docs/sas_new_session.en.md::SAS": [
        'docs/sas_new_session.en.md, tab "SAS"',
        "snippets/sas/sas_new_session_b.sas:3",
        "data set WORK.TINY is not created earlier in this session",
    ],
    "docs/saspy_procopts.en.md::SASPy": [
        'docs/saspy_procopts.en.md, tab "SASPy"',
        "snippets/saspy/bad_procopts.py:7",
        "hpforest(): saspy would submit SAS that fails the check",
        "PROC HPFOREST: unknown option MAXTREE=",
    ],
    "docs/saspy_method.en.md::SASPy": [
        'docs/saspy_method.en.md, tab "SASPy"',
        "snippets/saspy/bad_method.py:5",
        "SASdata has no method 'train_test_split'",
    ],
    "docs/saspy_keyword.en.md::SASPy": [
        'docs/saspy_keyword.en.md, tab "SASPy"',
        "snippets/saspy/bad_keyword.py:4",
        "sasdata() has no keyword 'lib'",
    ],
    "docs/timeout.en.md::Python": [
        'docs/timeout.en.md, tab "Python"',
        "snippets/python/timeout.py:",
        "timed out after 3 s",
    ],
    "docs/r_timeout.en.md::R": ['docs/r_timeout.en.md, tab "R"', "timed out after 5 s"],
    "docs/script_error.en.md::Python": [
        'docs/script_error.en.md, tab "Python"',
        "snippets/python/script_error.py:4",
        "script_error.py --rows 2` exited with 1",
        "IndexError",
    ],
    "docs/network_swallowed.en.md::Python": [
        'docs/network_swallowed.en.md, tab "Python"',
        "snippets/python/network_swallowed.py:4",
        "tried to reach example.org:443, caught the refusal and carried on",
    ],
    "docs/lint_error.en.md::Python": [
        'docs/lint_error.en.md, tab "Python"',
        "snippets/python/lint_error.py:1",
        "ruff: F401",
    ],
    "docs/network.en.md::Python": [
        'docs/network.en.md, tab "Python"',
        "snippets/python/network.py:3",
        "network access to example.com:80 refused",
    ],
    "docs/broken_yaml.en.md::Argo/YAML": [
        'docs/broken_yaml.en.md, tab "Argo"',
        "snippets/yaml/broken.yaml:5",
        "YAML does not parse",
    ],
    "docs/bad_dockerfile.en.md::Docker/Dockerfile": [
        'docs/bad_dockerfile.en.md, tab "Docker"',
        "snippets/docker/Dockerfile:1",
        "DL3006",
    ],
    "docs/figure_differs.en.md::Python": [
        'docs/figure_differs.en.md, tab "Python"',
        "snippets/python/figure.py:4",
        "figures/bars.svg differs from docs/assets/figures/bars.svg",
    ],
    "docs/includes_differ.fr.md::same-includes-as-en": [
        'docs/includes_differ.en.md:6: tab "Python", include "python/differ_a.py"',
        'docs/includes_differ.fr.md:6: tab "Python", include "python/differ_b.py"',
    ],
    "docs/missing_include.en.md::includes": [
        "docs/missing_include.en.md:6",
        "'python/does_not_exist.py' not found under snippets/",
    ],
    "docs::orphan-snippets": [
        "snippets/python/orphan.py: not included by any en or fr page",
        # code after the last `--8<-- [end:...]` marker: included file, line shown nowhere
        "snippets/python/sections.py:9: shown on no en or fr page",
    ],
    "docs/empty_block.en.md::Python": [
        'docs/empty_block.en.md, tab "Python": block at line 7',
        "empty code block",
    ],
    "docs/empty_block.en.md::other-blocks": ["docs/empty_block.en.md:10", "empty code block"],
    "docs/not_reached.en.md::Python": [
        'docs/not_reached.en.md, tab "Python"',
        "snippets/python/sections.py:3",
        "IndexError",
        "not reached after this failure: 2 blocks of docs/not_reached.en.md (lines 12, 16)",
    ],
    "docs/output_not_shown.en.md::Python": [
        'docs/output_not_shown.en.md, tab "Python"',
        "snippets/python/output_not_shown.py:2",
        "+#> 42",
    ],
    "docs/inline_error.en.md::Python": [
        "docs/inline_error.en.md: line 9",
        "print(rows[3])",
        "IndexError",
    ],
    "docs/inline_error.en.md::Bash": ["docs/inline_error.en.md: line 14", "bash -n"],
    "docs/inline_error.en.md::other-blocks": [
        "docs/inline_error.en.md:17",
        "fence language 'pyhton' has no checker",
    ],
}


@pytest.mark.parametrize("nodeid", sorted(BROKEN))
def test_each_breakage_fails_naming_page_tab_and_line(broken_run, nodeid):
    assert nodeid in broken_run, f"{nodeid} was not collected; collected: {sorted(broken_run)}"
    outcome, message = broken_run[nodeid]
    assert outcome == "failure", f"{nodeid} should fail, it {outcome}"
    for expected in BROKEN[nodeid]:
        assert expected in message, f"{expected!r} missing from the message of {nodeid}:\n{message}"


def test_nothing_in_the_broken_site_passes_but_the_french_twins(broken_run):
    """French pages only re-check that they include what the English ones do; the code of
    includes_differ is correct, only its French page is wrong."""
    passed = sorted(n for n, (outcome, _) in broken_run.items() if outcome != "failure")
    expected = [
        n
        for n in passed
        if n.endswith(".fr.md::same-includes-as-en") or n == "docs/includes_differ.en.md::Python"
    ]
    assert passed and passed == expected, (
        f"these pass but should fail: {set(passed) - set(expected)}"
    )


def test_good_site_passes_and_the_summary_counts_each_language(pytester):
    make_site(pytester.path, "good", timeout=60)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=12)
    result.stdout.re_match_lines(
        [
            r"Python\s+1\s+2\s+0\s+0\s+0",  # a script executed, two cells output-checked
            r"R\s+0\s+1\s+0\s+0\s+0",
            r"SAS\s+0\s+0\s+1\s+0\s+0",
            r"SASPy\s+0\s+0\s+0\s+1\s+0",
            r".*Bash, skipped: 2 x needs a Kubernetes cluster",
        ],
        consecutive=False,
    )


def test_good_site_runs_under_xdist(pytester):
    make_site(pytester.path, "good", timeout=60)
    result = pytester.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=12)
    result.stdout.re_match_lines([r"Python\s+1\s+2\s+0\s+0\s+0"], consecutive=False)


@pytest.mark.parametrize(
    "page, snippet, fixed",
    [
        ("wrong_output", "snippets/python/wrong_output.py", "print(1 + 1)\n#> 2\n"),
        ("r_wrong_output", "snippets/r/r_wrong_output.R", "x <- c(1, 2, 3)\nmean(x)\n#> [1] 2\n"),
    ],
)
def test_update_examples_rewrites_the_snippet(pytester, page, snippet, fixed):
    make_site(pytester.path, "broken", timeout=30)
    pytester.runpytest_subprocess(f"docs/{page}.en.md", "--update-examples").assert_outcomes(
        passed=1
    )
    assert (pytester.path / snippet).read_text() == fixed
    pytester.runpytest_subprocess(f"docs/{page}.en.md").assert_outcomes(passed=1)


def test_update_examples_copies_figures(pytester):
    make_site(pytester.path, "broken", timeout=30)
    pytester.runpytest_subprocess("docs/figure_differs.en.md", "--update-examples").assert_outcomes(
        passed=1
    )
    assert "<text>3</text>" in (pytester.path / "docs/assets/figures/bars.svg").read_text()


def test_missing_rscript_fails_under_ci(pytester, monkeypatch):
    make_site(pytester.path, "good", timeout=60)
    monkeypatch.setenv("PATH", str(pytester.path / "no-such-bin"))
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest_subprocess("docs/guide.en.md::R")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*R not run: Rscript not found*CI=true: a missing runtime is a failure*"]
    )


def test_missing_rscript_fails_with_the_require_runtimes_flag(pytester, monkeypatch):
    make_site(pytester.path, "good", timeout=60)
    monkeypatch.setenv("PATH", str(pytester.path / "no-such-bin"))
    monkeypatch.delenv("CI", raising=False)
    result = pytester.runpytest_subprocess(
        "docs/guide.en.md::R", "--mkdocs-examples-require-runtimes"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*R not run: Rscript not found*--mkdocs-examples-require-runtimes: a missing runtime*"]
    )


def test_not_reached_blocks_are_counted_with_their_lines(pytester):
    make_site(pytester.path, "broken", timeout=30)
    result = pytester.runpytest_subprocess("docs/not_reached.en.md")
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"Python\s+0\s+0\s+0\s+0\s+0\s+1\s+2",  # one failed, two not reached
            r"\s+Python, not-reached: 1 x docs/not_reached.en.md:12",
            r"\s+Python, not-reached: 1 x docs/not_reached.en.md:16",
        ],
        consecutive=False,
    )


def test_optional_shown_output_runs_prints_without_demanding_their_output(pytester):
    """For pages written without the `#>` convention (mkdocs_examples_shown_output = optional):
    a print with no `#>` line passes; `#>` lines that are there are still checked."""
    make_site(pytester.path, "broken", timeout=30, shown_output="optional")
    result = pytester.runpytest_subprocess(
        "docs/output_not_shown.en.md", "docs/wrong_output.en.md", "docs/name_error.en.md"
    )
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*+#> 2*", "*NameError*"], consecutive=False)
    result.stdout.fnmatch_lines(["*shown output is optional*"])


def test_missing_rscript_is_a_loud_skip_locally(pytester, monkeypatch):
    make_site(pytester.path, "good", timeout=60)
    monkeypatch.setenv("PATH", str(pytester.path / "no-such-bin"))
    monkeypatch.delenv("CI", raising=False)
    result = pytester.runpytest_subprocess("docs/guide.en.md::R")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*!!! R EXAMPLES WERE NOT RUN: Rscript not found*"])


def test_pages_know_tab_language_attributes_and_origin_of_each_line():
    site = FIXTURES / "good"
    page = read_page(site / "docs/guide.en.md", site / "snippets", site)
    tabs = [(block.tab, block.lang, block.test) for block in page.blocks]
    assert tabs[:6] == [
        ("Python", "py", ""),
        ("Python", "py", ""),
        ("Python", "py", "script"),
        ("R", "r", ""),
        ("SAS", "sas", ""),
        ("SASPy", "py", ""),
    ]
    script = page.blocks[2]
    assert script.attrs["data-args"] == "--species Adelie"
    assert script.lines[3].where(site) == "snippets/python/summarize.py:4"
    skip = next(block for block in page.blocks if block.test == "skip")
    assert skip.tab is None and skip.attrs["data-reason"] == "needs a Kubernetes cluster"
    assert [spec for _, spec, _ in page.includes][:2] == [
        "python/step1_load.py",
        "python/step2_plot.py",
    ]


def test_r_output_is_rebuilt_reprex_style():
    lines = ["x <- 1:3", "sum(x)", "#> [1] 5", "y <- 2"]
    assert with_output(lines, {2: ["[1] 6"]}) == ["x <- 1:3", "sum(x)", "#> [1] 6", "y <- 2"]


def test_sas_runs_in_batch_when_configured_and_its_log_errors_fail(pytester, monkeypatch):
    make_site(pytester.path, "good", timeout=60)
    monkeypatch.setenv("SAS_EXECUTABLE", str(FIXTURES / "fake_sas.sh"))
    result = pytester.runpytest_subprocess("docs/guide.en.md::SAS")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['docs/guide.en.md, tab "SAS"*', "ERROR: Variable MASS not found."])


def test_section_includes_keep_the_snippet_line_numbers(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/steps.py").write_text(
        "import math\n# --8<-- [start:area]\nradius = 2\narea = math.pi * radius**2\n"
        "# --8<-- [end:area]\n"
    )
    page = tmp_path / "page.en.md"
    page.write_text('=== "Python"\n\n    ```py\n    --8<-- "steps.py:area"\n    ```\n')
    (block,) = read_page(page, tmp_path / "snippets", tmp_path).blocks
    assert [line.text for line in block.lines] == ["radius = 2", "area = math.pi * radius**2"]
    assert [line.where(tmp_path) for line in block.lines] == [
        "snippets/steps.py:3",
        "snippets/steps.py:4",
    ]


def test_update_rewrites_inline_code_in_the_page_keeping_its_indent(tmp_path):
    page = tmp_path / "page.en.md"
    page.write_text('# T\n\n=== "Python"\n\n    ```py\n    print(1 + 1)\n    #> 3\n    ```\n')
    (block,) = read_page(page, tmp_path, tmp_path).blocks
    rewrite_block(block, "print(1 + 1)\n#> 2\n")
    assert (
        page.read_text()
        == '# T\n\n=== "Python"\n\n    ```py\n    print(1 + 1)\n    #> 2\n    ```\n'
    )


@pytest.mark.parametrize("style", ["long", "native", "short"])
def test_failing_python_example_never_crashes_pytest(pytester, style):
    """pytest-examples' rewritten example frames crash pytest's traceback formatting on CPython
    3.11 (INTERNALERROR ... StopIteration); the harness shows its own message instead."""
    make_site(pytester.path, "broken", timeout=30)
    result = pytester.runpytest_subprocess("docs/name_error.en.md", f"--tb={style}")
    result.assert_outcomes(failed=1)
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["*snippets/python/name_error.py:3", "NameError: *"])


def test_fallback_without_unshare_still_refuses_network_in_python_subprocesses():
    """Where unshare is not allowed, Python scripts get harness/offline/sitecustomize.py."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(sandbox.__file__).parent / "offline")}
    code = "import urllib.request; urllib.request.urlopen('http://example.com')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "network access to example.com:80 refused" in done.stderr


def test_all_python_of_the_repository_passes_ruff():
    """ruff.toml at the top covers every Python file but the examples (linted per session by
    the harness) and the broken fixtures."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "--output-format=concise", "."],
        cwd=TESTS.parent, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_conftest_adds_a_runner_with_the_hook(pytester):
    """The registry is extended by `pytest_mkdocs_examples_runners`: here a runner for `toy`
    fences, which fails on a block containing "boom"."""
    make_site(pytester.path, "good", timeout=60)
    pytester.makeconftest(
        """
        from mkdocs_examples.registry import Runner
        from mkdocs_examples.runners import failure

        def run_toy(session, context):
            for block in session.blocks:
                if "boom" in block.code:
                    raise failure(session, block, 0, "toy says boom")
                context.record(session, block, "executed")

        def pytest_mkdocs_examples_runners(config):
            return [Runner("toy", ("toy",), "Toy", False, run_toy)]
        """
    )
    (pytester.path / "docs" / "toy.en.md").write_text(
        '# Toy\n\n=== "Toy"\n\n    ```toy\n    fine\n    ```\n\n    ```toy\n    boom\n    ```\n'
    )
    result = pytester.runpytest_subprocess("docs/toy.en.md")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['docs/toy.en.md, tab "Toy": line 10', "*boom", "toy says boom"])
    result.stdout.re_match_lines([r"Toy\s+1\s+0\s+0\s+0\s+0\s+1\s+0"], consecutive=False)


def test_site_model_reads_every_layout_from_the_mkdocs_config(tmp_path):
    """Languages, default language, page folders, URLs and snippets options as MkDocs has them."""
    ours = load_site([TESTS.parent / "mkdocs.yml"])
    assert (ours.layout, ours.codes, ours.default.code) == ("suffix", ["en", "fr"], "en")
    assert ours.language_of(TESTS.parent / "docs/training.fr.md") == "fr"
    assert ours.page_url(ours.page_path(TESTS.parent / "docs/training.fr.md"), "fr") == "fr/training/"
    assert ours.snippets["base_path"] == [str(TESTS.parent / "snippets")]

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nsite_url: https://example.org/x/\nplugins:\n  - i18n:\n"
        "      docs_structure: folder\n      languages:\n        - locale: fr\n"
        "        - locale: en\n          default: true\n"
    )
    folder = load_site([tmp_path / "mkdocs.yml"])
    assert (folder.layout, folder.default.code) == ("folder", "en")
    page = tmp_path / "docs/fr/guide/start.md"
    assert folder.language_of(page) == "fr"
    assert folder.counterpart(page, "en") == (tmp_path / "docs/en/guide/start.md").resolve()
    assert folder.page_url(folder.page_path(page), "fr") == "fr/guide/start/"
    assert folder.snippets == {}  # no pymdownx.snippets: includes are not expanded

    two = load_site([FIXTURES.parent / "plugin/folder-two-configs" / f"mkdocs-{c}.yml" for c in ("en", "fr")])
    assert (two.layout, two.codes, two.default.code) == ("config", ["en", "fr"], "en")
    assert two.docs_dir == (FIXTURES.parent / "plugin/folder-two-configs/docs").resolve()
    assert two.languages[1].site_url == "https://example.org/docs/fr/"

    one = load_site([FIXTURES.parent / "plugin/one-language/mkdocs.yml"])
    assert (one.layout, one.codes) == ("single", ["en"])


ALONGSIDE = '''# Alongside

=== "Python"

    ```python
    import os
    import time
    from pathlib import Path

    mark, waited = Path(os.environ["R_STARTED"]), 0.0
    while not mark.exists() and waited < float(os.environ["R_WAIT"]):
        time.sleep(0.05)
        waited += 0.05
    print(mark.exists())
    #> True
    ```

=== "R"

    ```r
    writeLines("started", Sys.getenv("R_STARTED"))
    ```
'''


@pytest.mark.parametrize("selected, wait, outcome", [
    ("docs/alongside.en.md", "60", {"passed": 2}),
    ("docs/alongside.en.md::Python", "1", {"failed": 1}),  # R not selected: nobody writes the mark
])
def test_r_session_runs_while_the_python_session_before_it_runs(
    pytester, monkeypatch, selected, wait, outcome
):
    """The Python cell waits for a file that only the page's R session writes: it can appear
    only if R was started while Python ran (the plugin starts a next item whose runner has
    `start`). Without R the same cell fails, naming page, tab and line."""
    make_site(pytester.path, "good", timeout=90)
    (pytester.path / "docs" / "alongside.en.md").write_text(ALONGSIDE, encoding="utf-8")
    monkeypatch.setenv("R_STARTED", str(pytester.path / "r-started"))
    monkeypatch.setenv("R_WAIT", wait)
    result = pytester.runpytest_subprocess(selected)
    result.assert_outcomes(**outcome)
    if "failed" in outcome:
        result.stdout.fnmatch_lines(
            ['*docs/alongside.en.md, tab "Python": line 15*', "*-#> True*", "*+#> False*"]
        )
