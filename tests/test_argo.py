"""The Argo Workflows page: its manifest is valid Argo, its Hera twin cannot drift, its step
scripts run locally exactly as the workflow wires them, and its Dockerfiles are clean.

Every check is a function returning readable problems, so that each one is also run on a
deliberately broken input under tests/fixtures/argo/ and shown to fail.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hera.workflows.models import CronWorkflow, Workflow
from pydantic import ValidationError
from ruamel.yaml import YAML

from conftest import DOCS, ROOT, SNIPPETS, pages_including, require_runtime

ARGO = SNIPPETS / "argo"
FIXTURES = Path(__file__).parent / "fixtures" / "argo"
MANIFEST = ARGO / "workflow.yaml"
HERA_SCRIPT = ARGO / "workflow_hera.py"
CRON_MANIFEST = ARGO / "cronworkflow.yaml"  # the scheduled scoring job (issue 17)
CRON_HERA_SCRIPT = ARGO / "cronworkflow_hera.py"
MANIFESTS = (MANIFEST, CRON_MANIFEST)
KINDS = {"Workflow": Workflow, "CronWorkflow": CronWorkflow}  # hera's models of Argo's schema
SAMPLE_DATA = DOCS / "data" / "penguins_raw.csv"
LANGUAGES = ("python", "r")  # one image, one set of step scripts each
HADOLINT = Path(sys.executable).parent / "hadolint"

# Variables Argo itself provides to every template (a subset: the ones a pipeline like ours uses).
ARGO_GLOBALS = {"workflow.name", "workflow.namespace", "workflow.uid", "workflow.serviceAccountName",
                "workflow.creationTimestamp", "workflow.status", "workflow.duration"}
TAG = re.compile(r"{{\s*(.*?)\s*}}")
KeyPath = tuple  # a key path into the manifest, e.g. ("spec", "templates", 0, "name")


# --- where a problem is: page, tab, file and line --------------------------------------------

def included_by(snippet: Path) -> list[str]:
    """'docs/argo.en.md line 40, tab "YAML"' for every page line that includes `snippet`."""
    return [f"{page.relative_to(ROOT)} line {line}" + (f', tab "{tab}"' if tab else "")
            for page, line, tab in pages_including(snippet)]


def located(snippet: Path, line: int | None, message: str) -> str:
    """One readable problem: the file and line, the pages (and tabs) that show it, the message."""
    where = f"{snippet.relative_to(ROOT)}" + (f" line {line}" if line else "")
    pages = included_by(snippet)
    return f"{where}{' (shown in ' + '; '.join(pages) + ')' if pages else ''}: {message}"


def line_of(text: str, path: KeyPath) -> int | None:
    """Line (1-based) of the deepest node of `path` that exists in the YAML text."""
    node, line = YAML().load(text), None
    for key in path:
        try:
            line = (node.lc.key(key) if isinstance(key, str) else node.lc.item(key))[0] + 1
            node = node[key]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return line


def workflow_spec(manifest: dict) -> tuple[KeyPath, dict]:
    """Where the workflow spec is: `spec` of a Workflow, `spec.workflowSpec` of a CronWorkflow."""
    if manifest.get("kind") == "CronWorkflow":
        return ("spec", "workflowSpec"), manifest.get("spec", {}).get("workflowSpec", {})
    return ("spec",), manifest.get("spec", {})


def dotted(path: KeyPath) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


# --- check 1: YAML parses; the manifest is an Argo Workflow and no key is silently dropped ----

def load_manifest(file: Path) -> tuple[dict | None, list[str]]:
    try:
        return yaml.safe_load(file.read_text()), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [located(file, mark.line + 1 if mark else None, f"YAML does not parse: {error}")]


def dropped_keys(given: object, kept: object, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Key paths present in the input but absent from the model's dump: keys Argo would ignore."""
    if isinstance(given, dict) and isinstance(kept, dict):
        for key, value in given.items():
            if key not in kept:
                yield (*path, key)
            else:
                yield from dropped_keys(value, kept[key], (*path, key))
    elif isinstance(given, list) and isinstance(kept, list):
        for index, (value, kept_value) in enumerate(zip(given, kept)):
            yield from dropped_keys(value, kept_value, (*path, index))


