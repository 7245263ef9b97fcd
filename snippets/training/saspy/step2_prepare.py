penguins_df = pd.read_csv(folder / "penguins_raw.csv")  # (1)!
penguins_df.columns = (
    penguins_df.columns.str.replace(r"([a-z])([A-Z])", r"\1_\2", regex=True)
    .str.lower()
    .str.replace(r"[^a-z0-9]+", "_", regex=True)
    .str.strip("_")
)
numeric_features = [
    "culmen_length_mm",
    "culmen_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
]
penguins_df = (
    penguins_df.drop_duplicates()
    .dropna(subset=numeric_features, how="all")
    .assign(
        species=lambda d: d["species"].str.split().str[0],
        sex=lambda d: d["sex"].str.lower().fillna("unknown"),  # (2)!
        date_egg=lambda d: pd.to_datetime(d["date_egg"], format="%Y-%m-%d"),
    )
)[["species", "island", "sex", *numeric_features, "date_egg"]]

penguins = sas.df2sd(
    penguins_df,
    table="penguins",
    char_lengths={"species": 9, "island": 9, "sex": 7},
)  # (3)!
print(penguins.columnInfo())
