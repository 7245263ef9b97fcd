#!/usr/bin/env python
"""Benchmark: build, live reload, examples and page weight, as ratios to their limits.

    .venv/bin/python scripts/bench.py            # everything (a few minutes)
    .venv/bin/python scripts/bench.py --quick    # one run each, growth 1x and 4x only

Prints one Markdown table. Each row: what was measured, the value, its limit, value/limit,
and whether the target is met. Everything runs in temporary copies of the project, on
127.0.0.1 only; nothing here is a test (timings vary with the machine), it is a measurement.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TZ": "UTC"}
PROJECT_FILES = ("mkdocs.yml", "docs", "overrides", "snippets", "pytest.ini",
                 "pytest-mkdocs-examples")


@dataclass
class Row:
    what: str
    value: float
    unit: str
    limit: float | None = None
    note: str = ""

    def cells(self) -> list[str]:
        if self.limit is None:
            return [self.what, f"{self.value:.3g} {self.unit}", "", "", self.note]
        ratio = self.value / self.limit
        verdict = "met" if ratio <= 1 else "**missed**"
        return [self.what, f"{self.value:.3g} {self.unit}", f"{self.limit:g} {self.unit}",
                f"{ratio:.2f} ({verdict})", self.note]


def print_table(rows: list[Row]) -> None:
    header = ["measurement", "value", "limit", "ratio to limit", "note"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row.cells()) + " |")


# -- temporary project copies ---------------------------------------------------------------

def copy_project(dest: Path, replicas: int = 1) -> Path:
    """Copy the site sources to dest; with replicas > 1, each page is repeated under new names."""
    for name in PROJECT_FILES:
        src = ROOT / name
        if not src.exists():
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    if replicas > 1:
        replicate_pages(dest, replicas)
    return dest


def replicate_pages(project: Path, replicas: int) -> None:
    """Add copies k=2..replicas of every Markdown page, and put them in the nav."""
    config_path = project / "mkdocs.yml"
    text = config_path.read_text()
    docs = project / "docs"
    pages = sorted({p.name.split(".")[0] for p in docs.glob("*.en.md")})
    extra_nav = []
    for k in range(2, replicas + 1):
        for page in pages:
            for lang in ("en", "fr"):
                src = docs / f"{page}.{lang}.md"
                (docs / f"{page}-copy{k}.{lang}.md").write_text(src.read_text())
            extra_nav.append(f"  - Copy {k} of {page}: {page}-copy{k}.md")
    text = text.replace("\nnav:\n", "\nnav:\n" + "\n".join(extra_nav) + "\n", 1)
    config_path.write_text(text)


def plugin_names(config_text: str) -> list:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    Loader.add_multi_constructor("!", lambda *_: None)
    return yaml.load(config_text, Loader=Loader).get("plugins", [])


def monolingual_config(project: Path) -> Path:
    """The same pages (both languages' files, as plain pages) and theme, without the i18n plugin."""
    plugins = [p for p in plugin_names((project / "mkdocs.yml").read_text())
               if not (isinstance(p, dict) and "i18n" in p) and p != "i18n"]
    child = project / "mkdocs-monolingual.yml"
    (project / "no-overrides").mkdir(exist_ok=True)  # ours read the i18n plugin's context
    # INHERIT merges dictionaries but replaces lists: plugins and nav are replaced here.
    child.write_text(yaml.safe_dump({
        "INHERIT": "mkdocs.yml",
        "plugins": plugins,
        "theme": {"custom_dir": "no-overrides"},
        "hooks": [],   # the project's hooks exist for i18n (parity of pages, notebooks under i18n)
        "nav": None,   # every page, both languages, as ordinary pages
        "validation": {"omitted_files": "info", "not_found": "info", "anchors": "info",
                       "unrecognized_links": "info", "absolute_links": "info"},
    }))
    return child


# -- measurements ---------------------------------------------------------------------------

def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def build_time(project: Path, config: str = "mkdocs.yml", runs: int = 3,
               strict: bool = True) -> float:
    cmd = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(project / "site")]
    if strict:
        cmd.append("--strict")
    return statistics.median(timed(cmd, project) for _ in range(runs))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_until(predicate, timeout: float, interval: float = 0.02) -> float:
    """Seconds until predicate() is true; raises TimeoutError after timeout seconds."""
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(interval)
    return time.perf_counter() - start


def live_reload_time(project: Path, runs: int = 3) -> float:
    """From saving a snippet to `mkdocs serve` serving the page that includes it, changed."""
    snippet = project / "snippets/training/python/step1_libraries.py"
    page_url = "/training/"
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env={**ENV, "SITE_URL": f"http://127.0.0.1:{port}/"},  # as scripts/serve.sh
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}{page_url}"
        wait_until(lambda: "</html>" in fetch(url), timeout=120, interval=0.2)
        original = snippet.read_text()
        times = []
        for run in range(runs):
            token = f"bench_token_{run}_{time.time_ns()}"
            time.sleep(1.0)  # let the watcher settle after the previous rebuild
            start = time.perf_counter()
            snippet.write_text(original + f"# {token}\n")
            wait_until(lambda token=token: token in fetch(url), timeout=60)
            times.append(time.perf_counter() - start)
        snippet.write_text(original)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=10)