def schema_problems(file: Path) -> list[str]:
    manifest, problems = load_manifest(file)
    if problems:
        return problems
    text = file.read_text()
    if manifest.get("kind") not in KINDS:
        return [located(file, line_of(text, ("kind",)), f"kind: {manifest.get('kind')!r} is none of {sorted(KINDS)}")]
    try:
        model = KINDS[manifest["kind"]].model_validate(manifest)
    except ValidationError as error:
        return [located(file, line_of(text, item["loc"]), f"{dotted(item['loc'])}: {item['msg']}")
                for item in error.errors()]
    dump = model.model_dump(by_alias=True, exclude_unset=True, mode="json")
    return [located(file, line_of(text, path), f"{dotted(path)}: unknown key, Argo would silently ignore it")
            for path in dropped_keys(manifest, dump)]


# --- check 2: every name the manifest uses is declared ---------------------------------------

def strings(node: object, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, (*path, index))
    elif isinstance(node, str):
        yield path, node


def names(items: list[dict] | None) -> list[str]:
    return [item["name"] for item in items or []]


def task_dependencies(task: dict) -> list[str]:
    """Task names in `dependencies:` or in a `depends:` expression ("a && (b.Succeeded || c)")."""
    in_expression = re.findall(r"[\w-]+", re.sub(r"\.\w+", "", task.get("depends", "")))
    return list(task.get("dependencies", [])) + in_expression


def has_source(artifact: dict) -> bool:
    return any(key in artifact for key in ("from", "fromExpression", "s3", "http", "git", "raw",
                                          "gcs", "oss", "hdfs", "azure", "artifactory"))


def reference_problems(file: Path) -> list[str]:
    manifest, problems = load_manifest(file)
    if problems:
        return problems
    text, (at, spec) = file.read_text(), workflow_spec(manifest)
    found: list[tuple[KeyPath, str]] = []
    templates = {template["name"]: template for template in spec.get("templates", [])}
    if spec.get("entrypoint") not in templates:
        found.append(((*at, "entrypoint"), f"entrypoint {spec.get('entrypoint')!r} names no template"))
    workflow_scope = ARGO_GLOBALS | {f"workflow.parameters.{name}"
                                     for name in names(spec.get("arguments", {}).get("parameters"))}

    def check_tags(node: object, path: KeyPath, scope: set[str]) -> None:
        for where, value in strings(node, path):
            for tag in TAG.findall(value):
                if tag not in scope:
                    found.append((where, f"{{{{{tag}}}}} refers to nothing declared here"))

    for t_index, template in enumerate(spec.get("templates", [])):
        t_path = (*at, "templates", t_index)
        inputs = template.get("inputs", {})
        scope = workflow_scope | {f"inputs.parameters.{name}" for name in names(inputs.get("parameters"))} \
            | {f"inputs.artifacts.{name}" for name in names(inputs.get("artifacts"))}
        if "dag" not in template:
            check_tags(template, t_path, scope)
            continue
        tasks = {task["name"]: task for task in template["dag"].get("tasks", [])}
        for k_index, task in enumerate(template["dag"].get("tasks", [])):
            k_path = (*t_path, "dag", "tasks", k_index)
            callee = templates.get(task.get("template"))
            if callee is None:
                message = f"task {task['name']}: template {task.get('template')!r} does not exist"
                found.append(((*k_path, "template"), message))
            for dependency in task_dependencies(task):
                if dependency not in tasks:
                    message = f"task {task['name']} depends on {dependency!r}, which is not a task of this DAG"
                    found.append(((*k_path, "depends"), message))
            task_scope = scope | set(upstream_outputs(task["name"], tasks, templates))
            items = task.get("withItems")
            if items is not None or "withParam" in task or "withSequence" in task:
                task_scope.add("item")
                if items and all(isinstance(item, dict) for item in items):  # fields every item has
                    task_scope |= {f"item.{field}" for field in set.intersection(*(set(i) for i in items))}
            check_tags({key: value for key, value in task.items() if key != "name"}, k_path, task_scope)
            if callee is not None:
                found += argument_problems(task, callee, k_path)
    return [located(file, line_of(text, path), f"{dotted(path)}: {message}") for path, message in found]


