"""The SASPy tab cannot run without SAS. The harness (runners/saspy_sas.py) runs its Python with
saspy's session recorded and checks, with the SAS checker of the SAS tab (runners/sas_check.py),
the SAS that saspy's own code generator writes for each call. These tests prove that every saspy
call of the training page that writes SAS is among the programs checked, that the programs are
the ones saspy writes from the page's arguments (procopts included), and that a bad argument is
caught (issues 4 and 15).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from mkdocs_examples.runners import saspy_sas
from mkdocs_examples.runners.sas_check import SasSession

SASPY = ROOT / "snippets" / "training" / "saspy"
FIXTURES = ROOT / "tests" / "fixtures" / "tutorial"
DATA = ROOT / "docs" / "data"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def checked_programs(files: list[Path], folder: Path, monkeypatch) -> tuple[list[str], object]:
    """(every SAS program the checker saw, the failure or None) for the files run in order."""
    seen: list[str] = []
    original = SasSession.check

    def recording_check(self, code):
        seen.append(code)
        return original(self, code)

    monkeypatch.setattr(SasSession, "check", recording_check)
    failed = saspy_sas.check_saspy([(f.name, f.read_text(encoding="utf-8")) for f in files],
                                   folder)
    return seen, failed


def test_every_saspy_call_of_the_page_has_its_sas_checked(folder, monkeypatch) -> None:
    programs, failed = checked_programs(sorted(SASPY.glob("step*.py")), folder, monkeypatch)
    assert failed is None, failed
    text = "\n".join(programs).lower()
    expected = {
        "columnInfo()": "proc contents data=work.'penguins'n",
        "partition()": "proc hpsample data=work.'penguins'n",
        "partition() split": "output work.'penguins1_train'n",
        "obs()": "from work.'penguins1_train'n",
        "hpforest() with procopts": "maxtrees=100 seed=42",
        "hpforest() save=": f"save file = '{folder}/penguin_forest.bin'".lower(),
        "hp4score() step 5": "proc hp4score data=work.'penguins1_score'n",
        "hp4score() step 6": "proc hp4score data=work.'new_penguins'n",
        "submitLST()": "proc freq data=work.test_scored; tables species * i_species",
    }
    missing = {call: snippet for call, snippet in expected.items() if snippet not in text}
    assert not missing, f"not among the programs checked: {missing}\n" + "\n---\n".join(programs)


def test_sas_with_an_open_quote_from_a_saspy_argument_is_caught(folder, monkeypatch) -> None:
    steps = [SASPY / "step1_libraries.py", SASPY / "step2_prepare.py", SASPY / "step3_split.py",
             FIXTURES / "bad_saspy_score.py"]
    _, failed = checked_programs(steps, folder, monkeypatch)
    assert failed is not None, "the open quote of bad_saspy_score.py was not caught"
    index, line, message = failed
    assert (index, line) == (3, 4), failed  # bad_saspy_score.py, line 5
    assert message.startswith("hp4score(): saspy would submit invalid SAS"), message
    assert "score file='m.bin out=work.scored;" in message, message


def test_a_table_saspy_never_made_is_caught(folder, monkeypatch) -> None:
    code = ("import saspy\nsas = saspy.SASsession()\n"
            "sas.submitLST('proc print data=work.nowhere; run;')\n")
    _, failed = checked_programs_from_code(code, folder)
    assert failed is not None and failed[1] == 2, failed
    assert "data set WORK.NOWHERE is not created earlier in this session" in failed[2], failed


def test_a_saspy_call_the_recorder_does_not_model_fails(folder) -> None:
    code = "import saspy\nsas = saspy.SASsession()\nsas.saslib('x', path='/tmp')\n"
    _, failed = checked_programs_from_code(code, folder)
    assert failed is not None and "is not modelled by the recording session" in failed[2], failed


def checked_programs_from_code(code: str, folder: Path):
    return None, saspy_sas.check_saspy([("inline.py", code)], folder)
