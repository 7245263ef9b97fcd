"""The SAS checker (mkdocs_examples/runners/sas_check.py) follows a session: the training page's
SAS tab passes it step by step, and each rule that follows names through the session fails on a
program that breaks it, at the right line (the harness fixtures under
tests/fixtures/harness/broken/ prove the message names page, tab, file and line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from mkdocs_examples.runners.sas_check import PROCEDURES, SasProblem, SasSession

SAS = ROOT / "snippets" / "training" / "sas"
STEPS = ["step1_libraries", "step2_prepare", "step3_split", "step4_train", "step4_train_hpsplit",
         "step5_evaluate"]


@pytest.fixture
def session(tmp_path) -> SasSession:
    shutil.copytree(ROOT / "docs" / "data", tmp_path, dirs_exist_ok=True)
    return SasSession(tmp_path)


def run_steps(session: SasSession, upto: str) -> None:
    for step in STEPS[: STEPS.index(upto) + 1]:
        session.check((SAS / f"{step}.sas").read_text(encoding="utf-8"))


def test_the_sas_tab_passes_and_its_names_are_followed(session) -> None:
    run_steps(session, "step5_evaluate")
    session.new_sas_session()  # step 6 runs in a new SAS session
    session.check((SAS / "step6_deploy.sas").read_text(encoding="utf-8"))
    penguins = session.tables.get("work.new_scored")
    assert penguins is not None and penguins.has("I_species") and penguins.has("island")
    assert "work.train" not in session.tables, "a new SAS session keeps no WORK table"


def test_variables_are_followed_from_the_csv_header(session) -> None:
    run_steps(session, "step2_prepare")
    columns = {v.name: (v.type, v.length) for v in session.tables["work.penguins"].columns.values()}
    assert columns["species"] == ("char", 9) and columns["sex"] == ("char", 7)
    assert columns["culmen_length_mm"][0] == "num" and "Culmen Length (mm)" not in columns
    assert set(columns) == {"species", "island", "sex", "culmen_length_mm", "culmen_depth_mm",
                            "flipper_length_mm", "body_mass_g", "date_egg"}


def test_procedures_add_their_variables(session) -> None:
    run_steps(session, "step5_evaluate")
    assert session.tables["work.penguins_split"].has("Selected")  # SURVEYSELECT OUTALL
    assert session.tables["work.fit_statistics"].has("NTrees")  # HPFOREST FitStatistics
    scored = session.tables["work.test_scored"]
    assert scored.has("I_species") and scored.has("P_speciesAdelie")  # HP4SCORE
    assert session.tables["work.test_tree"].has("P_speciesGentoo")  # HPSPLIT score code


BREAKAGES = [
    ("step2_prepare", "data work.a;\n  set work.penguins(rename=(mass = body_mass));\nrun;\n", 1,
     "RENAME: variable 'mass' is not in WORK.PENGUINS"),
    ("step2_prepare", "data work.a;\n  set work.penguins;\n  keep species bill;\nrun;\n", 2,
     "variable 'bill' is not in this DATA step"),
    ("step2_prepare", "data work.a;\n  set work.penguins;\n  x = bodymass * 2;\nrun;\n", 2,
     "variable 'bodymass' is not defined in this DATA step"),
    ("step2_prepare", "data work.a;\n  set work.penguins;\n  x = scan(species);\nrun;\n", 2,
     "function SCAN takes 2 to 4 arguments, not 1"),
    ("step2_prepare", "proc print data=work.penguins(where=(selected = 1));\nrun;\n", 0,
     "WHERE: variable 'selected' is not in WORK.PENGUINS"),
    ("step3_split", "proc hpforest data=work.train;\n  target species;\n  input island;\n"
     "  ods output Importance=work.x;\nrun;\n", 3,
     "ODS table Importance is not a table of PROC HPFOREST"),
    ("step1_libraries", 'proc import datafile="penguins_raw.csv" out=work.a dbms=csv;\nrun;\n', 0,
     "relative path 'penguins_raw.csv'"),
    ("step4_train", 'data work.b;\n  set work.test;\n  %include "&dir/penguin_tree.sas";\nrun;\n',
     2, "file 'penguin_tree.sas' is neither in the sample data nor written by an earlier step"),
    ("step4_train", "proc hpforest data=work.train maxtrees=many;\n  target species;\n"
     "  input island;\nrun;\n", 0, "MAXTREES= takes a number, not 'many'"),
    ("step4_train", "proc freq data=work.train;\n  tables species / nopercents;\nrun;\n", 1,
     "unknown option NOPERCENTS; did you mean NOPERCENT?"),
    ("step4_train", "proc hpforest data=work.train;\n  input island;\nrun;\n", 0,
     "PROC HPFOREST requires a TARGET statement"),
    ("step4_train", "proc print data=work.train(where=(species = 'Adelie));\nrun;\n", 0,
     "a quoted string is never closed"),
    # StatCan's published page scores with an option no SAS release has
    ("step4_train", "proc hpforest predict testdata=work.test;\nrun;\n", 0,
     "PROC HPFOREST: unknown option PREDICT"),
]


@pytest.mark.parametrize("after, program, line, message", BREAKAGES,
                         ids=[b[3][:40] for b in BREAKAGES])
def test_each_rule_fails_at_its_line(session, after, program, line, message) -> None:
    run_steps(session, after)
    with pytest.raises(SasProblem) as caught:
        session.check(program)
    assert message in caught.value.message, caught.value.message
    assert caught.value.line == line, (caught.value.line, caught.value.message)


def test_keep_and_drop_act_on_the_output_at_the_end_of_the_step(session) -> None:
    run_steps(session, "step2_prepare")
    session.check("data work.a;\n  set work.penguins;\n  drop body_mass_g;\n"
                  "  kg = body_mass_g / 1000;\nrun;\n")
    assert session.tables["work.a"].has("kg") and not session.tables["work.a"].has("body_mass_g")


def test_a_line_after_a_let_is_reported_where_it_is(session) -> None:
    with pytest.raises(SasProblem) as caught:
        session.check("data work.a;\n  x = 1;\nrun;\n%let n = 2;\n\nproc print data=work.a "
                      "obs=&m;\nrun;\n")
    assert caught.value.line == 5 and "&m is not defined" in caught.value.message


def test_options_with_optional_values_and_arguments_pass(session) -> None:
    run_steps(session, "step3_split")
    session.check("proc hpsplit data=work.train nodes cvmethod=random(5) seed=1;\n"
                  "  class species island sex;\n  model species = island sex body_mass_g;\n"
                  "run;\n")


def test_every_procedure_table_records_its_source_and_release() -> None:
    for name, spec in PROCEDURES.items():
        assert spec.get("source") and spec.get("release") and spec.get("product"), name


def test_hp4score_refuses_data_whose_attributes_differ_from_training(session) -> None:
    run_steps(session, "step5_evaluate")
    session.new_sas_session()
    changed = (SAS / "step6_deploy.sas").read_text(encoding="utf-8").replace("sex $ 7", "sex $ 8")
    with pytest.raises(SasProblem, match="sex is char 8 here but was char 7 in training"):
        session.check(changed)


def test_a_folder_is_the_sample_data_folder_only_through_the_folder_macro(tmp_path) -> None:
    shutil.copytree(ROOT / "docs" / "data", tmp_path, dirs_exist_ok=True)
    session = SasSession(tmp_path)
    session.check('%let dir = /home/jovyan/penguins;\nproc import '
                  'datafile="&dir/new_penguins.csv" out=work.a dbms=csv replace;\nrun;\n')
    with pytest.raises(SasProblem, match="neither in the sample data"):
        session.check('proc import datafile="/home/jovyan/penguins/new_penguins.csv" '
                      'out=work.b dbms=csv replace;\nrun;\n')
    assert Path(tmp_path, "new_penguins.csv").exists()
