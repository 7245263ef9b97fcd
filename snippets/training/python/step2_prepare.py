penguins = pd.read_csv("penguins_raw.csv")  # (1)!
print(penguins.shape)
#> (344, 17)

penguins.columns = (  # (2)!
    penguins.columns.str.replace(r"([a-z])([A-Z])", r"\1_\2", regex=True)
    .str.lower()
    .str.replace(r"[^a-z0-9]+", "_", regex=True)
    .str.strip("_")
)
penguins = penguins.drop_duplicates()  # (3)!
penguins["date_egg"] = pd.to_datetime(
    penguins["date_egg"], format="%Y-%m-%d"  # (4)!
)
penguins["species"] = penguins["species"].str.split().str[0]  # (5)!
penguins["sex"] = penguins["sex"].str.lower()

numeric_features = [
    "culmen_length_mm",
    "culmen_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
]
categorical_features = ["island", "sex"]
penguins = penguins.dropna(subset=numeric_features, how="all")  # (6)!

X = penguins[numeric_features + categorical_features]  # (7)!
y = penguins["species"]
print(X.shape)
#> (342, 6)
missing = X.isna().sum()
print(missing[missing > 0].to_dict())
#> {'sex': 9}
print(y.value_counts().to_dict())
#> {'Adelie': 151, 'Gentoo': 123, 'Chinstrap': 68}
print(penguins["date_egg"].dt.year.value_counts().sort_index().to_dict())
#> {2007: 109, 2008: 114, 2009: 119}