def serve_directory(directory: Path):
    """The built site on 127.0.0.1, quietly (the harness's server); yields the base URL."""
    from mkdocs_examples.support import serve

    return serve(directory)


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(path, bytes, requests, third-party requests) of a cold load of every page."""
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    results = []
    with serve_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        for page_path in pages:
            context = browser.new_context()  # fresh context: a cold cache for every page
            page = context.new_page()
            sizes, third_party = [], 0

            def on_finished(request, sizes=sizes):  # this page's list (the handler outlives the loop)
                nonlocal third_party
                if not request.url.startswith(base) and not request.url.startswith("data:"):
                    third_party += 1
                sizes.append(request.sizes()["responseBodySize"]
                             + request.sizes()["responseHeadersSize"])
            page.on("requestfinished", on_finished)
            page.on("requestfailed", lambda r, sizes=sizes: sizes.append(0))
            url = f"{base}{page_path.removesuffix('index.html')}"
            page.goto(url, wait_until="networkidle")
            results.append((url.removeprefix(base), sum(sizes), len(sizes), third_party))
            context.close()
        browser.close()
    return results


def examples_overhead() -> list[Row]:
    """Harness vs bare (`python -` / `Rscript -` on the concatenated session), per language."""
    from mkdocs_examples import benchmark  # the harness's own bare/harness runner

    totals: dict[str, list[float]] = {}
    benchmark.ROOT = ROOT  # the site's root, whatever folder this script was started from
    for nodeid, bare_cpu, harness_cpu in benchmark.main(["--repeat", "2"]):
        language = nodeid.rsplit("::", 1)[1]
        bare, harness = totals.setdefault(language, [0.0, 0.0])
        totals[language] = [bare + bare_cpu, harness + harness_cpu]
    return [Row(f"examples, {language}: harness / bare (CPU)", harness / bare, "x", 1.10,
                f"harness {harness:.1f} s, bare {bare:.1f} s of CPU")
            for language, (bare, harness) in totals.items()]


def examples_time(project: Path, workers: int) -> float:
    """Wall time of every example of the site through the harness (`pytest docs`)."""
    cmd = [PYTHON, "-m", "pytest", "docs", "-q", "-p", "no:cacheprovider"]
    if workers > 1:
        cmd += ["-n", str(workers)]
    return timed(cmd, project)


# -- main -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each, growth 1x and 4x")
    args = parser.parse_args()
    runs = 1 if args.quick else 5
    growth = (1, 4) if args.quick else (1, 4, 16)
    rows: list[Row] = []

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        project = copy_project(Path(tmp) / "x1")

        bilingual = build_time(project, runs=runs)
        rows.append(Row("`mkdocs build --strict` (median)", bilingual, "s", 3.0,
                        f"median of {runs}"))
        plain = build_time(project, monolingual_config(project).name, runs=runs, strict=False)
        rows.append(Row("same pages and theme, no i18n plugin", plain, "s", None,
                        f"bilingual/plain = {bilingual / plain:.2f}x: the cost of bilingualism"))

        rows.append(Row("live reload: save snippet -> page served", live_reload_time(
            project, runs=max(runs // 2, 1)), "s", 2.0, "`mkdocs serve`, training page"))

        site = Path(tmp) / "site"
        timed([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
        weights = page_weights(site)
        heaviest = max(weights, key=lambda w: w[1])
        rows.append(Row(f"cold page load, heaviest ({heaviest[0]})", heaviest[1] / 1000, "KB",
                        400, f"{heaviest[2]} requests"))
        rows.append(Row("cold page load, median over pages",
                        statistics.median(w[1] for w in weights) / 1000, "KB", 400,
                        f"{len(weights)} pages"))
        rows.append(Row("third-party requests, all pages", sum(w[3] for w in weights),
                        "requests", None, "target 0"))

        rows.extend(examples_overhead())
        serial = examples_time(project, workers=1)
        parallel = examples_time(project, workers=2)
        rows.append(Row("all examples, serial", serial, "s", None, "`pytest docs`"))
        rows.append(Row("all examples, `pytest -n 2`", parallel, "s", None,
                        f"{serial / parallel:.2f}x faster than serial"))

        base: dict[str, float] = {}
        for factor in growth:
            grown = copy_project(Path(tmp) / f"g{factor}", replicas=factor)
            for what, seconds in (
                ("build", build_time(grown, runs=1 if factor > 1 else runs)),
                ("examples (-n 2)", examples_time(grown, workers=2)),
            ):
                base.setdefault(what, seconds)
                rows.append(Row(f"growth {factor}x pages: {what}", seconds, "s", None,
                                f"{seconds / base[what]:.2f}x of 1x (linear: {factor}x)"))

    print_table(rows)


if __name__ == "__main__":
    main()
