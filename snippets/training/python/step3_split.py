X_train, X_test, y_train, y_test = train_test_split(  # (1)!
    X, y, test_size=0.25, stratify=y, random_state=42
)
print(len(X_train), len(X_test))
#> 256 86
shares = pd.DataFrame(
    {
        "train": y_train.value_counts(normalize=True),
        "test": y_test.value_counts(normalize=True),
    }
)
print(shares.round(3))
#>            train   test
#> species
#> Adelie     0.441  0.442
#> Gentoo     0.359  0.360
#> Chinstrap  0.199  0.198
