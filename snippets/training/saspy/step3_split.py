train, test = penguins.partition(
    var="species", fraction=0.75, seed=42, singleOut=False
)  # (1)!
print(train.obs(), test.obs())
