REGISTRY=registry.example.com/my-team  # (1)!

docker build --tag "$REGISTRY/penguins-python:1.0.0" python/  # (2)!
docker build --tag "$REGISTRY/penguins-r:1.0.0" r/
docker push "$REGISTRY/penguins-python:1.0.0"
docker push "$REGISTRY/penguins-r:1.0.0"
