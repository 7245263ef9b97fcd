"""Step 6 of the tutorial says the saved model loads "in a fresh session". The harness runs the
blocks of a tab in one interpreter, like a notebook, so it cannot see a load that quietly relies
on a variable left over from training. This test runs steps 1-5 and the save part of step 6 in
one process, then the load part alone in a new process, in the same folder, and checks that it
prints what the page shows (issue 4).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCS, ROOT, SITE, require_runtime
from mkdocs_examples.page import Snippets
from mkdocs_examples.support import COMPLETE, cached_folder

TRAINING = ROOT / "snippets" / "training"
FIXTURES = ROOT / "tests" / "fixtures" / "tutorial"
SHOWN = re.compile(r"^\s*#> ?(.*)$")
RUNNERS = {"python": [sys.executable], "r": ["Rscript"]}


def section(path: Path, name: str) -> str:
    """A pymdownx.snippets section as a page's `--8<-- "file:name"` shows it (pymdownx itself)."""
    spec = path.relative_to(ROOT / "snippets").as_posix()
    return "\n".join(Snippets(SITE.snippets).expand([f'--8<-- "{spec}:{name}"'])) + "\n"


# The tutorial's models, trained once per content: the folder that steps 1-5 and step 6's
# save section leave (docs/data/ and the saved model), in .cache/trained/KEY/, keyed by the
# training code, every data file, the runtime's and its packages' versions and the environment
# below. This test and tests/test_deploy_service.py copy it rather than train again; the first
# of them (any xdist worker) trains, the others wait for it. TRAINED_CACHE=off trains each time.
TRAINED_CACHE = None if os.environ.get("TRAINED_CACHE", "").lower() == "off" else ROOT / ".cache" / "trained"
TRAINING_ENV = {"MPLBACKEND": "Agg", "TZ": "UTC", "OMP_NUM_THREADS": "1"}
SUFFIX = {"python": ".py", "r": ".R"}
VERSIONS_R = ('cat(R.version.string, "\\n"); ip <- installed.packages()[, c("Package", "Version"), drop = FALSE]; '
              'cat(sort(paste(ip[, 1], ip[, 2])), sep = "\\n")')


class TrainingFailed(Exception):
    """The training code failed; the message is the end of its stderr."""


@functools.cache
def runtime_versions(language: str) -> str:
    """The interpreter's version and every installed package's, for the training cache key."""
    if language == "python":
        packages = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
        return "\n".join([sys.version, *packages])
    return subprocess.run(["Rscript", "-e", VERSIONS_R], capture_output=True, text=True, check=True).stdout


def training_inputs(language: str, training: str, data: Path = DOCS / "data") -> dict[str, str | bytes]:
    """What the trained folder depends on: the code, each data file, runtime, environment."""
    return {"language": language, "code": training, "runtime": runtime_versions(language),
            "environment": json.dumps(TRAINING_ENV, sort_keys=True),
            **{f"data/{file.name}": file.read_bytes() for file in sorted(data.iterdir())}}


def trained(language: str, training: str, data: Path = DOCS / "data", cache: Path | None = TRAINED_CACHE) -> Path:
    """The folder after `training` ran in a fresh `language` session in a copy of `data`
    (shared: copy it, do not change it). Raises TrainingFailed."""
    def make(folder: Path) -> None:
        for file in data.iterdir():
            shutil.copy(file, folder)
        script = folder / f"training{SUFFIX[language]}"
        script.write_text(training, encoding="utf-8")
        run = subprocess.run([*RUNNERS[language], script.name], cwd=folder, check=False,
                             env={**os.environ, **TRAINING_ENV}, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            raise TrainingFailed(run.stderr.strip()[-2000:] or "(no message)")

    return cached_folder(cache, training_inputs(language, training, data), make)


def fresh_session_problems(language: str, training: str, load: str, folder: Path,
                           label: str) -> list[str]:
    """Run `training` then, in a new process, `load`; compare the load's output with its `#>`."""
    try:
        shutil.copytree(trained(language, training), folder, dirs_exist_ok=True)
    except TrainingFailed as error:
        return [f"{label}: the training part fails in a fresh {language} session: {str(error).splitlines()[-1]}"]
    script = folder / f"load{SUFFIX[language]}"
    script.write_text(load, encoding="utf-8")
    run = subprocess.run([*RUNNERS[language], script.name], cwd=folder, check=False,
                         env={**os.environ, **TRAINING_ENV}, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        error = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
        return [f"{label}: the load part fails in a fresh {language} session: {error}"]
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


def test_failing_training_is_caught_and_not_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):  # the second call trains again: a failure is never cached
        try:
            trained("python", "raise SystemExit('no model today')\n", cache=cache)
        except TrainingFailed as error:
            assert str(error) == "no model today"
        else:
            raise AssertionError("a failing training raised nothing")
    assert [entry.name for entry in cache.iterdir() if not entry.name.endswith(".lock")] == []


def test_trained_folder_is_reused_only_for_the_same_code_data_runtime(tmp_path: Path, monkeypatch) -> None:
    """The cache serves a folder again for the same inputs, and never a poisoned one once the
    code, a data file or the runtime changes."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "rows.csv").write_text("a\n1\n")
    cache = tmp_path / "cache"
    code = "import pathlib\npathlib.Path('model.txt').write_text(pathlib.Path('rows.csv').read_text())\n"
    first = trained("python", code, data, cache)
    assert (first / "model.txt").read_text() == "a\n1\n"
    (first / "model.txt").write_text("poisoned")  # what a stale entry would hold
    assert trained("python", code, data, cache) == first  # same inputs: served, not trained
    changed = code + "# another line\n"
    assert (trained("python", changed, data, cache) / "model.txt").read_text() == "a\n1\n"
    (data / "rows.csv").write_text("a\n2\n")
    assert (trained("python", code, data, cache) / "model.txt").read_text() == "a\n2\n"
    (data / "rows.csv").write_text("a\n1\n")
    monkeypatch.setitem(TRAINING_ENV, "OMP_NUM_THREADS", "2")
    assert (trained("python", code, data, cache) / "model.txt").read_text() == "a\n1\n"
    monkeypatch.undo()
    runtime_versions.cache_clear()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    try:
        assert (trained("python", code, data, cache) / "model.txt").read_text() == "a\n1\n"
    finally:
        monkeypatch.undo()
        runtime_versions.cache_clear()
    assert trained("python", code, data, cache) == first  # back to the first inputs: the poisoned entry


def test_the_cache_keeps_only_its_newest_entries(tmp_path: Path) -> None:
    """Each change of the training code or data makes an entry: older ones do not pile up."""
    cache = tmp_path / "cache"

    def make(folder: Path) -> None:
        (folder / "model.txt").write_text("made")

    made = []
    for n in range(3):
        made.append(cached_folder(cache, {"code": f"version {n}"}, make, keep=2))
        # Distinct finishing times (the file system's clock may not tell these three apart).
        os.utime(made[-1] / COMPLETE, (1000 + n, 1000 + n))
    left = sorted(p for p in cache.iterdir() if p.is_dir())
    assert left == sorted(made[1:]), f"kept {[p.name for p in left]}"
    assert sorted(p.name for p in cache.glob("*.lock")) == sorted(f"{p.name}.lock" for p in made[1:])
    assert cached_folder(cache, {"code": "version 2"}, make, keep=2) == made[2]
