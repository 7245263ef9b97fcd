# --8<-- [start:save]
import skops.io as sio  # (1)!

sio.dump(model, "penguin_model.skops")
# --8<-- [end:save]
# --8<-- [start:load]
import pandas as pd
import skops.io as sio

print(sio.get_untrusted_types(file="penguin_model.skops"))  # (1)!
#> ['numpy.dtype', 'sklearn.tree._tree.Tree']
expected_types = ["numpy.dtype", "sklearn.tree._tree.Tree"]
model = sio.load("penguin_model.skops", trusted=expected_types)  # (2)!

new_penguins = pd.read_csv("new_penguins.csv")  # (3)!
new_penguins["predicted"] = model.predict(new_penguins)
probabilities = model.predict_proba(new_penguins)
new_penguins["probability"] = probabilities.max(axis=1).round(2)
shown = ["island", "culmen_length_mm", "sex", "predicted", "probability"]
print(new_penguins[shown])
#>       island  culmen_length_mm     sex  predicted  probability
#> 0  Torgersen              38.6  female     Adelie         1.00
#> 1     Biscoe              47.8    male     Gentoo         1.00
#> 2      Dream              50.9    male  Chinstrap         0.98
#> 3      Dream              39.2     NaN     Adelie         0.99
# --8<-- [end:load]