def upstream_outputs(task_name: str, tasks: dict, templates: dict) -> Iterator[str]:
    """`tasks.T.outputs...` names a task may use: those of the tasks it (transitively) depends on."""
    seen, todo = set(), [task_name]
    while todo:
        for dependency in task_dependencies(tasks.get(todo.pop(), {})):
            if dependency in tasks and dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    for name in seen:
        outputs = templates.get(tasks[name].get("template"), {}).get("outputs", {})
        yield from (f"tasks.{name}.outputs.parameters.{p}" for p in names(outputs.get("parameters")))
        yield from (f"tasks.{name}.outputs.artifacts.{a}" for a in names(outputs.get("artifacts")))
        yield from (f"tasks.{name}.{field}" for field in ("outputs.result", "status", "id", "ip"))


def argument_problems(task: dict, callee: dict, path: KeyPath) -> list[tuple[KeyPath, str]]:
    """A task passes exactly the inputs its template declares, and every one it needs."""
    found = []
    for kind in ("parameters", "artifacts"):
        given = names(task.get("arguments", {}).get(kind))
        declared = callee.get("inputs", {}).get(kind, [])
        for name in sorted(set(given) - set(names(declared))):
            message = f"passes {kind[:-1]} {name!r}, which template {callee['name']} does not declare"
            found.append(((*path, "arguments", kind), f"task {task['name']} {message}"))
        for item in declared:
            has_default = ("value" in item or "default" in item) if kind == "parameters" \
                else has_source(item) or item.get("optional", False)
            if item["name"] not in given and not has_default:
                message = f"does not pass {kind[:-1]} {item['name']!r}, which template {callee['name']} needs"
                found.append((path, f"task {task['name']} {message}"))
    return found


# --- check 3: the step scripts run locally, wired exactly as the workflow wires them ---------

class LocalRunError(Exception):
    pass


def installed_commands(dockerfile: Path) -> tuple[dict[str, Path], list[str]]:
    """Commands an image installs (`COPY src /usr/local/bin/name`) -> the local source file."""
    commands, problems = {}, []
    for number, line in enumerate(dockerfile.read_text().splitlines(), 1):
        words = [word for word in line.split() if not word.startswith("--")]
        if words[:1] == ["COPY"]:
            *sources, destination = words[1:]
            for source in sources:
                if not (dockerfile.parent / source).is_file():
                    problems.append(located(dockerfile, number, f"COPY source {source} does not exist"))
                name = PurePosixPath(source).name if destination.endswith("/") else PurePosixPath(destination).name
                commands[name] = dockerfile.parent / source
    return commands, problems


def substitute(text: str, scope: dict[str, str], where: str) -> str:
    def value(match: re.Match) -> str:
        if match[1] not in scope:
            raise LocalRunError(f"{where}: {{{{{match[1]}}}}} has no value")
        return scope[match[1]]
    return TAG.sub(value, text)


