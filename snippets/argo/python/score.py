#!/usr/bin/env python
"""Score a file of new birds with a saved model: species and probability for each."""

import argparse
from pathlib import Path

import pandas as pd
import skops.io

TRUSTED_TYPES = ["numpy.dtype", "sklearn.tree._tree.Tree"]  # (1)!


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True, help="model file (skops)")
    parser.add_argument("--input", type=Path, required=True, help="CSV file of new birds")
    parser.add_argument("--output", type=Path, required=True, help="scored CSV file")
    args = parser.parse_args()

    model = skops.io.load(args.model, trusted=TRUSTED_TYPES)
    birds = pd.read_csv(args.input)
    scored = birds.assign(  # (2)!
        predicted=model.predict(birds),
        probability=model.predict_proba(birds).max(axis=1).round(2),
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    scored.to_csv(args.output, index=False)
    print(f"score: {len(scored)} birds, {scored['predicted'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
