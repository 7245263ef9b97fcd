"""Step 6 deploys for real (issue 17): the prediction services of the training page, started on
127.0.0.1 from the very snippet files the page includes, queried with the page's example
request (their answer must be the response the page shows) and with bad input (each must get a
4xx that names the field, never a 500 or an answer), then stopped.

The models are trained here, in a fresh folder, by steps 1-5 and the save part of step 6, as a
reader would; the services then run in that folder. Every check is a function returning
readable problems, so that a deliberately broken service (tests/fixtures/deploy/) shows it fails.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import pytest
import yaml
from test_argo import (
    ARGO,
    CRON_MANIFEST,
    LocalRunError,
    installed_commands,
    located,
    run_python,
    run_r,
    run_workflow_locally,
    workflow_spec,
)
from test_tutorial_deploy import TrainingFailed, section, trained, tutorial

from conftest import DOCS, ROOT, SNIPPETS, require_runtime
from mkdocs_examples.support import free_port

TRAINING = SNIPPETS / "training"
FIXTURES = ROOT / "tests" / "fixtures" / "deploy"
REQUEST = TRAINING / "step6_request.json"
CLIENT = TRAINING / "step6_predict.sh"
PAGE_PORT = "8000"  # the port the page's commands use; the tests use a free one
STARTUP_TIMEOUT = 60  # seconds for a service to answer /health
REQUEST_TIMEOUT = 30
SERVICES = {
    "python": {"service": TRAINING / "python" / "step6_service.py", "model": "penguin_model.skops",
               "serve": TRAINING / "python" / "step6_serve.sh",
               "response": TRAINING / "python" / "step6_response.json",
               "deploy": TRAINING / "python" / "step6_deploy.py"},
    "r": {"service": TRAINING / "r" / "step6_service.R", "model": "penguin_model.rds",
          "serve": TRAINING / "r" / "step6_serve.sh",
          "response": TRAINING / "r" / "step6_response.json",
          "deploy": TRAINING / "r" / "step6_deploy.R"},
}
ENV = {**os.environ, "TZ": "UTC", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1",
       "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}


def require(program: str, why: str) -> None:
    """A missing runtime is a counted skip here, a failure under require-runtimes (CI=true)."""
    if shutil.which(program) is None:
        require_runtime(f"{program} is not installed: {why} is NOT checked")


# --- the model, trained as the page trains it --------------------------------------------------

def train(language: str, folder: Path) -> Path:
    """Steps 1-5 and step 6's save section, in `folder` (a copy of docs/data/); the model file.
    The trained folder is the one tests/test_tutorial_deploy.py trains (and caches by content)."""
    try:
        shutil.copytree(trained(language, tutorial(language)[0]), folder, dirs_exist_ok=True)
    except TrainingFailed as error:
        pytest.fail(f"training the {language} model (steps 1-6 of docs/training.en.md) failed:\n"
                    f"{error}", pytrace=False)
    return folder / SERVICES[language]["model"]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """language -> the saved model file, trained once per test module and language on demand."""
    trained: dict[str, Path] = {}

    class Models(dict):
        def __missing__(self, language: str) -> Path:
            if language == "r":
                require("Rscript", "the R service")
            trained[language] = train(language, tmp_path_factory.mktemp(f"model-{language}"))
            self[language] = trained[language]
            return trained[language]

    yield Models()


# --- a service, started from the page's own command --------------------------------------------

class ServiceError(Exception):
    pass


def serve_command(serve_script: Path, port: int) -> list[str]:
    """The page's start command, on `port`; `uvicorn` is run by this interpreter's module."""
    [line] = [line for line in serve_script.read_text().splitlines() if line.strip()]
    if PAGE_PORT not in line or "127.0.0.1" not in line:
        raise ServiceError(located(serve_script, 1, f"the command must bind 127.0.0.1 port {PAGE_PORT}"))
    words = shlex.split(line.replace(PAGE_PORT, str(port)))
    return [sys.executable, "-m", "uvicorn", *words[1:]] if words[0] == "uvicorn" else words


def http(url: str, body: bytes | None = None, content_type: str = "application/json") -> tuple[int, str]:
    """(status, text) of a GET (no body) or POST; never through a proxy."""
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": content_type} if body is not None else {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@contextmanager
def running(service: Path, serve_script: Path, model: Path, folder: Path) -> Iterator[str]:
    """Start `service` (copied next to `model` under the page's file name) with the page's command
    on a free port of 127.0.0.1; yield its base URL; always stop it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(model, folder / model.name)
    shutil.copy(service, folder / f"step6_service{service.suffix}")  # the name the command uses
    port = free_port()
    command = serve_command(serve_script, port)
    log = (folder / "service.log").open("w")
    process = subprocess.Popen(command, cwd=folder, env=ENV, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                tail = (folder / "service.log").read_text()[-2000:]
                raise ServiceError(located(service, None, f"the service stopped (exit {process.returncode}) "
                                           f"before answering /health:\n{tail}"))
            try:
                if http(f"{url}/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServiceError(located(service, None, f"no answer on /health after {STARTUP_TIMEOUT} s"))
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def services(models, tmp_path_factory) -> Iterator[dict[str, str]]:
    """language -> base URL of the page's service, started once per module on demand."""
    stack: list = []

    class Services(dict):
        def __missing__(self, language: str) -> str:
            spec = SERVICES[language]
            context = running(spec["service"], spec["serve"], models[language],
                              tmp_path_factory.mktemp(f"service-{language}"))
            try:
                self[language] = context.__enter__()
            except ServiceError as error:
                pytest.fail(str(error), pytrace=False)
            stack.append(context)
            return self[language]

    yield Services()
    for context in reversed(stack):
        context.__exit__(None, None, None)


# --- check 1: the page's example request gets the response the page shows ----------------------

def run_client(client: Path, url: str, folder: Path) -> str:
    """The page's curl command, sent to `url` instead of port 8000, from a folder holding the
    request file it names."""
    shutil.copy(REQUEST, folder / REQUEST.name)
    command = client.read_text().replace(f"http://127.0.0.1:{PAGE_PORT}", url)
    done = subprocess.run(["bash", "-c", command], cwd=folder, env=ENV, capture_output=True, text=True,
                          timeout=REQUEST_TIMEOUT, check=False)
    if done.returncode != 0:
        raise ServiceError(located(client, None, f"the request fails: {done.stderr.strip()}"))
    return done.stdout


def step6_shown(deploy: Path) -> list[tuple[str, float]]:
    """(species, probability) of each bird, as step 6's `#>` table shows them (last two columns)."""
    rows = [line.split()[1:] for line in section(deploy, "load").splitlines() if line.startswith("#>")]
    return [(row[-2], float(row[-1])) for row in rows if row and row[0].isdigit()]


def example_problems(language: str, url: str, folder: Path, shown_file: Path | None = None) -> list[str]:
    spec = SERVICES[language]
    shown_file = shown_file or spec["response"]
    problems = []
    answer = run_client(CLIENT, url, folder)
    try:
        got = json.loads(answer)
    except json.JSONDecodeError:
        return [located(spec["service"], None, f"the example request got no JSON: {answer[:500]!r}")]
    shown = json.loads(shown_file.read_text())
    if got != shown:
        problems.append(located(shown_file, None, f"the page shows {json.dumps(shown)}, "
                                                  f"the service answers {json.dumps(got)}"))
    # The service must agree with step 6, which predicted the same four birds from the CSV file.
    answered = [(p["species"], max(p["probabilities"].values())) for p in got.get("predictions", [])]
    if answered != step6_shown(spec["deploy"]):
        problems.append(located(spec["service"], None, f"answers {answered} for the birds of "
                                                       f"new_penguins.csv; step 6 shows {step6_shown(spec['deploy'])}"))
    return problems


# --- check 2: bad input gets a 4xx that names the field, never a 500 or an answer ---------------

def bad_requests() -> Iterator[tuple[str, bytes, str, str | None]]:
    """(what is wrong, body, content type, the field the answer must name)."""
    good = json.loads(REQUEST.read_text())["birds"]

    def batch(change) -> bytes:
        birds = json.loads(json.dumps(good))
        change(birds)
        return json.dumps({"birds": birds}).encode()

    yield "unknown island", batch(lambda b: b[0].update(island="Atlantis")), "application/json", "island"
    yield "missing measurement", batch(lambda b: b[1].pop("body_mass_g")), "application/json", "body_mass_g"
    yield "measurement as text", batch(lambda b: b[2].update(culmen_length_mm="long")), \
        "application/json", "culmen_length_mm"
    yield "number as a string", batch(lambda b: b[2].update(culmen_depth_mm="18.3")), \
        "application/json", "culmen_depth_mm"
    yield "null measurement", batch(lambda b: b[3].update(flipper_length_mm=None)), \
        "application/json", "flipper_length_mm"
    yield "negative measurement", batch(lambda b: b[0].update(culmen_depth_mm=-1)), \
        "application/json", "culmen_depth_mm"
    yield "impossible mass", batch(lambda b: b[0].update(body_mass_g=50000)), "application/json", "body_mass_g"
    yield "unknown sex", batch(lambda b: b[0].update(sex="unknown")), "application/json", "sex"
    yield "unknown field", batch(lambda b: b[0].update(colour="blue")), "application/json", "colour"
    yield "empty batch", b'{"birds": []}', "application/json", "birds"
    yield "a bird instead of a batch", json.dumps(good[0]).encode(), "application/json", "birds"
    yield "malformed JSON", b'{"birds": [{"island": ', "application/json", None


def bad_input_problems(url: str, service: Path) -> list[str]:
    problems = []
    status, text = http(f"{url}/health")
    if status != 200 or json.loads(text).get("status") != "ok":
        problems.append(located(service, None, f"/health answered {status} {text[:200]!r}"))
    for what, body, content_type, field in bad_requests():
        status, text = http(f"{url}/predict", body, content_type)
        if status not in (400, 422):
            problems.append(located(service, None, f"{what}: answered {status} {text[:200]!r}; "
                                                   f"expected 422 or 400" + (f" naming {field!r}" if field else "")))
        elif field and f'"{field}"' not in text:
            problems.append(located(service, None, f"{what}: answered {status} without naming {field!r}: "
                                                   f"{text[:300]!r}"))
    return problems


# === the tests ================================================================================

LANGUAGES = list(SERVICES)


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_service_answers_the_page_example_with_the_shown_response(language, services, tmp_path):
    require("curl", "the page's example request")
    try:
        problems = example_problems(language, services[language], tmp_path)
    except ServiceError as error:
        problems = [str(error)]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_service_rejects_bad_input_naming_the_field(language, services):
    problems = bad_input_problems(services[language], SERVICES[language]["service"])
    assert not problems, "\n".join(problems)


def request_problems(request: Path) -> list[str]:
    """The example request is step 6's new_penguins.csv, so that its answers can be compared."""
    import pandas as pd
    birds = pd.read_csv(DOCS / "data" / "new_penguins.csv").astype(object)
    rows = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in birds.to_dict("records")]
    sent = json.loads(request.read_text()).get("birds")
    return [] if sent == rows else [located(request, None, f"sends {sent}; new_penguins.csv holds {rows}")]


def test_page_commands_bind_loopback_on_the_documented_port():
    for spec in SERVICES.values():
        command = " ".join(serve_command(spec["serve"], 1234))
        assert "127.0.0.1" in command and "1234" in command and PAGE_PORT not in command, command
    assert f"http://127.0.0.1:{PAGE_PORT}/predict" in CLIENT.read_text()
    assert REQUEST.name in CLIENT.read_text()


def test_request_holds_the_birds_of_new_penguins_csv():
    problems = request_problems(REQUEST)
    assert not problems, "\n".join(problems)


def test_command_check_fails_on_a_service_open_to_every_address():
    with pytest.raises(ServiceError, match=r"tests/fixtures/deploy/serve_all_addresses\.sh line 1: "
                                           r"the command must bind 127\.0\.0\.1 port 8000"):
        serve_command(FIXTURES / "serve_all_addresses.sh", 1234)


def test_request_check_fails_on_other_birds():
    problems = "\n".join(request_problems(FIXTURES / "other_birds_request.json"))
    assert "tests/fixtures/deploy/other_birds_request.json: sends [" in problems, problems


# --- the checks fail on broken inputs ------------------------------------------------------------

@pytest.mark.slow
def test_bad_input_check_fails_on_a_service_without_validation(models, tmp_path):
    broken = FIXTURES / "unvalidated_service.py"
    with running(broken, SERVICES["python"]["serve"], models["python"], tmp_path) as url:
        problems = "\n".join(bad_input_problems(url, broken))
    assert "tests/fixtures/deploy/unvalidated_service.py: measurement as text: answered 500" in problems, problems
    # Worse than a 500: a wrong answer. The encoder ignores the unknown island, the imputer
    # fills the missing mass, and the service predicts as if nothing were wrong.
    assert "unknown island: answered 200" in problems and "missing measurement: answered 200" in problems, problems


@pytest.mark.slow
def test_example_check_fails_when_the_shown_response_is_wrong(services, tmp_path):
    require("curl", "the page's example request")
    wrong = FIXTURES / "wrong_response.json"
    problems = "\n".join(example_problems("python", services["python"], tmp_path, shown_file=wrong))
    assert "tests/fixtures/deploy/wrong_response.json: the page shows" in problems, problems
    assert '"Chinstrap": 0.97' in problems and '"Chinstrap": 0.98' in problems, problems


@pytest.mark.slow
def test_a_service_that_cannot_start_is_reported_with_its_log(models, tmp_path):
    broken = FIXTURES / "untrusting_service.py"
    with pytest.raises(ServiceError) as caught, \
            running(broken, SERVICES["python"]["serve"], models["python"], tmp_path):
        pass
    message = str(caught.value)
    assert "tests/fixtures/deploy/untrusting_service.py: the service stopped" in message, message
    assert "UntrustedTypesFoundException" in message, message


def test_messages_name_the_page_and_tab():
    message = located(SERVICES["r"]["service"], None, "example")
    assert "docs/training.en.md line" in message and 'tab "R"' in message, message
    assert "docs/training.fr.md line" in message, message


# --- the scheduled scoring job: its step runs locally, in the image of the Argo page -----------

def run_scoring_job(language: str, model: Path, root: Path, commands: dict[str, Path] | None = None) -> Path:
    """Run the CronWorkflow's entrypoint as test_argo runs the training DAG: the reader's model and
    new file at their keys in the bucket, the image's `penguins-score` command. The scored file."""
    manifest = yaml.safe_load(CRON_MANIFEST.read_text())
    _, spec = workflow_spec(manifest)
    defaults = {p["name"]: p["value"] for p in spec["arguments"]["parameters"]}
    model_key = str(PurePosixPath(defaults["model-key"]).with_name(model.name))  # .skops or .rds
    if commands is None:
        commands, problems = installed_commands(ARGO / language / "Dockerfile")
        assert problems == [], problems
    bucket = run_workflow_locally(
        manifest, commands, run_python if language == "python" else run_r, root,
        uploads={model_key: model, defaults["input-key"]: DOCS / "data" / "new_penguins.csv"},
        parameters={"model-key": model_key},
    )
    [output] = [a for a in spec["templates"][0]["outputs"]["artifacts"]]
    return bucket / output["s3"]["key"].replace("{{workflow.name}}", "local-run")


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_scoring_job_runs_locally_and_agrees_with_step_6(language, models, tmp_path):
    try:
        scored = run_scoring_job(language, models[language], tmp_path)
    except LocalRunError as error:
        pytest.fail(located(CRON_MANIFEST, None, f"local run with the {language} image: {error}"), pytrace=False)
    with scored.open(newline="") as file:
        rows = list(csv.DictReader(file))
    with (DOCS / "data" / "new_penguins.csv").open(newline="") as file:
        birds = list(csv.DictReader(file))

    def value(text: str) -> float | str:  # 188 and 188.0 are the same measurement
        try:
            return float(text)
        except ValueError:
            return text

    kept = [{k: value(row[k]) for k in birds[0]} for row in rows]
    assert kept == [{k: value(v) for k, v in bird.items()} for bird in birds], \
        "the scored file keeps every input column and row"
    problems = scoring_problems(scored, language)
    assert not problems, "\n".join(problems)


def scoring_problems(scored: Path, language: str) -> list[str]:
    """The scored file must say what step 6 printed for the same birds with the same model."""
    with scored.open(newline="") as file:
        answered = [(row["predicted"], float(row["probability"])) for row in csv.DictReader(file)]
    shown = step6_shown(SERVICES[language]["deploy"])
    script = ARGO / language / ("score.py" if language == "python" else "score.R")
    return [] if answered == shown else [located(script, None, f"scores {answered}; step 6 shows {shown} "
                                                               f"for the same birds")]


def test_scoring_check_fails_on_a_wrong_scored_file():
    problems = "\n".join(scoring_problems(FIXTURES / "scored_wrong.csv", "python"))
    assert "snippets/argo/python/score.py (shown in docs/argo.en.md line" in problems, problems
    assert "scores [('Adelie', 1.0), ('Gentoo', 1.0), ('Gentoo', 0.98)" in problems, problems


def test_scoring_job_local_run_fails_when_the_step_fails(models, tmp_path):
    """The page's scoring step, broken by one edit: it loads the model without its trusted
    types, which skops refuses; the run must stop."""
    script = (ARGO / "python" / "score.py").read_text(encoding="utf-8")
    assert "trusted=TRUSTED_TYPES" in script, "cannot break score.py: it no longer passes trusted types"
    without_trust = tmp_path / "score_without_trust.py"
    without_trust.write_text(script.replace(", trusted=TRUSTED_TYPES", ""), encoding="utf-8")
    with pytest.raises(LocalRunError, match=r"task score: score_without_trust\.py failed: "
                                             r"UntrustedTypesFoundException"):
        run_scoring_job("python", models["python"], tmp_path / "run",
                        commands={"penguins-score": without_trust})


def version_problems(dockerfile: Path) -> list[str]:
    """The scoring image must install the library versions that step 6 writes down next to the
    model (its `#>` output, which the harness checks against this environment)."""
    written = dict(line.removeprefix("#> ").split("==") for line in
                   (TRAINING / "python" / "step6_versions.py").read_text().splitlines() if line.startswith("#> "))
    pinned = dict(re.findall(r"([A-Za-z0-9_.-]+)==([\w.]+)", dockerfile.read_text()))
    return [located(dockerfile, None, f"installs {name}=={pinned.get(name)}; the model was saved with "
                                      f"{name}=={version}")
            for name, version in written.items() if pinned.get(name) != version]


def test_scoring_image_has_the_versions_the_model_was_saved_with():
    problems = version_problems(ARGO / "python" / "Dockerfile")
    assert not problems, "\n".join(problems)


def test_version_check_fails_on_an_image_with_other_versions():
    problems = "\n".join(version_problems(ROOT / "tests" / "fixtures" / "argo" / "bad.Dockerfile"))
    assert "bad.Dockerfile: installs pandas==2.2.0; the model was saved with pandas==" in problems, problems
    assert "installs skops==None" in problems, problems