def store(source: Path, target: Path, archive: bool) -> None:
    """Save an output as Argo does: a tar.gz by default, the raw file or folder with `archive: none`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if archive:
        with tarfile.open(target, "w:gz") as tar:
            tar.add(source, arcname=source.name)
    elif source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        shutil.copy(source, target)


def load(source: Path, target: Path) -> None:
    """Place an input as Argo does: a tarball is unpacked to the path, anything else copied there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_file() and tarfile.is_tarfile(source):
        with tarfile.open(source) as tar:
            [member] = [m for m in tar.getmembers() if "/" not in m.name]  # the archived file or folder
            # The tests made this tarball themselves; the "data" filter (refuse absolute paths,
            # links out) exists from Python 3.11.4 on, and Debian 12's python3 is 3.11.2.
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(target.parent / ".unpacked", **safe)
            shutil.move(target.parent / ".unpacked" / member.name, target)
            shutil.rmtree(target.parent / ".unpacked")
    elif source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy(source, target)


def run_python(script: Path, args: list[str]) -> str:
    """Run a Python step as `python script args`, in this interpreter so imports load once."""
    out, argv = io.StringIO(), sys.argv
    sys.argv = [str(script), *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            runpy.run_path(str(script), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            raise LocalRunError(f"{script.name} exited with {exit_.code}:\n{out.getvalue()}") from None
    except Exception as error:
        raise LocalRunError(f"{script.name} failed: {error!r}\n{out.getvalue()}") from error
    finally:
        sys.argv = argv
    return out.getvalue()


def run_r(script: Path, args: list[str]) -> str:
    done = subprocess.run(["Rscript", str(script), *args], capture_output=True, text=True,
                          env={**os.environ, "TZ": "UTC"}, timeout=120, check=False)
    if done.returncode != 0:
        raise LocalRunError(f"{script.name} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def run_workflow_locally(manifest: dict, commands: dict[str, Path], run: Callable[[Path, list[str]], str],
                         root: Path, uploads: dict[str, Path], parameters: dict[str, str] | None = None) -> Path:
    """Execute the entrypoint DAG on this machine and return the bucket folder.

    Each task runs in its own folder standing for the container's file system; the "bucket"
    folder stands for the default S3 artifact repository (key-only artifacts live at their key,
    other outputs are handed from task to task). `uploads` are files a reader puts in the
    bucket before submitting (key -> local file); `parameters` are given at submission
    (`argo submit -p name=value`). An entrypoint that is a container runs as a one-task DAG.
    """
    _, spec = workflow_spec(manifest)
    templates = {template["name"]: template for template in spec["templates"]}
    bucket = root / "bucket"
    for key, file in uploads.items():
        store(file, bucket / key, archive=False)
    workflow_scope = {f"workflow.parameters.{p['name']}": str(p.get("value", ""))
                      for p in spec.get("arguments", {}).get("parameters", [])} | {"workflow.name": "local-run"}
    workflow_scope |= {f"workflow.parameters.{name}": value for name, value in (parameters or {}).items()}
    entry = templates[spec["entrypoint"]]
    tasks = entry["dag"]["tasks"] if "dag" in entry else [{"name": entry["name"], "template": entry["name"]}]
    handed_over: dict[str, Path] = {}  # "tasks.T.outputs.artifacts.A" -> stored output
    for task in dag_order(tasks):
        branches = task.get("withItems") or [None]
        for index, item in enumerate(branches):
            name = task["name"] if item is None else f"{task['name']}({index})"
            scope = workflow_scope | item_scope(item)
            arguments = {a["name"]: a for kind in ("parameters", "artifacts")
                         for a in task.get("arguments", {}).get(kind, [])}
            outputs = run_pod(templates[task["template"]], arguments, scope, commands, run,
                              root / "pods" / name.replace("(", "-").rstrip(")"), bucket, handed_over, name)
            if item is None:  # Argo offers no `tasks.T.outputs` of a fanned-out task
                handed_over |= {f"tasks.{task['name']}.outputs.artifacts.{k}": v for k, v in outputs.items()}
    return bucket


def item_scope(item: object) -> dict[str, str]:
    if item is None:
        return {}
    fields = {f"item.{key}": str(value) for key, value in item.items()} if isinstance(item, dict) else {}
    return {"item": json.dumps(item) if isinstance(item, dict) else str(item), **fields}


def dag_order(tasks: list[dict]) -> list[dict]:
    """Tasks in an order where each comes after the tasks it depends on."""
    done: list[dict] = []
    pending = list(tasks)
    while pending:
        ready = [t for t in pending if set(task_dependencies(t)) <= {d["name"] for d in done}]
        if not ready:
            raise LocalRunError(f"tasks {[t['name'] for t in pending]} wait on each other or on a missing task")
        done += ready
        pending = [t for t in pending if t not in ready]
    return done


def run_pod(template: dict, arguments: dict, scope: dict[str, str], commands: dict[str, Path],
            run: Callable[[Path, list[str]], str], pod: Path, bucket: Path,
            handed_over: dict[str, Path], task: str) -> dict[str, Path]:
    inputs = template.get("inputs", {})
    for parameter in inputs.get("parameters", []):
        given = arguments.get(parameter["name"], parameter)
        scope = scope | {f"inputs.parameters.{parameter['name']}":
                         substitute(str(given.get("value", "")), scope, f"task {task}")}
    for artifact in inputs.get("artifacts", []):
        given = arguments.get(artifact["name"], artifact)
        if "from" in given:
            source = handed_over.get(TAG.fullmatch(given["from"].strip())[1])
        else:
            source = bucket / substitute(given.get("s3", {}).get("key", ""), scope, f"task {task}")
        if source is None or not source.exists():
            raise LocalRunError(f"task {task}: input artifact {artifact['name']!r}: nothing stored at "
                                f"{given.get('from') or source.relative_to(bucket)}")
        load(source, pod / artifact["path"].lstrip("/"))

    container = template["container"]
    if container["command"][0] not in commands:
        raise LocalRunError(f"task {task}: the image installs no command {container['command'][0]!r}")
    args = [substitute(arg, scope, f"task {task}") for arg in container.get("args", [])]
    args = [str(pod / arg.lstrip("/")) if arg.startswith("/") else arg for arg in args]  # container paths
    try:
        run(commands[container["command"][0]], args)
    except LocalRunError as error:
        raise LocalRunError(f"task {task}: {error}") from None

    stored = {}
    for artifact in template.get("outputs", {}).get("artifacts", []):
        produced = pod / artifact["path"].lstrip("/")
        if not produced.exists():
            raise LocalRunError(f"task {task}: output artifact {artifact['name']!r} was not written "
                                f"at {artifact['path']}")
        archive = "none" not in artifact.get("archive", {})
        key = substitute(artifact.get("s3", {}).get("key", f"local-run/{pod.name}/{artifact['name']}.tgz"),
                         scope, f"task {task}")
        store(produced, bucket / key, archive)
        stored[artifact["name"]] = bucket / key
    return stored


# --- check 4: Dockerfiles ---------------------------------------------------------------------

def hadolint_problems(dockerfile: Path) -> list[str]:
    done = subprocess.run([str(HADOLINT), "--no-color", str(dockerfile)],
                          capture_output=True, text=True, check=False)  # findings exit non-zero
    return [located(dockerfile, int(m[1]) if (m := re.search(r":(\d+) ", line)) else None,
                    line.split(" ", 1)[-1])
            for line in done.stdout.splitlines() if line.strip()]


def pinned(text: str) -> dict[str, str]:
    return {name.lower(): version for name, version in re.findall(r"([A-Za-z0-9_.-]+)==([\w.]+)", text)}


def pin_problems(dockerfile: Path) -> list[str]:
    """Packages the image pins must have the versions the tests run the scripts with."""
    tested = pinned((ROOT / "requirements.txt").read_text())
    return [located(dockerfile, None, f"pins {name}=={version}, requirements.txt has "
                                      f"{name}=={tested.get(name)}: the tests would prove another version")
            for name, version in pinned(dockerfile.read_text()).items() if tested.get(name) != version]


def command_problems(dockerfile: Path, manifest_file: Path) -> list[str]:
    """Every command the workflow's containers call must be installed by the image."""
    commands, _ = installed_commands(dockerfile)
    templates = workflow_spec(yaml.safe_load(manifest_file.read_text()))[1]["templates"]
    return [located(dockerfile, None, f"installs no command {name!r}, which {manifest_file.name} calls")
            for name in sorted({t["container"]["command"][0] for t in templates if "container" in t})
            if name not in commands]


# --- check 5: Hera writes the YAML shown on the page ------------------------------------------

def comparable(manifest: dict) -> dict:
    """Templates keyed by name: their order in the list means nothing to Argo."""
    copy = json.loads(json.dumps(manifest))
    spec = workflow_spec(copy)[1]
    spec["templates"] = {t["name"]: t for t in spec.get("templates", [])}
    return copy


def differences(left: object, right: object, path: KeyPath = ()) -> Iterator[str]:
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            if key not in right:
                yield f"{dotted((*path, key))}: only in the YAML"
            elif key not in left:
                yield f"{dotted((*path, key))}: only in Hera's output"
            else:
                yield from differences(left[key], right[key], (*path, key))
    elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (a, b) in enumerate(zip(left, right)):
            yield from differences(a, b, (*path, index))
    elif left != right:
        yield f"{dotted(path)}: YAML has {left!r}, Hera writes {right!r}"


def hera_problems(hera_script: Path, manifest_file: Path, workdir: Path, writes: str = "workflow.yaml") -> list[str]:
    cwd = Path.cwd()
    os.chdir(workdir)  # the script writes workflow.yaml into the folder it runs in
    try:
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            namespace = runpy.run_path(str(hera_script), run_name="__main__")
    finally:
        os.chdir(cwd)
    problems = [located(hera_script, None, f"prints {printed.getvalue()!r}; it should print nothing")] \
        if printed.getvalue() else []
    written = yaml.safe_load((workdir / writes).read_text())
    if written != namespace["w"].to_dict():
        problems.append(located(hera_script, None, f"{writes} it writes differs from w.to_dict()"))
    shown, _ = load_manifest(manifest_file)
    return problems + [located(manifest_file, None, difference)
                       for difference in differences(comparable(shown), comparable(written))]


# === the tests ===============================================================================

@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: path.name)
def test_manifest_is_a_valid_argo_workflow_with_no_ignored_key(manifest):
    problems = schema_problems(manifest)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: path.name)
