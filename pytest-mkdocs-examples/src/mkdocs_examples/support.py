"""Small helpers for a site's own tests and scripts, shared with the plugin:

- `site(root)`: the MkDocs site (languages, page URLs, site_url) read as the plugin reads it;
- `serve(folder, prefix)`: a built site on 127.0.0.1, under the path of its site_url, answering
  like GitHub Pages (a missing file gets the root 404.html), quietly;
- `free_port()`, `fetch(url)`: a free port on 127.0.0.1, and a page's text or "" while nothing
  answers there yet (for polling a server that is starting);
- `cached_folder(cache, inputs, make)`: a folder that `make` fills (say, models trained by a
  page's code), made once per content of its inputs and shared by the tests of a run, its
  xdist workers included, and by later runs;
- `require_runtime(missing)`: a runtime a test needs is absent: a failure when runtimes are
  required (--mkdocs-examples-require-runtimes, its ini option, or CI=true), else a skip whose
  reason pytest counts and lists (`-ra`).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from .site import Site, load_site

# Why runtimes are required ("" when they are not): set by the plugin from its options; before
# pytest configures (a script), CI=true alone decides.
REQUIRE_RUNTIMES = "CI=true" if os.environ.get("CI", "").lower() == "true" else ""


# Headless Chromium as Debian packages it (no browser download), with the flags that keep it
# from calling home: for the browser checks of a site's tests and for its benchmark.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_chromium(playwright):
    """CHROMIUM, started by a Playwright (sync API) instance."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def require_runtime(missing: str) -> None:
    """Fail (runtimes required) or skip, naming what is missing and how to get it."""
    if REQUIRE_RUNTIMES:
        pytest.fail(f"{missing} ({REQUIRE_RUNTIMES}: a missing runtime is a failure)", pytrace=False)
    pytest.skip(missing)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str:
    """The text at `url`, or "" when nothing answers (yet) or it answers with an error."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:  # URLError, HTTPError, refused, reset, timed out
        return ""


def site(root: Path, configs: list[str] | None = None) -> Site:
    """The site of `root` (its mkdocs.yml, or the configs given)."""
    return load_site([root / name for name in configs or ["mkdocs.yml"]])


def canonical_site(root: Path, configs: list[str] | None = None) -> Site:
    """The site as published: `!ENV [SITE_URL, default]` gives its default, whatever SITE_URL a
    preview sets (what generated files such as notebooks link to must not depend on it)."""
    saved = os.environ.pop("SITE_URL", None)
    try:
        return site(root, configs)
    finally:
        if saved is not None:
            os.environ["SITE_URL"] = saved


def site_path(site_url: str | None) -> str:
    """`/aaw-ml-training/` for https://statcan.github.io/aaw-ml-training/; `/` without one."""
    return (urllib.parse.urlsplit(site_url or "/").path.rstrip("/") or "") + "/"


class GitHubPagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder under a path prefix; a missing file gets the root 404.html, status 404."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        path = urllib.parse.urlsplit(path).path
        if not path.startswith(self.prefix):
            return ""  # not part of the site: 404
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args):  # quiet: what is wrong is reported by whoever asked
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A client that moves on drops connections mid-answer; that is not the site's fault."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path, prefix: str = "/", handler: type = GitHubPagesLikeHandler):
    """Serve `folder` on 127.0.0.1 (a free port) under `prefix`; yields the base URL.
    `handler` may be a subclass of GitHubPagesLikeHandler (e.g. one that compresses)."""
    handler = type("Handler", (handler,), {"prefix": prefix})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# --- a folder made once per content of its inputs ---------------------------------------------

COMPLETE = ".inputs.json"  # written last: a folder without it was never finished


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def content_key(inputs: Mapping[str, str | bytes]) -> str:
    """The SHA-256 of every input (name and content): what the cached folder is keyed by."""
    digest = hashlib.sha256()
    for name in sorted(inputs):
        data = _bytes(inputs[name])
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def cached_folder(cache: Path | None, inputs: Mapping[str, str | bytes],
                  make: Callable[[Path], None], keep: int = 16) -> Path:
    """The folder that `make(folder)` fills, from `cache`/KEY when it was made before from the
    same `inputs` (KEY = content_key(inputs): give every input, e.g. the code it runs, its
    data, the versions of the runtime and packages). The first caller makes it while holding a
    lock, so that other processes (xdist workers) wait and reuse it; an exception in `make`
    leaves nothing behind. Callers must not change the folder: copy it. Only the `keep` newest
    entries stay in `cache`. `cache=None` (caching off): a new temporary folder, made every
    time."""
    if cache is None:
        folder = Path(tempfile.mkdtemp(prefix="uncached-"))
        make(folder)
        return folder
    key = content_key(inputs)
    entry = cache / key
    if (entry / COMPLETE).is_file():
        return entry
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process ends
        if (entry / COMPLETE).is_file():  # made by another process meanwhile
            return entry
        work = Path(tempfile.mkdtemp(prefix=f".{key[:16]}-", dir=cache))
        try:
            make(work)
            names = {name: hashlib.sha256(_bytes(value)).hexdigest()
                     for name, value in inputs.items()}
            (work / COMPLETE).write_text(json.dumps(names, indent=1, sort_keys=True))
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        shutil.rmtree(entry, ignore_errors=True)  # an unfinished one
        work.rename(entry)
    _prune(cache, keep)
    return entry


def _prune(cache: Path, keep: int) -> None:
    """Each change of the inputs makes a new entry: only the newest `keep` stay."""
    finished = sorted((folder for folder in cache.iterdir() if (folder / COMPLETE).is_file()),
                      key=lambda folder: (folder / COMPLETE).stat().st_mtime, reverse=True)
    for old in finished[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        (cache / f"{old.name}.lock").unlink(missing_ok=True)
