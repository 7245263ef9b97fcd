"""The scheduled scoring job of cronworkflow.yaml, in Python with Hera."""

from pathlib import Path

from hera.workflows import (
    Container,
    CronWorkflow,
    NoneArchiveStrategy,
    Parameter,
    Resources,
    S3Artifact,
)

with CronWorkflow(
    name="penguins-scoring",
    schedules=["0 6 * * 1"],
    timezone="America/Toronto",
    concurrency_policy="Forbid",
    starting_deadline_seconds=3600,
    successful_jobs_history_limit=5,
    failed_jobs_history_limit=5,
    entrypoint="score",  # (1)!
    arguments=[
        Parameter(
            name="image",
            value="registry.example.com/my-team/penguins-python:1.0.0",
        ),
        Parameter(name="model-key", value="penguins/model/penguin_model.skops"),
        Parameter(name="input-key", value="penguins/incoming/new_penguins.csv"),
    ],
) as w:
    Container(
        name="score",
        image="{{workflow.parameters.image}}",
        command=["penguins-score"],
        args=[
            "--model", "/tmp/model/saved-model",
            "--input", "/tmp/input/birds.csv",
            "--output", "/tmp/output/scored.csv",
        ],
        inputs=[
            S3Artifact(name="model", path="/tmp/model/saved-model",
                       key="{{workflow.parameters.model-key}}"),
            S3Artifact(name="birds", path="/tmp/input/birds.csv",
                       key="{{workflow.parameters.input-key}}"),
        ],
        outputs=[S3Artifact(name="scored", path="/tmp/output/scored.csv",
                            archive=NoneArchiveStrategy(),
                            key="penguins/scored/{{workflow.name}}.csv")],
        resources=Resources(
            cpu_request="250m", memory_request="512Mi", memory_limit="1Gi"
        ),
    )

Path("cronworkflow.yaml").write_text(w.to_yaml())  # (2)!
