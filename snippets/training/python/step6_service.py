"""A prediction service for the penguin model saved in step 6."""

from typing import Literal

import pandas as pd
import skops.io as sio
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

TRUSTED_TYPES = ["numpy.dtype", "sklearn.tree._tree.Tree"]
model = sio.load("penguin_model.skops", trusted=TRUSTED_TYPES)  # (1)!


class Penguin(BaseModel):  # (2)!
    model_config = ConfigDict(extra="forbid", strict=True)

    island: Literal["Biscoe", "Dream", "Torgersen"]
    culmen_length_mm: float = Field(gt=0, le=100)
    culmen_depth_mm: float = Field(gt=0, le=40)
    flipper_length_mm: float = Field(gt=0, le=300)
    body_mass_g: float = Field(gt=0, le=10_000)
    sex: Literal["female", "male"] | None = None  # (3)!


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    birds: list[Penguin] = Field(min_length=1, max_length=1000)


app = FastAPI(title="Penguin species")


@app.get("/health")  # (4)!
def health() -> dict:
    return {"status": "ok", "species": model.classes_.tolist()}


@app.post("/predict")
def predict(batch: Batch) -> dict:  # (5)!
    birds = pd.DataFrame([bird.model_dump() for bird in batch.birds])
    birds["sex"] = birds["sex"].astype("str")  # (6)!
    probabilities = model.predict_proba(birds).round(2)
    predictions = [
        {
            "species": model.classes_[row.argmax()],
            "probabilities": dict(zip(model.classes_, row.tolist())),
        }
        for row in probabilities
    ]
    return {"predictions": predictions}
