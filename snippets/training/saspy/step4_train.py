ml = sas.sasml()
forest = ml.hpforest(  # (1)!
    data=train,
    target={"nominal": "species"},
    input={"interval": numeric_features, "nominal": ["island", "sex"]},
    save=f"{folder}/penguin_forest.bin",  # (2)!
    procopts="maxtrees=100 seed=42",
)
forest.ALL()  # (3)!
