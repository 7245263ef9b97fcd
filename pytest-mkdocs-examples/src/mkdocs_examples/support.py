"""Small helpers for a site's own tests and scripts, shared with the plugin:

- `site(root)`: the MkDocs site (languages, page URLs, site_url) read as the plugin reads it;
- `serve(folder, prefix)`: a built site on 127.0.0.1, under the path of its site_url, answering
  like GitHub Pages (a missing file gets the root 404.html), quietly;
- `free_port()`, `fetch(url)`: a free port on 127.0.0.1, and a page's text or "" while nothing
  answers there yet (for polling a server that is starting);
- `require_runtime(missing)`: a runtime a test needs is absent: a failure when runtimes are
  required (--mkdocs-examples-require-runtimes, its ini option, or CI=true), else a skip whose
  reason pytest counts and lists (`-ra`).
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import sys
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from .site import Site, load_site

# Why runtimes are required ("" when they are not): set by the plugin from its options; before
# pytest configures (a script), CI=true alone decides.
REQUIRE_RUNTIMES = "CI=true" if os.environ.get("CI", "").lower() == "true" else ""


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
