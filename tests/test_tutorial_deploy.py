"""Step 6 of the tutorial says the saved model loads "in a fresh session". The harness runs the
blocks of a tab in one interpreter, like a notebook, so it cannot see a load that quietly relies
on a variable left over from training. This test runs steps 1-5 and the save part of step 6 in
one process, then the load part alone in a new process, in the same folder, and checks that it
prints what the page shows (issue 4).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCS, ROOT, SITE, require_runtime
from mkdocs_examples.page import Snippets

TRAINING = ROOT / "snippets" / "training"
FIXTURES = ROOT / "tests" / "fixtures" / "tutorial"
SHOWN = re.compile(r"^\s*#> ?(.*)$")
RUNNERS = {"python": [sys.executable], "r": ["Rscript"]}


def section(path: Path, name: str) -> str:
    """A pymdownx.snippets section as a page's `--8<-- "file:name"` shows it (pymdownx itself)."""
    spec = path.relative_to(ROOT / "snippets").as_posix()
    return "\n".join(Snippets(SITE.snippets).expand([f'--8<-- "{spec}:{name}"'])) + "\n"


def fresh_session_problems(language: str, training: str, load: str, folder: Path,
                           label: str) -> list[str]:
    """Run `training` then, in a new process, `load`; compare the load's output with its `#>`."""
    suffix = {"python": ".py", "r": ".R"}[language]
    for data in (DOCS / "data").iterdir():
        shutil.copy(data, folder)
    env = {**os.environ, "MPLBACKEND": "Agg", "TZ": "UTC"}
    for name, code in (("training", training), ("load", load)):
        script = folder / f"{name}{suffix}"
        script.write_text(code, encoding="utf-8")
        run = subprocess.run([*RUNNERS[language], script.name], cwd=folder, env=env, check=False,
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            error = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
            return [f"{label}: the {name} part fails in a fresh {language} session: {error}"]
    shown = [m[1].rstrip() for line in load.splitlines() if (m := SHOWN.match(line))]
    printed = [line.rstrip() for line in run.stdout.splitlines()]
    if printed != shown:
        return [f"{label}: printed {printed!r}, the page shows {shown!r}"]
    return []


def tutorial(language: str) -> tuple[str, str]:
    suffix = {"python": ".py", "r": ".R"}[language]
    steps = sorted((TRAINING / language).glob(f"step[1-5]_*{suffix}"))
    deploy = TRAINING / language / f"step6_deploy{suffix}"
    training = "".join(step.read_text(encoding="utf-8") for step in steps)
    return training + section(deploy, "save"), section(deploy, "load")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["python", "r"])
def test_model_loads_in_a_fresh_session(language: str, tmp_path: Path) -> None:
    runner = RUNNERS[language][0]
    if shutil.which(runner) is None:
        require_runtime(f"{runner} not installed: the saved model is not proven to load")
    training, load = tutorial(language)
    label = f"snippets/training/{language}/step6_deploy (section load)"
    problems = fresh_session_problems(language, training, load, tmp_path, label)
    assert not problems, "\n".join(problems)


def test_leftover_variable_is_caught(tmp_path: Path) -> None:
    """A load that uses a training variable works in a notebook but not in a fresh session."""
    training = "model = 'a trained model'\nX_test = [1, 2, 3]\n"
    load = (FIXTURES / "leaky_load.py").read_text(encoding="utf-8")
    problems = fresh_session_problems("python", training, load, tmp_path, "leaky_load.py")
    expected = ("leaky_load.py: the load part fails in a fresh python session: "
                "NameError: name 'X_test' is not defined")
    assert problems == [expected]


def test_wrong_shown_output_is_caught(tmp_path: Path) -> None:
    load = "print(2 + 2)\n#> 5\n"
    problems = fresh_session_problems("python", "", load, tmp_path, "sums.py")
    assert problems == ["sums.py: printed ['4'], the page shows ['5']"]
