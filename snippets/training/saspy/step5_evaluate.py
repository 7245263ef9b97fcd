ml.hp4score(  # (1)!
    data=test,
    id="_all_",
    score=f"file='{folder}/penguin_forest.bin' out=work.test_scored",
)
scored = sas.sasdata("test_scored", libref="work").to_df()  # (2)!
scored.columns = scored.columns.str.lower()  # (3)!
predicted = scored["i_species"].str.strip().str.title()
print(f"Test accuracy: {(predicted == scored['species']).mean():.3f}")
print(pd.crosstab(scored["species"], predicted, colnames=["predicted"]))

sas.submitLST(  # (4)!
    "proc freq data=work.test_scored;"
    " tables species * I_species / nopercent; run;"
)
