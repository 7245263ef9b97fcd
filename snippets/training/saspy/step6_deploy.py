from pathlib import Path

import pandas as pd
import saspy

folder = Path.cwd()
sas = saspy.SASsession()  # (1)!
new_df = pd.read_csv(folder / "new_penguins.csv").fillna({"sex": "unknown"})
new_penguins = sas.df2sd(
    new_df, table="new_penguins", char_lengths={"island": 9, "sex": 7}
)  # (2)!
sas.sasml().hp4score(  # (3)!
    data=new_penguins,
    id="_all_",
    score=f"file='{folder}/penguin_forest.bin' out=work.new_scored",
)
print(sas.sasdata("new_scored", libref="work").to_df())
sas.endsas()  # (4)!