def test_manifest_references_resolve(manifest):
    problems = reference_problems(manifest)
    assert not problems, "\n".join(problems)


def cron_shape_problems(file: Path) -> list[str]:
    """The shape the page describes: one scoring container, on a schedule, never two at once."""
    manifest = yaml.safe_load(file.read_text())
    _, spec = workflow_spec(manifest)
    cron, templates = manifest.get("spec", {}), spec.get("templates", [])
    entry = next((t for t in templates if t["name"] == spec.get("entrypoint")), {})
    checks = [
        (bool(cron.get("schedules")), "spec.schedules: no schedule"),
        (cron.get("concurrencyPolicy") == "Forbid", "spec.concurrencyPolicy: not Forbid, two runs could overlap"),
        (bool(cron.get("timezone")), "spec.timezone: missing, the schedule would follow the controller's clock"),
        (entry.get("container", {}).get("command") == ["penguins-score"],
         "the entrypoint does not run the images' penguins-score command"),
        (bool(entry.get("container", {}).get("resources", {}).get("requests")),
         "the scoring step requests no resources"),
        (all(p.get("value") for p in spec.get("arguments", {}).get("parameters", [])),
         "a parameter has no default"),
    ]
    return [located(file, None, message) for passed, message in checks if not passed]


def test_cron_manifest_is_a_scheduled_scoring_job():
    problems = cron_shape_problems(CRON_MANIFEST)
    assert not problems, "\n".join(problems)


