"""The training pipeline of workflow.yaml, written in Python with Hera."""

from pathlib import Path

from hera.workflows import (
    DAG,
    Artifact,
    Container,
    NoneArchiveStrategy,
    Parameter,
    Resources,
    S3Artifact,
    Workflow,
)

IMAGE = "{{workflow.parameters.image}}"  # (1)!
SWEEP = [  # (2)!
    {"trees": 50, "features": 1},
    {"trees": 50, "features": 2},
    {"trees": 150, "features": 1},
    {"trees": 150, "features": 2},
]
CANDIDATES = "{{workflow.name}}/candidates"  # (3)!

with Workflow(
    generate_name="penguins-training-",
    entrypoint="pipeline",
    arguments=[
        Parameter(name="image",
                  value="registry.example.com/my-team/penguins-python:1.0.0"),
        Parameter(name="data-key", value="penguins/penguins_raw.csv"),
        Parameter(name="seed", value="42"),
    ],
) as w:
    preprocess = Container(
        name="preprocess",
        image=IMAGE,
        command=["penguins-preprocess"],
        args=["--input", "/tmp/raw/penguins_raw.csv",
              "--output-dir", "/tmp/data",
              "--seed", "{{workflow.parameters.seed}}"],
        inputs=[S3Artifact(name="raw", path="/tmp/raw/penguins_raw.csv",
                           key="{{workflow.parameters.data-key}}")],
        outputs=[Artifact(name="data", path="/tmp/data")],
        resources=Resources(cpu_request="250m", memory_request="256Mi",
                            memory_limit="512Mi"),
    )
    train = Container(
        name="train",
        image=IMAGE,
        command=["penguins-train"],
        args=["--data-dir", "/tmp/data",
              "--n-trees", "{{inputs.parameters.n-trees}}",
              "--max-features", "{{inputs.parameters.max-features}}",
              "--seed", "{{workflow.parameters.seed}}",
              "--output-dir", "/tmp/candidate"],
        inputs=[Parameter(name="n-trees"), Parameter(name="max-features"),
                Artifact(name="data", path="/tmp/data")],
        outputs=[S3Artifact(
            name="candidate", path="/tmp/candidate",
            archive=NoneArchiveStrategy(),
            key=CANDIDATES + "/trees-{{inputs.parameters.n-trees}}"
                             "-features-{{inputs.parameters.max-features}}",
        )],
        resources=Resources(cpu_request="1", memory_request="1Gi",
                            memory_limit="2Gi"),
    )
    evaluate = Container(
        name="evaluate",
        image=IMAGE,
        command=["penguins-evaluate"],
        args=["--data-dir", "/tmp/data", "--candidates-dir", "/tmp/candidates",
              "--output-dir", "/tmp/best"],
        inputs=[Artifact(name="data", path="/tmp/data"),
                S3Artifact(name="candidates", path="/tmp/candidates",
                           key=CANDIDATES)],
        outputs=[Artifact(name="best", path="/tmp/best")],
        resources=Resources(cpu_request="250m", memory_request="512Mi",
                            memory_limit="1Gi"),
    )

    with DAG(name="pipeline"):
        prepared = preprocess()
        candidates = train(
            arguments=[
                Parameter(name="n-trees", value="{{item.trees}}"),
                Parameter(name="max-features", value="{{item.features}}"),
                prepared.get_artifact("data"),
            ],
            with_items=SWEEP,
        )
        best = evaluate(arguments=[prepared.get_artifact("data")])
        prepared >> candidates >> best

Path("workflow.yaml").write_text(w.to_yaml())  # (4)!
