numeric_steps = make_pipeline(
    SimpleImputer(strategy="median"), StandardScaler()
)
categorical_steps = make_pipeline(
    SimpleImputer(strategy="most_frequent"),
    OneHotEncoder(handle_unknown="ignore"),
)
preprocess = ColumnTransformer(  # (1)!
    [
        ("numeric", numeric_steps, numeric_features),
        ("categorical", categorical_steps, categorical_features),
    ]
)
forest = RandomForestClassifier(n_estimators=100, random_state=42)  # (2)!
model = Pipeline([("preprocess", preprocess), ("forest", forest)])

folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)  # (3)!
scores = cross_val_score(
    model, X_train, y_train, cv=folds, scoring="accuracy"
)
print(scores.round(3))
#> [1.   1.   1.   0.98 0.98]
print(f"Cross-validated accuracy: {scores.mean():.3f} ± {scores.std():.3f}")
#> Cross-validated accuracy: 0.992 ± 0.010

model.fit(X_train, y_train)  # (4)!
