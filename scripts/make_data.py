#!/usr/bin/env python
"""Write the sample data that the site ships and the tutorial reads.

    .venv/bin/python scripts/make_data.py        # (re)writes docs/data/*.csv

docs/data/penguins_raw.csv: the raw Palmer penguins data (Gorman, Williams & Fraser 2014,
CC0) exactly as the `palmerpenguins` package ships it: raw column names with spaces and
units, missing values, the "Date Egg" column as ISO dates. Only the spelling of missing
values changes: they are written as empty fields, because PROC IMPORT would read a numeric
column holding the text "NA" as a character column.

docs/data/new_penguins.csv: a few invented measurements, already in the model's input
columns, that step 6 of the tutorial predicts. They are not observations of real birds.

Running the script twice writes byte-identical files; tests/test_sample_data.py checks that
the committed files are the ones it writes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from palmerpenguins import load_penguins_raw

DATA = Path(__file__).resolve().parent.parent / "docs" / "data"

# Invented birds, one typical of each species, plus one whose sex was not recorded,
# so that the saved model shows it still copes with a missing value.
NEW_PENGUINS = pd.DataFrame(
    {
        "island": ["Torgersen", "Biscoe", "Dream", "Dream"],
        "culmen_length_mm": [38.6, 47.8, 50.9, 39.2],
        "culmen_depth_mm": [18.3, 14.6, 19.1, 18.9],
        "flipper_length_mm": [188.0, 217.0, 197.0, 190.0],
        "body_mass_g": [3650.0, 5150.0, 3900.0, 3800.0],
        "sex": ["female", "male", "male", None],
    }
)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    # Fixed line endings and empty missing values: same bytes on every platform.
    frame.to_csv(path, index=False, na_rep="", lineterminator="\n")
    print(f"wrote {path}: {len(frame)} rows, {frame.shape[1]} columns")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write to (default: docs/data)")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    write_csv(load_penguins_raw(), out / "penguins_raw.csv")
    write_csv(NEW_PENGUINS, out / "new_penguins.csv")


if __name__ == "__main__":
    main()