def test_cron_checks_fail_on_a_broken_cron_manifest():
    broken = FIXTURES / "cron_broken.yaml"
    schema = "\n".join(schema_problems(broken))
    expected = "cron_broken.yaml line 10: spec.concurencyPolicy: unknown key, Argo would silently ignore it"
    assert expected in schema, schema
    shape = "\n".join(cron_shape_problems(broken))
    assert "cron_broken.yaml: spec.concurrencyPolicy: not Forbid, two runs could overlap" in shape, shape
    references = "\n".join(reference_problems(broken))
    assert "spec.workflowSpec.templates[0].inputs.artifacts[0].s3.key: " \
           "{{workflow.parameters.model_key}} refers to nothing declared here" in references, references


def test_manifest_has_a_parallel_sweep_between_preprocess_and_evaluate():
    """The shape the page describes: preprocess -> fan-out of train -> evaluate, with resources."""
    spec = yaml.safe_load(MANIFEST.read_text())["spec"]
    templates = {t["name"]: t for t in spec["templates"]}
    tasks = {t["name"]: t for t in templates[spec["entrypoint"]]["dag"]["tasks"]}
    assert task_dependencies(tasks["train"]) == ["preprocess"]
    assert task_dependencies(tasks["evaluate"]) == ["train"]
    assert len(tasks["train"]["withItems"]) > 1, "the sweep must fan out"
    assert all(p.get("value") for p in spec["arguments"]["parameters"]), "every parameter has a default"
    for template in templates.values():
        if "container" in template:
            assert template["container"]["resources"]["requests"], f"{template['name']} requests no resources"


