mc cp penguins_raw.csv "$BUCKET/penguins/penguins_raw.csv"  # (1)!

argo lint workflow.yaml  # (2)!

WORKFLOW=$(argo submit workflow.yaml --output name \
  --parameter image=registry.example.com/my-team/penguins-r:1.0.0)  # (3)!

argo watch "$WORKFLOW"  # (4)!
argo logs "$WORKFLOW"  # (5)!
argo get "$WORKFLOW"  # (6)!
argo cp "$WORKFLOW" results --template-name evaluate --artifact-name best  # (7)!
