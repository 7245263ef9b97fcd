#!/usr/bin/env python
"""Keep the candidate with the best out-of-bag accuracy; test it once."""

import argparse
import json
import shutil
from pathlib import Path

import pandas as pd
import skops.io

TRUSTED_TYPES = ["sklearn.tree._tree.Tree"]  # (1)!


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="folder holding test.csv")
    parser.add_argument("--candidates-dir", type=Path, required=True,
                        help="a folder per candidate")
    parser.add_argument("--output-dir", type=Path, required=True,
                        help="where the best model goes")
    args = parser.parse_args()

    candidates = {
        folder: json.loads((folder / "metrics.json").read_text())
        for folder in sorted(args.candidates_dir.iterdir())
    }
    if not candidates:
        parser.error(f"no candidate in {args.candidates_dir}")
    best = max(candidates, key=lambda c: candidates[c]["oob_accuracy"])  # (2)!

    model = skops.io.load(best / "model.skops", trusted=TRUSTED_TYPES)
    test = pd.read_csv(args.data_dir / "test.csv")
    X_test, y_test = test.drop(columns="species"), test["species"]
    test_accuracy = model.score(X_test, y_test)  # (3)!

    final = {**candidates[best], "candidate": best.name,
             "candidates_compared": len(candidates),
             "test_accuracy": round(test_accuracy, 4)}
    args.output_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(best / "model.skops", args.output_dir / "model.skops")
    (args.output_dir / "metrics.json").write_text(json.dumps(final, indent=2))
    print(f"evaluate: {final}")


if __name__ == "__main__":
    main()
