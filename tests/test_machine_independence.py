"""The examples give the same verdicts and the same figure bytes on any machine: whatever fonts
it has, whatever locale, time zone or hash seed the person running the tests has set.

The harness compares every figure with its committed copy: the suite's own `docs` items do so
with this machine's fonts, and one run of `pytest docs` here, in a subprocess, does so as on
another machine (other fonts, a French Canadian locale, another time zone, a random hash
seed). Passing under both font configurations means the two renderings are the same bytes;
the same run serves the locale check. A fixture whose figure depends on the fonts proves that
the comparison fails and names the figure and its first differing element.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

from conftest import DOCS, ROOT, require_runtime

FIXTURE = ROOT / "tests" / "fixtures" / "figures"
# The font every figure names (Debian package fonts-dejavu-core, installed by set-up).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def require(condition: bool, what: str) -> None:
    """A missing runtime fails under require-runtimes (CI=true) and is a counted, reasoned skip
    elsewhere."""
    if not condition:
        require_runtime(what)


def font_configurations(folder: Path) -> dict[str, Path]:
    """Two machines' fonts: one with only the figures' font; one with other fonts beside it
    (matplotlib's bundled ones), and another sans-serif font preferred."""
    require(DEJAVU.is_dir(), f"{DEJAVU} missing (Debian package fonts-dejavu-core)")
    require(shutil.which("fc-match") is not None, "fontconfig missing (Debian package fontconfig)")
    bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    configs = {
        "only-dejavu": f"<dir>{DEJAVU}</dir>",
        "other-fonts": f"""<dir>{DEJAVU}</dir><dir>{bundled}</dir>
  <selectfont><rejectfont><glob>{bundled}/DejaVu*</glob></rejectfont></selectfont>
  """ + "".join(
            f'<alias binding="same"><family>{generic}</family>'
            "<prefer><family>cmss10</family></prefer></alias>"
            for generic in ("sans", "sans-serif", "Helvetica", "Arial")  # what R and cairo ask
        ),
    }
    paths = {}
    for name, body in configs.items():
        path = folder / f"{name}.conf"
        path.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
            f"<fontconfig>\n  {body}\n  <cachedir>{folder / name}-cache</cachedir>\n</fontconfig>\n"
        )
        paths[name] = path
    return paths


def fonts_env(config: Path, folder: Path) -> dict[str, str]:
    # A new matplotlib font list per configuration (it is cached under MPLCONFIGDIR).
    mpl = folder / f"{config.stem}-matplotlib"
    mpl.mkdir(exist_ok=True)
    return {**os.environ, "FONTCONFIG_FILE": str(config), "MPLCONFIGDIR": str(mpl)}


def sans_font(env: dict[str, str]) -> str:
    return subprocess.run(
        ["fc-match", "-f", "%{family}", "sans"], env=env, capture_output=True, text=True
    ).stdout


def run_harness(cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # A new pytest, not a worker of this run's xdist (whose variables it would inherit).
    env = {key: value for key, value in env.items() if not key.startswith("PYTEST_XDIST")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


def pages_with_figures() -> list[str]:
    """English pages that show a figure an example makes (the French ones include the same)."""
    return sorted(
        str(page.relative_to(ROOT))
        for page in DOCS.glob("*.en.md")
        if "assets/figures/" in page.read_text(encoding="utf-8")
    )


@pytest.fixture(scope="module")
def another_machine(tmp_path_factory) -> tuple[str, subprocess.CompletedProcess]:
    """(its fonts' default sans, `pytest docs` run as on another machine):
    other fonts, a French Canadian shell in Newfoundland, a random hash seed. One run serves
    the fonts check and the locale check; its output names the example that differs."""
    require(shutil.which("Rscript") is not None, "Rscript missing (Debian package r-base-core)")
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
    require(
        re.search(r"(?im)^fr_CA\.utf-?8$", locales) is not None,
        "locale fr_CA.UTF-8 missing (scripts/setup.sh --all generates it)",
    )
    folder = tmp_path_factory.mktemp("fonts")
    configs = font_configurations(folder)
    fonts = fonts_env(configs["other-fonts"], folder)
    env = {key: value for key, value in fonts.items() if not key.startswith("LC_")}
    env.update(LANG="fr_CA.UTF-8", LC_ALL="fr_CA.UTF-8", TZ="America/St_Johns",
               PYTHONHASHSEED="random")
    return sans_font(fonts), run_harness(ROOT, ["docs"], env)


def test_figures_are_the_same_bytes_whatever_fonts_the_machine_has(another_machine):
    """Two font configurations: other fonts, in the run made here, and this machine's own,
    with which the suite's `docs` items compare every figure with its committed copy (running
    them again here under a configuration of our making took a quarter of this module's time
    and proved the same)."""
    pages = pages_with_figures()
    assert pages, "no page shows a figure from assets/figures/: this test would prove nothing"
    sans, elsewhere = another_machine
    here = sans_font(dict(os.environ))
    assert here and here != sans, (
        f"this machine's default sans ({here!r}) is the other configuration's: "
        "the comparison would prove nothing")
    assert elsewhere.returncode == 0, (
        f"with other fonts (default sans: {sans}, here: {here}), "
        f"the figures differ from their committed copies:\n{elsewhere.stdout[-4000:]}"
    )


def test_a_figure_that_depends_on_the_fonts_fails_naming_it(tmp_path):
    require(shutil.which("Rscript") is not None, "Rscript missing (Debian package r-base-core)")
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)  # its pytest.ini and mkdocs.yml: the installed plugin does the rest
    configs = font_configurations(tmp_path)
    page = "docs/cairo.en.md::R"
    only_dejavu = fonts_env(configs["only-dejavu"], tmp_path)
    made = run_harness(site, [page, "--update-examples"], only_dejavu)
    assert made.returncode == 0, made.stdout[-3000:]
    assert (site / "docs/assets/figures/cairo.svg").exists()

    again = run_harness(site, [page], fonts_env(configs["other-fonts"], tmp_path))
    assert again.returncode == 1, f"a font-dependent figure passed:\n{again.stdout[-3000:]}"
    for expected in [
        'docs/cairo.en.md, tab "R": snippets/r/cairo_figure.R:2',
        "figure figures/cairo.svg differs from docs/assets/figures/cairo.svg",
        "made:",
        "committed:",
    ]:
        assert expected in again.stdout, f"{expected!r} not in:\n{again.stdout[-3000:]}"


def test_verdicts_do_not_depend_on_locale_time_zone_or_hash_seed(another_machine):
    """The harness fixes what examples depend on itself: `pytest docs` run from a French
    Canadian shell in Newfoundland, with a random hash seed, gives the verdicts of CI."""
    _, result = another_machine
    assert result.returncode == 0, (
        f"examples fail under LANG=fr_CA.UTF-8, TZ=America/St_Johns (and other fonts):\n"
        f"{result.stdout[-4000:]}"
    )
    assert "PYTHONHASHSEED was not 0" not in result.stdout
    assert re.search(r"\d+ passed", result.stdout), result.stdout[-2000:]
