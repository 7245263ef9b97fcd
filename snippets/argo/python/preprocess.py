#!/usr/bin/env python
"""Clean the raw penguins table; split it into training and test sets."""

import argparse
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

COLUMNS = {  # (1)!
    "Species": "species",
    "Culmen Length (mm)": "bill_length_mm",
    "Culmen Depth (mm)": "bill_depth_mm",
    "Flipper Length (mm)": "flipper_length_mm",
    "Body Mass (g)": "body_mass_g",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, required=True,
                        help="raw CSV file")
    parser.add_argument("--output-dir", type=Path, required=True,
                        help="for train.csv, test.csv")
    parser.add_argument("--test-size", type=float, default=0.2,
                        help="test share")
    parser.add_argument("--seed", type=int, default=42,
                        help="random seed of the split")
    args = parser.parse_args()

    raw = pd.read_csv(args.input)
    data = raw[list(COLUMNS)].rename(columns=COLUMNS).dropna()
    data["species"] = data["species"].str.split().str[0]  # (2)!

    train, test = train_test_split(
        data,
        test_size=args.test_size,
        random_state=args.seed,
        stratify=data["species"],  # (3)!
    )
    args.output_dir.mkdir(parents=True, exist_ok=True)
    train.to_csv(args.output_dir / "train.csv", index=False)
    test.to_csv(args.output_dir / "test.csv", index=False)
    print(f"preprocess: {len(train)} training rows, {len(test)} test rows")


if __name__ == "__main__":
    main()