@pytest.mark.parametrize("fixture, expected", [
    ("indentation.yaml", "workflow.yaml line 9: YAML does not parse"),
    ("typo_key.yaml", "spec.entrypont: unknown key, Argo would silently ignore it"),
    ("wrong_type.yaml", "spec.templates[1].container.args: Input should be a valid list"),
])
def test_schema_check_fails_on_broken_manifests(fixture, expected):
    problems = schema_problems(FIXTURES / fixture)
    assert any(expected.replace("workflow.yaml", fixture) in p for p in problems), problems


def test_reference_check_fails_on_every_kind_of_dangling_name():
    problems = "\n".join(reference_problems(FIXTURES / "dangling_references.yaml"))
    for expected in [
        "entrypoint 'pipline' names no template",
        "template 'trian' does not exist",
        "depends on 'prepocess', which is not a task of this DAG",
        "{{item.tree}} refers to nothing declared here",
        "{{tasks.preprocess.outputs.artifacts.dataset}} refers to nothing declared here",
        "{{workflow.parameters.sed}} refers to nothing declared here",
        "{{inputs.parameters.n_trees}} refers to nothing declared here",
        "task evaluate does not pass artifact 'data', which template evaluate needs",
    ]:
        assert expected in problems, f"missing {expected!r} in:\n{problems}"
    assert "dangling_references.yaml line " in problems


def test_messages_name_the_page_and_tab():
    [problem] = [located(MANIFEST, 3, "example")]
    assert 'docs/argo.en.md line' in problem and 'tab "YAML"' in problem, problem
    assert 'docs/argo.fr.md line' in problem, problem


@pytest.fixture(scope="module")
def sample_data() -> Path:
    if not SAMPLE_DATA.is_file():
        pytest.fail(f"{SAMPLE_DATA.relative_to(ROOT)} is missing: run scripts/make_data.py", pytrace=False)
    return SAMPLE_DATA


def rscript_or_skip() -> None:
    if shutil.which("Rscript") is None:
        require_runtime("Rscript is not installed: the R steps of the Argo page are NOT checked")


