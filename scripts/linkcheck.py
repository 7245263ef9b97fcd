"""Check every external link of the built site with LinkChecker (needs network).

    scripts/linkcheck.sh                  build the site, then check it
    scripts/linkcheck.sh --site DIR       check a site already built into DIR
    scripts/linkcheck.sh --no-cache       recheck links that passed recently

The site is served on 127.0.0.1 below the path of its site_url (so that its absolute links
resolve as they will once published), LinkChecker crawls it and checks every link leading out.
- Broken links (4xx, 5xx, no such host) are listed and make the command fail (exit 1).
- Redirects are listed as warnings: update the link to where it now leads.
- Links matching a pattern of scripts/linkcheck-allowlist.txt are not contacted.
- Links that passed less than --max-age days ago (.cache/linkcheck.json) are not contacted again.
- Without network it says so and fails (exit 3): it never passes without having checked.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from mkdocs_examples import support

ROOT = Path(__file__).resolve().parent.parent
LINKCHECKER = Path(sys.executable).parent / "linkchecker"
NO_NETWORK = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="built site to check (default: build it now)")
    parser.add_argument("--allowlist", type=Path, default=ROOT / "scripts/linkcheck-allowlist.txt",
                        help="regular expressions, one a line, of URLs never to contact")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/linkcheck.json",
                        help="when each external URL last passed")
    parser.add_argument("--max-age", type=float, default=7,
                        help="days during which a passed URL is not contacted again")
    parser.add_argument("--no-cache", action="store_true", help="contact every URL again")
    parser.add_argument("--probe", default="https://github.com/",
                        help="URL fetched first to tell whether there is any network")
    parser.add_argument("--timeout", type=int, default=20, help="seconds per link")
    return parser.parse_args(argv)


def have_network(probe: str, timeout: float = 10) -> str | None:
    """None if the probe URL answers at all (any HTTP status), else why not.
    urllib honours http(s)_proxy like LinkChecker does."""
    try:
        urllib.request.urlopen(urllib.request.Request(probe, method="HEAD"), timeout=timeout)
    except urllib.error.HTTPError:
        return None  # the server answered: the network is there
    except (urllib.error.URLError, OSError) as error:
        return str(getattr(error, "reason", error))
    return None


def site_url_path() -> str:
    """The path the site is published below (/aaw-ml-training/): its absolute links use it."""
    return support.site_path(support.site(ROOT).site_url)


def build_site(into: Path) -> None:
    print(f"[linkcheck] building the site into {into}", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(into)],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False)
    if result.returncode != 0:
        sys.exit(f"[linkcheck] the site does not build (exit {result.returncode}); fix that first")


def read_allowlist(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def read_cache(path: Path) -> dict[str, float]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run_linkchecker(start: str, ignore: list[str], timeout: int) -> list[dict[str, str]]:
    """Every URL LinkChecker met, as rows of its CSV report."""
    command = [str(LINKCHECKER), "--check-extern", "--no-status", "--verbose", "--output", "csv",
               "--timeout", str(timeout), "--threads", "4"]
    for pattern in ignore:
        command += ["--ignore-url", pattern]
    result = subprocess.run([*command, start], capture_output=True, text=True, check=False)
    report = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(report), delimiter=";"))
    if not rows:  # LinkChecker itself failed: show why rather than report an empty success
        sys.exit(f"[linkcheck] LinkChecker gave no report (exit {result.returncode}):\n"
                 f"{result.stderr}")
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reason = have_network(args.probe)
    if reason:
        print(f"[linkcheck] NO NETWORK: {args.probe} cannot be reached ({reason}).\n"
              "[linkcheck] External links were NOT checked. Run this where there is network.",
              file=sys.stderr)
        return NO_NETWORK

    allowlist = read_allowlist(args.allowlist)
    cache = {} if args.no_cache else read_cache(args.cache)
    fresh = {url for url, when in cache.items() if time.time() - when < args.max_age * 86400}

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site.resolve() if args.site else Path(tmp) / "site"
        if not args.site:
            build_site(site)
        # Served below the path of site_url, as published (its absolute links use it).
        with support.serve(site, site_url_path()) as base:
            ignore = allowlist + [f"^{re.escape(url)}$" for url in sorted(fresh)]
            rows = run_linkchecker(base, ignore, args.timeout)
            origin = base[: -len(site_url_path())]  # http://127.0.0.1:PORT

    def contacted(row):
        return not any(re.search(pattern, row["urlname"]) for pattern in ignore)

    external = [row for row in rows if row["urlname"].startswith(("http:", "https:"))
                and not row["urlname"].startswith(origin)]
    checked = [row for row in external if contacted(row)]
    # Internal links are mkdocs' business (validation, --strict), but report any it missed.
    broken = [row for row in rows if row["valid"] != "True" and contacted(row)]
    redirected = [row for row in checked if row["valid"] == "True" and row["warningstring"]]
    for row in broken:
        print(f"BROKEN    {row['urlname']}\n          {row['result']}  "
              f"(on {row['parentname'].replace(origin, '')}, line {row['line']})")
    for row in redirected:
        print(f"WARNING   {row['urlname']}\n          {' '.join(row['warningstring'].split())}  "
              f"(on {row['parentname'].replace(origin, '')}, line {row['line']})")

    now = time.time()
    cache.update({row["urlname"]: now for row in checked
                  if row["valid"] == "True" and not row["warningstring"]})
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    args.cache.write_text(json.dumps(cache, indent=1, sort_keys=True), encoding="utf-8")

    ok = [row for row in checked if row["valid"] == "True" and not row["warningstring"]]
    broken_external = [row for row in checked if row["valid"] != "True"]
    print(f"[linkcheck] {len(checked)} external links checked: {len(ok)} ok, "
          f"{len(broken_external)} broken, {len(redirected)} redirected; "
          f"{len(external) - len(checked)} not contacted (allowlist, or passed less than "
          f"{args.max_age:g} days ago); {len(broken) - len(broken_external)} broken internal")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
