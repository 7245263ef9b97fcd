"""The sample data that the site ships (issue 4): the files are the ones scripts/make_data.py
writes, SAS can import them, and the Sample data pages describe them truthfully.

Each check is a function that returns readable problems, so that the same function proves
itself able to fail on the broken inputs under tests/fixtures/sample-data/.
"""

from __future__ import annotations

import csv
import filecmp
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import DOCS, ROOT, read

DATA = DOCS / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "sample-data"
# The tables of the Sample data page, in page order, and the file each one describes.
DESCRIBED_FILES = ("penguins_raw.csv", "new_penguins.csv")


def data_differences(committed: Path, written: Path) -> list[str]:
    """What differs between the committed data folder and a fresh run of the script."""
    problems = []
    for name in sorted({p.name for p in committed.iterdir()} | {p.name for p in written.iterdir()}):
        ours, fresh = committed / name, written / name
        if not fresh.exists():
            problems.append(f"{ours}: not written by scripts/make_data.py (a stray file?)")
        elif not ours.exists():
            problems.append(f"{ours}: missing; scripts/make_data.py writes it")
        elif not filecmp.cmp(ours, fresh, shallow=False):
            old, new = ours.read_text().splitlines(), fresh.read_text().splitlines()
            line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b),
                        min(len(old), len(new)) + 1)
            problems.append(f"{ours}, line {line}: differs from what scripts/make_data.py writes")
    return problems


def sas_unfriendly_fields(path: Path) -> list[str]:
    """Fields spelled `NA`: PROC IMPORT would then read a numeric column as text."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    return [f"{path.name}, line {number}: column {header[i]!r} holds 'NA'; write an empty field"
            for number, row in enumerate(rows[1:], start=2)
            for i, field in enumerate(row) if field == "NA"]


def column_tables(page: Path) -> list[list[tuple[int, str, str]]]:
    """Each three-column table of the page as rows of (line, `column name`, missing count)."""
    tables, model = [], read(page)
    for table in (node for node in model.document.walk() if node.kind == "table"):
        rows = [(model.lines[row.line - 1].lineno, [cell.markdown.strip() for cell in row.children])
                for body in table.children if body.kind == "tbody" for row in body.children]
        if rows and len(rows[0][1]) == 3:
            tables.append([(line, cells[0], cells[2]) for line, cells in rows])
    return tables


def page_problems(page: Path, data: Path) -> list[str]:
    """The page's column tables must list every column of their file, in order, with the
    true count of missing values; its download links must point to files that exist."""
    problems = []
    tables = column_tables(page)
    if len(tables) != len(DESCRIBED_FILES):
        problems.append(f"{page.name}: {len(tables)} column tables, expected one for each of "
                        f"{', '.join(DESCRIBED_FILES)}")
    for table, name in zip(tables, DESCRIBED_FILES):
        frame = pd.read_csv(data / name)
        described = [cell.strip("`") for _, cell, _ in table]
        if described != list(frame.columns):
            problems.append(f"{page.name}, line {table[0][0]}: the table of {name} lists "
                            f"{described}, the file has {list(frame.columns)}")
        for line, cell, missing in table:
            column = cell.strip("`")
            if column in frame and str(frame[column].isna().sum()) != missing:
                problems.append(f"{page.name}, line {line}: column {cell} says {missing} missing, "
                                f"{name} has {frame[column].isna().sum()}")
    linked = {piece.value.removeprefix("data/") for node in read(page).document.walk()
              for piece in node.inlines if piece.kind == "link" and piece.value.startswith("data/")}
    problems += [f"{page.name}: links to data/{name}, which does not exist"
                 for name in sorted(linked) if not (data / name).exists()]
    problems += [f"{page.name}: no download link to data/{name}"
                 for name in DESCRIBED_FILES if name not in linked]
    return problems


def test_data_files_are_what_the_script_writes(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_data.py"
    run = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)],
                         check=False, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    problems = data_differences(DATA, tmp_path)
    assert not problems, "\n".join(problems + ["run: .venv/bin/python scripts/make_data.py"])


@pytest.mark.parametrize("name", DESCRIBED_FILES)
def test_sas_can_import(name: str) -> None:
    problems = sas_unfriendly_fields(DATA / name)
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_page_describes_the_files(language: str) -> None:
    problems = page_problems(DOCS / f"sample-data.{language}.md", DATA)
    assert not problems, "\n".join(problems)


# The checks above, proven able to fail.

def test_stale_data_is_caught(tmp_path: Path) -> None:
    written = tmp_path / "written"
    written.mkdir()
    (written / "penguins_raw.csv").write_text("a,b\n1,2\n")
    (written / "new_penguins.csv").write_text("island,sex\nDream,male\nBiscoe,female\n")
    problems = data_differences(FIXTURES / "stale", written)
    assert problems == [
        f"{FIXTURES / 'stale' / 'new_penguins.csv'}, line 3: differs from what scripts/make_data.py writes",
        f"{FIXTURES / 'stale' / 'old.csv'}: not written by scripts/make_data.py (a stray file?)",
        f"{FIXTURES / 'stale' / 'penguins_raw.csv'}: missing; scripts/make_data.py writes it",
    ]


def test_na_fields_are_caught() -> None:
    assert sas_unfriendly_fields(FIXTURES / "na_values.csv") == [
        "na_values.csv, line 3: column 'body_mass_g' holds 'NA'; write an empty field",
    ]


def test_untrue_page_is_caught() -> None:
    problems = page_problems(FIXTURES / "sample-data.en.md", DATA)
    assert any("line 9: the table of penguins_raw.csv lists" in p for p in problems), problems
    assert any("line 13: column `Sex` says 3 missing, penguins_raw.csv has 11" in p
               for p in problems), problems
    assert "sample-data.en.md: links to data/penguins.csv, which does not exist" in problems
    assert "sample-data.en.md: no download link to data/new_penguins.csv" in problems
