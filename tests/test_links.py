"""The external link checker (scripts/linkcheck.py), proven offline.

The checker itself needs network and is run by maintainers (`scripts/linkcheck.sh`). Here it
runs against a server started by the test on 127.0.0.1, on a free port, that answers 200, 404
and a redirect: no outside host is contacted (the network probe points at that server too).
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import subprocess
import sys
import threading

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "linkcheck.py"
ALLOWLIST = ROOT / "scripts" / "linkcheck-allowlist.txt"


class Answers(http.server.BaseHTTPRequestHandler):
    """/ok and /landing: 200, /moved: 301 to /landing, anything else (/missing, /allowed,
    /probe): 404. Remembers every path asked for."""

    requested: list[str]

    def do_GET(self):
        self.requested.append(self.path)
        if self.path in ("/ok", "/landing"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>ok</title>")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/landing")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    requested: list[str] = []
    handler = type("Handler", (Answers,), {"requested": requested})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requested
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, server):
    """A two-page built site whose links lead to the local server."""
    origin, _ = server
    root = tmp_path_factory.mktemp("linkcheck") / "site"
    root.mkdir()
    (root / "index.html").write_text(
        "<!doctype html><html lang=en><title>home</title><body>\n"
        f'<a href="{origin}/ok">fine</a>\n'
        f'<a href="{origin}/missing">gone</a>\n'
        f'<a href="{origin}/moved">moved</a>\n'
        f'<a href="{origin}/allowed">allowlisted</a>\n'
        '<a href="other/">inside the site</a>\n</body></html>\n')
    (root / "other").mkdir()
    (root / "other" / "index.html").write_text("<!doctype html><title>other</title>")
    (root.parent / "allowlist.txt").write_text("# the test's allowlist\n/allowed$\n")
    return root


def check(site, probe, *extra):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--site", str(site), "--probe", probe, "--timeout", "5",
         "--allowlist", str(site.parent / "allowlist.txt"),
         "--cache", str(site.parent / "cache.json"), *extra],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def first_run(site, server):
    """One run with an empty cache (LinkChecker takes seconds to start: runs are shared)."""
    origin, requested = server
    requested.clear()
    result = check(site, f"{origin}/probe")
    return result, list(requested)


def test_reports_broken_links_and_redirects_and_passes_good_ones(first_run, server):
    origin, _ = server
    result, requested = first_run
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"a 404 must fail the check:\n{output}"
    assert re.search(rf"BROKEN +{origin}/missing\n +404 Not Found", output), output
    assert re.search(rf"WARNING +{origin}/moved\n +.*Redirected to .*{origin}/landing", output), output
    assert not re.search(rf"(BROKEN|WARNING) +{origin}/ok\b", output), output
    assert "3 external links checked: 1 ok, 1 broken, 1 redirected" in output, output
    assert "/allowed" not in requested, "an allowlisted URL was contacted"


def test_cache_skips_links_that_passed_recently(first_run, site, server):
    origin, requested = server
    cache = json.loads((site.parent / "cache.json").read_text())
    assert set(cache) == {f"{origin}/ok"}, "only a link that passed cleanly is cached"
    requested.clear()
    result = check(site, f"{origin}/probe")
    assert "/ok" not in requested and "/missing" in requested, requested
    assert "2 external links checked: 0 ok, 1 broken, 1 redirected" in result.stdout, result.stdout
    requested.clear()
    check(site, f"{origin}/probe", "--no-cache")
    assert "/ok" in requested, "--no-cache must contact every link again"


def test_without_network_it_says_so_and_fails(site, server):
    _, requested = server
    requested.clear()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    result = check(site, f"http://127.0.0.1:{closed}/")
    assert result.returncode == 3, result.stdout + result.stderr  # not 0, nor 1 (broken links)
    assert "NO NETWORK" in result.stderr and "were NOT checked" in result.stderr, result.stderr
    assert requested == [], "links were checked although the network probe failed"


def test_the_allowlist_is_valid_and_explained():
    lines = ALLOWLIST.read_text(encoding="utf-8").splitlines()
    patterns = [(n, line) for n, line in enumerate(lines) if line.strip() and line[0] != "#"]
    assert patterns, "the allowlist is empty"
    for n, pattern in patterns:
        re.compile(pattern)
        assert n > 0 and lines[n - 1].startswith("#"), (
            f"{ALLOWLIST.name} line {n + 1}: {pattern!r} has no comment above saying why")
