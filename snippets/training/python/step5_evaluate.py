y_pred = model.predict(X_test)  # (1)!
print(f"Test accuracy: {accuracy_score(y_test, y_pred):.3f}")
#> Test accuracy: 1.000
confusion = pd.crosstab(  # (2)!
    y_test, y_pred, rownames=["actual"], colnames=["predicted"]
)
print(confusion)
#> predicted  Adelie  Chinstrap  Gentoo
#> actual
#> Adelie         38          0       0
#> Chinstrap       0         17       0
#> Gentoo          0          0      31
print(classification_report(y_test, y_pred, digits=3))  # (3)!
#>               precision    recall  f1-score   support
#>
#>       Adelie      1.000     1.000     1.000        38
#>    Chinstrap      1.000     1.000     1.000        17
#>       Gentoo      1.000     1.000     1.000        31
#>
#>     accuracy                          1.000        86
#>    macro avg      1.000     1.000     1.000        86
#> weighted avg      1.000     1.000     1.000        86

plt.rcParams.update({  # (4)!
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "aaw-penguins",
})
fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
ConfusionMatrixDisplay.from_predictions(
    y_test, y_pred, ax=ax, colorbar=False, cmap="Blues"
)
ax.set(xlabel="y_pred", ylabel="y_test")
Path("figures").mkdir(exist_ok=True)
fig.savefig(
    "figures/confusion_matrix_python.svg", metadata={"Date": None}  # (5)!
)
