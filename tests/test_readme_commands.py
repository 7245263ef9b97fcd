"""The README's two commands: `scripts/serve.sh` serves both languages on 127.0.0.1, and
`.ci/run` runs exactly `scripts/test.sh` (which runs this very suite)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

from conftest import ROOT
from mkdocs_examples.support import fetch, free_port

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith(("#", "set ", "cd "))]
    assert commands == ["scripts/test.sh"], f".ci/run runs {commands}, not the README's command"
    assert re.search(r"```bash\nscripts/test.sh\n```", README), "README does not show scripts/test.sh"


def test_the_readme_serve_command_serves_both_languages_on_loopback():
    assert re.search(r"```bash\nscripts/serve.sh\n```", README), "README does not show serve.sh"
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh"), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # serve.sh execs mkdocs; the group is stopped as one
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        pages, deadline = {}, time.monotonic() + 120
        while len(pages) < 2 and time.monotonic() < deadline and server.poll() is None:
            for language, path in (("en", "/"), ("fr", "/fr/")):
                if html := fetch(f"http://127.0.0.1:{port}{path}", timeout=2):
                    pages[language] = html
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert len(pages) == 2, f"scripts/serve.sh served {sorted(pages)} only:\n{output[-3000:]}"
    for language, html in pages.items():
        assert f'<html lang="{language}"' in html, f"/{language}/ is not the {language} page"
