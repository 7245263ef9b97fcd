#!/usr/bin/env python
"""Benchmark: build, live reload, page weight, search, examples and suite, as ratios to targets.

    .venv/bin/python scripts/bench.py            # everything (several minutes), recorded in
                                                 # CONTRIBUTING.md ("Speed" section)
    .venv/bin/python scripts/bench.py --quick    # one run each, growth 1x and 4x only
    .venv/bin/python scripts/bench.py --skip suite,growth --record   # some rows, recorded

Prints one Markdown table with every row of the speed targets (issue 16): the value, its
target, value/target, and whether the target is met; the machine's load average is printed
with it (timings on a shared machine are noisy). Everything runs in temporary copies of the
project, on 127.0.0.1 only, except the whole suite, which runs in the project as
`scripts/test.sh` does. Page weights are what a gzip-serving host (GitHub Pages) sends: the
local server compresses text as it does. Nothing here is a test, it is a measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import io
import mimetypes
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from mkdocs_examples.support import GitHubPagesLikeHandler, fetch, free_port, launch_chromium, serve

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
        if self.value != self.value:  # NaN: not measured in this run
            return [self.what, "not measured", f"{self.limit:g} {self.unit}", "", self.note]
        if self.limit == 0:
            verdict = "met" if self.value == 0 else "**missed**"
            return [self.what, f"{self.value:.3g} {self.unit}", f"0 {self.unit}",
                    f"- ({verdict})", self.note]
        ratio = self.value / self.limit
        verdict = "met" if ratio <= 1 else "**missed**"
        return [self.what, f"{self.value:.3g} {self.unit}", f"{self.limit:g} {self.unit}",
                f"{ratio:.2f} ({verdict})", self.note]


NOT_MEASURED = float("nan")


def table(rows: list[Row]) -> str:
    header = ["measurement", "value", "target", "ratio to target", "note"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return (f"{os.cpu_count()} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f} "
            f"(1 / 5 / 15 min), reference loop {reference_loop():.2f} s")


def reference_loop() -> float:
    """The machine's speed at the time: a fixed pure-Python loop, best of three (lower is
    faster). A shared machine's speed varies from hour to hour: a plain MkDocs build of this
    site took 0.93 s one day and 1.82 s the next; this says which kind of hour a run had."""
    def once() -> float:
        start = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        return time.perf_counter() - start
    return min(once() for _ in range(3))


RECORD_START = "<!-- bench.py results: start -->"
RECORD_END = "<!-- bench.py results: end -->"


def record(rows: list[Row], command: str, load_before: str, load_after: str) -> None:
    """Replace the results block of CONTRIBUTING.md (maintainer material, not a reader page)."""
    path = ROOT / "CONTRIBUTING.md"
    text = path.read_text(encoding="utf-8")
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = table(rows).splitlines()
    # A row this run skipped keeps the value of the run that measured it, saying when.
    earlier = re.search(r"Latest run: `[^`]*`, ([^;]+);(.*?)" + re.escape(RECORD_END), text,
                        flags=re.DOTALL)
    if earlier:
        measured = {line.split(" | ")[0]: line for line in earlier.group(2).splitlines()
                    if line.startswith("| ") and " | not measured | " not in line}
        for index, (row, line) in enumerate(zip(rows, lines[2:]), 2):
            previous = measured.get(line.split(" | ")[0])
            if row.value != row.value and previous:
                cells = [cell.strip() for cell in previous.strip().strip("|").split(" | ")]
                cells[-1] = f"{cells[-1]} (run of {earlier.group(1)})".strip()
                lines[index] = "| " + " | ".join(cells) + " |"
    block = "\n".join([
        RECORD_START,
        f"Latest run: `{command}`, {when}; machine: before, {load_before}; after, {load_after}.",
        "",
        *lines,
        RECORD_END,
    ])
    if RECORD_START in text:
        text = re.sub(re.escape(RECORD_START) + ".*?" + re.escape(RECORD_END), lambda _: block,
                      text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n## Speed (scripts/bench.py)\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


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


def plain_config(project: Path) -> Path:
    """The same Markdown (both languages' files, as plain pages) and theme, without any plugin
    or hook: what MkDocs itself costs for these pages."""
    child = project / "mkdocs-plain.yml"
    (project / "no-overrides").mkdir(exist_ok=True)  # ours read the i18n plugin's context
    # INHERIT merges dictionaries but replaces lists: plugins and nav are replaced here.
    child.write_text(yaml.safe_dump({
        "INHERIT": "mkdocs.yml",
        "plugins": [],
        "theme": {"custom_dir": "no-overrides"},
        "hooks": [],   # the project's hooks (i18n, notebooks, caches)
        "nav": None,   # every page, both languages, as ordinary pages
        "validation": {"omitted_files": "info", "not_found": "info", "anchors": "info",
                       "unrecognized_links": "info", "absolute_links": "info"},
    }))
    return child


# -- measurements ---------------------------------------------------------------------------

LAST_CPU: list[float] = []  # CPU seconds (user + system) of each timed command, in order


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True,
                            check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def build_time(project: Path, config: str = "mkdocs.yml", runs: int = 3,
               strict: bool = True) -> float:
    cmd = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(project / "site")]
    if strict:
        cmd.append("--strict")
    walls = [timed(cmd, project) for _ in range(runs)]
    build_time.cpu = statistics.median(LAST_CPU[-runs:])  # CPU seconds: what load does not inflate
    return statistics.median(walls)


def wait_until(predicate, timeout: float, interval: float = 0.02) -> float:
    """Seconds until predicate() is true; raises TimeoutError after timeout seconds."""
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(interval)
    return time.perf_counter() - start


def live_reload_times(project: Path, runs: int = 3) -> tuple[float, float]:
    """Seconds from saving a file to `mkdocs serve` serving the page with the change (medians):
    a snippet of the training page, and a paragraph of the Argo page."""
    edits = [  # (file, page, how to change it)
        ("snippets/training/python/step1_libraries.py", "training/",
         lambda text, token: text + f"# {token}\n"),
        ("docs/argo.en.md", "argo/", lambda text, token: text.replace("\n\n", f"\n\n{token}\n\n", 1)),
    ]
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env={**ENV, "SITE_URL": f"http://127.0.0.1:{port}/"},  # as scripts/serve.sh
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_until(lambda: "</html>" in fetch(base), timeout=180, interval=0.2)
        medians = []
        for relative, page, change in edits:
            path, url = project / relative, base + page
            original = path.read_text()
            times = []
            for run in range(runs):
                token = f"bench_token_{run}_{time.time_ns()}"
                time.sleep(1.0)  # let the watcher settle after the previous rebuild
                start = time.perf_counter()
                path.write_text(change(original, token))
                wait_until(lambda token=token, url=url: token in fetch(url), timeout=60, interval=0.01)
                times.append(time.perf_counter() - start)
            path.write_text(original)
            medians.append(statistics.median(times))
        return medians[0], medians[1]
    finally:
        server.terminate()
        server.wait(timeout=10)


# Types a gzip-serving host (GitHub Pages) compresses.
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/x-ipynb+json")
mimetypes.add_type("application/x-ipynb+json", ".ipynb")


@contextlib.contextmanager
def serve_directory(directory: Path, compress: bool = True):
    """Serve a built site on 127.0.0.1; with compress, text is sent gzipped when asked for."""

    class Compressing(GitHubPagesLikeHandler):
        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            wants = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (compress and wants and kind.startswith(COMPRESSED) and path.is_file()):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    with serve(directory, handler=Compressing) as base:
        yield base.rstrip("/")


@dataclass
class Weight:
    url: str
    bytes: int
    requests: int
    third_party: int
    search_bytes: int  # search index bytes fetched while the page loads


def page_weights(site: Path, compress: bool) -> list[Weight]:
    """A cold load of every page: bytes transferred (bodies and headers), requests."""
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    results = []
    with serve_directory(site, compress) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        for page_path in pages:
            context = browser.new_context()  # fresh context: a cold cache for every page
            page = context.new_page()
            sizes, third_party, search = [], 0, 0

            def on_finished(request, sizes=sizes):  # this page's list (the handler outlives the loop)
                nonlocal third_party, search
                if not request.url.startswith(base) and not request.url.startswith("data:"):
                    third_party += 1
                try:
                    found = request.sizes()
                except Exception:  # noqa: BLE001  (finished as the page closed: not counted)
                    return
                size = found["responseBodySize"] + found["responseHeadersSize"]
                sizes.append(size)
                if "search_index" in request.url:
                    search += size
            page.on("requestfinished", on_finished)
            page.on("requestfailed", lambda r, sizes=sizes: sizes.append(0))
            url = f"{base}/{page_path.removesuffix('index.html')}"
            page.goto(url, wait_until="networkidle")
            results.append(Weight(url.removeprefix(base), sum(sizes), len(sizes), third_party,
                                  search))
            context.close()
        browser.close()
    return results


def search_fetches(site: Path) -> dict[str, list[tuple[str, int]]]:
    """Per language, the search index files (path, bytes sent) fetched from opening the search
    on the training page until results show."""
    from playwright.sync_api import sync_playwright

    found = {}
    with serve_directory(site) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        for language, folder in (("en", ""), ("fr", "fr/")):
            context = browser.new_context()
            page = context.new_page()
            fetched = []
            page.goto(f"{base}/{folder}training/", wait_until="networkidle")
            page.on("requestfinished", lambda r, fetched=fetched: fetched.append(
                (r.url.removeprefix(base), r.sizes()["responseBodySize"]))
                if "search_index" in r.url else None)
            page.click("input.md-search__input")
            page.keyboard.type("argo")
            page.wait_for_selector(".md-search-result__item", timeout=20_000)
            found[language] = fetched
            context.close()
        browser.close()
    return found


def examples_overhead() -> list[Row]:
    """Harness vs bare (`python -` / `Rscript -` on the concatenated session), per language."""
    from mkdocs_examples import benchmark  # the harness's own bare/harness runner

    totals: dict[str, list[float]] = {}
    benchmark.ROOT = ROOT  # the site's root, whatever folder this script was started from
    # best of 3 interleaved pairs: on 2 vCPUs one process's CPU time rises when the other is busy
    for nodeid, bare_cpu, harness_cpu in benchmark.main(["--repeat", "3"]):
        language = nodeid.rsplit("::", 1)[1]
        bare, harness = totals.setdefault(language, [0.0, 0.0])
        totals[language] = [bare + bare_cpu, harness + harness_cpu]
    return [Row(f"examples, {language}: harness / bare (CPU)", harness / bare, "x", 1.10,
                f"harness {harness:.1f} s, bare {bare:.1f} s of CPU, best of 3")
            for language, (bare, harness) in totals.items()]


def examples_time(project: Path, workers: int, target: str = "docs") -> float:
    """Wall time of the examples through the harness (`pytest docs`, or one page)."""
    cmd = [PYTHON, "-m", "pytest", target, "-q", "-p", "no:cacheprovider"]
    if workers > 1:
        cmd += ["-n", str(workers)]
    return timed(cmd, project)


def suite_command() -> list[str]:
    """scripts/test.sh's own pytest command (its `exec` line, without "$@"), so that the two
    cannot drift apart (`.venv/bin/python -m pytest -n 2`)."""
    line = next(line for line in (ROOT / "scripts" / "test.sh").read_text().splitlines()
                if line.startswith("exec "))
    words = [word for word in shlex.split(line)[1:] if word != "$@"]
    assert words[1:3] == ["-m", "pytest"], f"scripts/test.sh no longer runs pytest: {line}"
    return [PYTHON, *words[1:]]


def busy_cpu_seconds() -> float | None:
    """CPU time the whole machine has spent busy since boot (Linux /proc/stat), else None.
    A process's own count misses Chromium: Playwright's driver does not wait for it."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = map(int, fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def suite_time() -> tuple[float, float | None]:
    """The whole suite, as scripts/test.sh runs it after set-up (in the project itself, with
    compiled modules cached as test.sh allows): wall seconds, and the machine's busy CPU
    seconds meanwhile (None where it cannot be read)."""
    env = {key: value for key, value in ENV.items() if key != "PYTHONDONTWRITEBYTECODE"}
    before = busy_cpu_seconds()
    wall = timed([*suite_command(), "-q", "-p", "no:cacheprovider"], ROOT, env)
    after = busy_cpu_seconds()
    return wall, None if before is None or after is None else after - before


# -- main -----------------------------------------------------------------------------------

GROUPS = ("build", "reload", "weight", "search", "examples", "suite", "growth")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each, growth 1x and 4x")
    parser.add_argument("--skip", default="", help=f"comma-separated groups not to measure: "
                        f"{', '.join(GROUPS)}")
    parser.add_argument("--record", action="store_true",
                        help="record the table in CONTRIBUTING.md (a full run always does)")
    args = parser.parse_args()
    skip = {name for name in args.skip.split(",") if name}
    unknown = skip - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    runs = 1 if args.quick else 5
    growth = (1, 4) if args.quick else (1, 4, 16)
    load_before = load_note()
    print(f"machine: {load_before}", file=sys.stderr)
    rows: list[Row] = []
    nm = NOT_MEASURED

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        project = copy_project(Path(tmp) / "x1")

        if "build" in skip:
            rows += [Row("`mkdocs build --strict`, both languages", nm, "s", 1.5),
                     Row("build / plain MkDocs build of the same Markdown, no plugins", nm, "x", 1.2)]
        else:
            cold = build_time(project, runs=1)  # empty .cache/: every notebook and page converted
            bilingual = build_time(project, runs=runs)
            cpu = build_time.cpu
            plain = build_time(project, plain_config(project).name, runs=runs, strict=False)
            plain_cpu = build_time.cpu
            rows.append(Row("`mkdocs build --strict`, both languages", bilingual, "s", 1.5,
                            f"median of {runs}, warm .cache/, CPU {cpu:.2f} s; cold (first) "
                            f"build {cold:.2f} s"))
            rows.append(Row("build / plain MkDocs build of the same Markdown, no plugins",
                            bilingual / plain, "x", 1.2,
                            f"plain: {plain:.2f} s (both languages' pages, no plugin or hook); "
                            f"CPU ratio {cpu / plain_cpu:.2f}x"))

        if "reload" in skip:
            rows += [Row("live reload: save a snippet -> page served with the change", nm, "s", 0.8),
                     Row("live reload: edit one page's prose -> page served", nm, "s", 0.5)]
        else:
            snippet, prose = live_reload_times(project, runs=runs)
            rows.append(Row("live reload: save a snippet -> page served with the change", snippet,
                            "s", 0.8, f"`mkdocs serve`, training page, median of {runs}"))
            rows.append(Row("live reload: edit one page's prose -> page served", prose, "s", 0.5,
                            f"`mkdocs serve`, argo page, median of {runs}"))

        site = Path(tmp) / "site"
        if not {"weight", "search"} <= skip:
            timed([PYTHON, "-m", "mkdocs", "build", "-q", "-d", str(site)], project)
        if "weight" in skip:
            rows += [Row("cold page load, median over pages (gzipped)", nm, "KB", 120),
                     Row("cold page load, heaviest page (gzipped)", nm, "KB", 200),
                     Row("cold page load, median over pages (uncompressed)", nm, "KB", 400),
                     Row("search index fetched while a page loads (all pages)", nm, "bytes", 0),
                     Row("third-party requests, all pages", nm, "requests", 0)]
        else:
            zipped = page_weights(site, compress=True)
            plain_weights = page_weights(site, compress=False)
            heaviest = max(zipped, key=lambda w: w.bytes)
            rows.append(Row("cold page load, median over pages (gzipped)",
                            statistics.median(w.bytes for w in zipped) / 1000, "KB", 120,
                            f"{len(zipped)} pages, every file fetched in Chromium"))
            rows.append(Row("cold page load, heaviest page (gzipped)", heaviest.bytes / 1000, "KB",
                            200, f"{heaviest.url}, {heaviest.requests} requests"))
            heaviest_plain = max(plain_weights, key=lambda w: w.bytes)
            rows.append(Row("cold page load, median over pages (uncompressed)",
                            statistics.median(w.bytes for w in plain_weights) / 1000, "KB", 400,
                            f"heaviest {heaviest_plain.url} {heaviest_plain.bytes / 1000:.0f} KB"))
            rows.append(Row("search index fetched while a page loads (all pages)",
                            sum(w.search_bytes for w in zipped), "bytes", 0,
                            "before the reader uses search"))
            rows.append(Row("third-party requests, all pages", sum(w.third_party for w in zipped),
                            "requests", 0, ""))

        if "search" in skip:
            rows.append(Row("search index of another language fetched on first search", nm,
                            "bytes", 0))
        else:
            fetches = search_fetches(site)
            other = sum(size for language, found in fetches.items() for url, size in found
                        if (url.startswith("/fr/") != (language == "fr")))
            own = "; ".join(f"{language}: " + (", ".join(f"{url} {size / 1000:.0f} KB gzipped"
                                                        for url, size in found) or "none")
                            for language, found in fetches.items())
            rows.append(Row("search index of another language fetched on first search", other,
                            "bytes", 0, own))

        if "suite" in skip:
            rows.append(Row("whole test suite (`pytest -n 2`, as scripts/test.sh)", nm, "s", 120))
        else:
            suite, cpu = suite_time()
            cores = os.cpu_count() or 1
            # The CPU the run used bounds its time from below, however the workers share it.
            used = "" if cpu is None else (f"; the machine was busy {cpu:.0f} CPU-s meanwhile, "
                                           f"at least {cpu / cores:.0f} s on {cores} cores")
            rows.append(Row("whole test suite (`pytest -n 2`, as scripts/test.sh)", suite, "s", 120,
                            "in the project, after set-up" + used))

        if "examples" in skip:
            rows.append(Row("`pytest docs/training.en.md` (one page's examples, warm)", nm, "s", 6))
        else:
            examples_time(project, workers=1, target="docs/training.en.md")  # warm
            page = statistics.median(examples_time(project, 1, "docs/training.en.md")
                                     for _ in range(max(runs // 2, 1)))
            rows.append(Row("`pytest docs/training.en.md` (one page's examples, warm)", page, "s",
                            6, f"median of {max(runs // 2, 1)}"))
            rows.extend(examples_overhead())
            serial = examples_time(project, workers=1)
            parallel = examples_time(project, workers=2)
            rows.append(Row("all examples, serial", serial, "s", None, "`pytest docs`"))
            rows.append(Row("all examples, `pytest -n 2`", parallel, "s", None,
                            f"{serial / parallel:.2f}x faster than serial"))

        if "growth" in skip:
            rows += [Row(f"growth {growth[-1]}x pages: cold build", nm, "x", 8),
                     Row(f"growth {growth[-1]}x pages: examples (-n 2)", nm, "x", 10)]
        else:
            base: dict[str, float] = {}
            limits = {"cold build": 8, "examples (-n 2)": 10}
            for factor in growth:
                grown = copy_project(Path(tmp) / f"g{factor}", replicas=factor)
                # The first build of a fresh copy, at every factor: the build CI makes from a
                # clean clone. (A median over warm builds at 1x against a cold one at 16x
                # compared the caches, not the growth.)
                cold = build_time(grown, runs=1)
                for what, seconds in (
                    ("cold build", cold),
                    ("examples (-n 2)", examples_time(grown, workers=2)),
                ):
                    base.setdefault(what, seconds)
                    if factor == 1:
                        continue
                    rows.append(Row(f"growth {factor}x pages: {what}", seconds / base[what], "x",
                                    limits[what] if factor == 16 else None,
                                    f"{seconds:.1f} s vs {base[what]:.1f} s at 1x (linear: {factor}x)"))

    load_after = load_note()
    print(f"machine: before, {load_before}; after, {load_after}")
    print(table(rows))
    if args.record or not (args.quick or skip):
        record(rows, " ".join(["scripts/bench.py", *sys.argv[1:]]), load_before, load_after)
        print("recorded in CONTRIBUTING.md", file=sys.stderr)


if __name__ == "__main__":
    main()
