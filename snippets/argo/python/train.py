#!/usr/bin/env python
"""Train one random forest candidate and record its out-of-bag accuracy."""

import argparse
import json
from pathlib import Path

import pandas as pd
import skops.io
from sklearn.ensemble import RandomForestClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="folder holding train.csv")
    parser.add_argument("--n-trees", type=int, required=True,
                        help="number of trees")
    parser.add_argument("--max-features", type=int, required=True,
                        help="features per split")
    parser.add_argument("--seed", type=int, default=42,
                        help="random seed of the forest")
    parser.add_argument("--output-dir", type=Path, required=True,
                        help="for model, metrics")
    args = parser.parse_args()

    train = pd.read_csv(args.data_dir / "train.csv")
    features, target = train.drop(columns="species"), train["species"]
    model = RandomForestClassifier(
        n_estimators=args.n_trees,
        max_features=args.max_features,
        oob_score=True,  # (1)!
        random_state=args.seed,
    ).fit(features, target)

    metrics = {
        "n_trees": args.n_trees,
        "max_features": args.max_features,
        "oob_accuracy": round(model.oob_score_, 4),
    }
    args.output_dir.mkdir(parents=True, exist_ok=True)
    skops.io.dump(model, args.output_dir / "model.skops")  # (2)!
    (args.output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(f"train: {metrics}")


if __name__ == "__main__":
    main()
