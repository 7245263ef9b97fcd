"""The runners: one table of what each is called, which fence languages it takes, how it is
shown, whether it runs inside pytest's process, and the function that runs a session.

Another plugin (or a conftest.py) adds one with the `pytest_mkdocs_examples_runners` hook:

    from mkdocs_examples.registry import Runner

    def pytest_mkdocs_examples_runners(config):
        return [Runner("julia", ("julia", "jl"), "Julia", False, "my_plugin.julia:run")]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Runner:
    name: str
    languages: tuple[str, ...]  # fence languages it takes (lower case)
    display: str  # in test ids and the summary
    in_process: bool  # True: the harness's deadline (SIGALRM) applies; else the runner's own
    run: str | Callable  # `run(session, context)`, or "module:function" imported when needed
    tab: str | None = None  # chosen by tab label instead: a block of this tab in one of
    # `languages` goes to this runner (Python code driving SAS in the "SASPy" tab)
    # `start(session, context) -> Started`, for a runner whose work is a subprocess: the plugin
    # starts it while the item before it runs (R beside a page's in-process Python)
    start: str | Callable | None = None

    def function(self) -> Callable:
        return _imported(self.run)

    def starter(self) -> Callable | None:
        return None if self.start is None else _imported(self.start)


def _imported(function: str | Callable) -> Callable:
    if callable(function):
        return function
    module, _, name = function.partition(":")
    return getattr(importlib.import_module(module), name)


# Fence languages that are content, not code: shown to readers, nothing to run.
CONTENT_LANGUAGES = frozenset(
    "text txt plaintext output csv tsv markdown md html xml mermaid toml ini log diff".split()
)
PYTHON = ("py", "python", "python3")


def default_runners(saspy_tab: str) -> list[Runner]:
    """The harness's own runners; imported lazily: pytest-examples (black) and saspy are slow to
    import, and the plugin is loaded by every pytest run."""
    here = __package__ + ".runners"
    runners = [
        Runner("python", PYTHON, "Python", True, f"{here}.python:run"),
        Runner("r", ("r", "rscript"), "R", False, f"{here}.r:run", start=f"{here}.r:start"),
        Runner("sas", ("sas",), "SAS", False, f"{here}.sas:run"),
        Runner("yaml", ("yaml", "yml"), "YAML", False, f"{here}.static:run_yaml"),
        Runner(
            "dockerfile", ("dockerfile", "docker"), "Dockerfile", False,
            f"{here}.static:run_dockerfile",
        ),
        Runner(
            "bash", ("bash", "sh", "shell", "console", "shell-session"), "Bash", False,
            f"{here}.static:run_bash",
        ),
        Runner("json", ("json",), "JSON", False, f"{here}.static:run_json"),
    ]
    if saspy_tab:
        runners.append(Runner("saspy", PYTHON, "SASPy", True, f"{here}.saspy:run", tab=saspy_tab))
    return runners


class Hooks:
    @pytest.hookspec
    def pytest_mkdocs_examples_runners(self, config: pytest.Config) -> list[Runner]:
        """Runners to add to the harness's own (a later one takes a language over)."""


class Registry:
    def __init__(self, runners: list[Runner]):
        self.by_name = {r.name: r for r in runners}
        self.by_language = {lang: r for r in runners if r.tab is None for lang in r.languages}
        self.by_tab = {
            (r.tab.lower(), lang): r for r in runners if r.tab is not None for lang in r.languages
        }

    def runner_of(self, lang: str, tab: str | None) -> Runner | None:
        return self.by_tab.get(((tab or "").lower(), lang)) or self.by_language.get(lang)
