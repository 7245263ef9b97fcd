mc cp penguin_model.skops "$BUCKET/penguins/model/penguin_model.skops"  # (1)!
mc cp new_penguins.csv "$BUCKET/penguins/incoming/new_penguins.csv"

argo cron lint cronworkflow.yaml  # (2)!
argo cron create cronworkflow.yaml
argo cron list  # (3)!

argo submit --from cronwf/penguins-scoring --watch  # (4)!
mc ls "$BUCKET/penguins/scored/"  # (5)!
argo cron suspend penguins-scoring  # (6)!