@pytest.mark.parametrize("language", LANGUAGES)
def test_steps_run_locally_in_dag_order(language, sample_data, tmp_path):
    if language == "r":
        rscript_or_skip()
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands, problems = installed_commands(ARGO / language / "Dockerfile")
    assert problems == []
    data_key = next(p["value"] for p in manifest["spec"]["arguments"]["parameters"] if p["name"] == "data-key")
    try:
        bucket = run_workflow_locally(manifest, commands, run_python if language == "python" else run_r,
                                      tmp_path, uploads={data_key: sample_data})
    except LocalRunError as error:
        pytest.fail(located(MANIFEST, None, f"local run with the {language} image: {error}"), pytrace=False)

    dag = next(t for t in manifest["spec"]["templates"] if t["name"] == manifest["spec"]["entrypoint"])["dag"]
    sweep = next(task for task in dag["tasks"] if task["name"] == "train")["withItems"]
    candidates = sorted(p.name for p in (bucket / "local-run" / "candidates").iterdir())
    assert candidates == sorted(f"trees-{i['trees']}-features-{i['features']}" for i in sweep)
    load(bucket / "local-run" / "evaluate" / "best.tgz", tmp_path / "best")
    metrics = json.loads((tmp_path / "best" / "metrics.json").read_text())
    assert metrics["candidates_compared"] == len(sweep)
    assert metrics["test_accuracy"] > 0.9, metrics
    assert {"model.skops", "model.rds"} & {p.name for p in (tmp_path / "best").iterdir()}


def test_local_run_fails_when_artifacts_do_not_meet(sample_data, tmp_path):
    """The fixture forgets `archive: none`: evaluate would receive tarballs instead of folders."""
    manifest = yaml.safe_load((FIXTURES / "archived_candidates.yaml").read_text())
    commands, _ = installed_commands(ARGO / "python" / "Dockerfile")
    with pytest.raises(LocalRunError, match=r"task evaluate: evaluate\.py failed: NotADirectoryError"):
        run_workflow_locally(manifest, commands, run_python, tmp_path,
                             uploads={"penguins/penguins_raw.csv": sample_data})


@pytest.mark.parametrize("language", LANGUAGES)
def test_dockerfile_passes_hadolint_and_installs_the_workflow_commands(language):
    dockerfile = ARGO / language / "Dockerfile"
    problems = installed_commands(dockerfile)[1] + hadolint_problems(dockerfile) \
        + command_problems(dockerfile, MANIFEST) + command_problems(dockerfile, CRON_MANIFEST) \
        + pin_problems(dockerfile)
    assert not problems, "\n".join(problems)
    assert language == "r" or pinned(dockerfile.read_text()), "the Python image pins its packages"


def test_dockerfile_checks_fail_on_a_broken_dockerfile():
    broken = FIXTURES / "bad.Dockerfile"
    problems = "\n".join(installed_commands(broken)[1] + hadolint_problems(broken)
                         + command_problems(broken, MANIFEST) + pin_problems(broken))
    assert "bad.Dockerfile line 7: COPY source missing.py does not exist" in problems, problems
    assert "DL3007" in problems and "bad.Dockerfile line 3" in problems, problems  # FROM ...:latest
    assert "installs no command 'penguins-train', which workflow.yaml calls" in problems, problems
    assert "pins pandas==2.2.0, requirements.txt has pandas==" in problems, problems


@pytest.mark.parametrize("hera_script, manifest", [(HERA_SCRIPT, MANIFEST), (CRON_HERA_SCRIPT, CRON_MANIFEST)],
                         ids=["workflow", "cronworkflow"])
def test_hera_writes_the_yaml_shown_on_the_page(hera_script, manifest, tmp_path):
    problems = hera_problems(hera_script, manifest, tmp_path, writes=manifest.name)
    assert not problems, "\n".join(problems)


def test_hera_check_fails_when_the_tabs_drift(tmp_path):
    problems = "\n".join(hera_problems(FIXTURES / "drift_hera.py", FIXTURES / "drift.yaml", tmp_path))
    assert "drift.yaml: spec.arguments.parameters[0].value: YAML has '7', Hera writes '42'" in problems, problems
