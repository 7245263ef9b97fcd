"""Where a session runs: a fresh folder holding the sample data, offline, seeded, with a deadline.

In-process Python is confined by patching `socket` and by SIGALRM; subprocesses (R, scripts)
run under `unshare -n` (an empty network namespace) when the machine allows it, otherwise with
a sitecustomize that patches socket the same way (Python) and dead proxies (R).
"""

from __future__ import annotations

import functools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from threadpoolctl import threadpool_limits

HERE = Path(__file__).resolve().parent
LOOPBACK = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}

# Fixed for every example and every subprocess, whatever the machine or the caller's shell:
# stable hashes, no display, reproducible SVGs, English messages and C collation and number
# formats (R follows the locale), UTC dates, one thread per math library (sums in a fixed
# order; two cores shared by everyone).
THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "MATPLOTLIBRC": str(HERE / "matplotlibrc"),
    "SOURCE_DATE_EPOCH": "0",
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "LANG": "C.UTF-8",
    "LANGUAGE": "en",
    **dict.fromkeys(THREADS, "1"),
}


# Set by configure() from the ini options (the site's conventions).
TEMP_PREFIX = "mkdocs-example-"
SVG_DEFAULT = SVG_HASHSALT = "mkdocs-examples"  # the salt in HERE/matplotlibrc


def configure(temp_prefix: str, svg_hashsalt: str) -> None:
    """The temp-folder prefix, and the SVG hash salt (a matplotlibrc written once per process,
    which ENVIRONMENT points every example and subprocess at)."""
    global TEMP_PREFIX, SVG_HASHSALT
    TEMP_PREFIX, SVG_HASHSALT = temp_prefix, svg_hashsalt
    folder = Path(tempfile.mkdtemp(prefix=temp_prefix + "matplotlibrc-"))
    rc = folder / "matplotlibrc"
    rc.write_text(
        (HERE / "matplotlibrc")
        .read_text(encoding="utf-8")
        .replace(f"svg.hashsalt: {SVG_DEFAULT}", f"svg.hashsalt: {svg_hashsalt}"),
        encoding="utf-8",
    )
    ENVIRONMENT["MATPLOTLIBRC"] = str(rc)


class NetworkBlocked(RuntimeError):
    """Not an OSError on purpose: client libraries retry or swallow OSErrors, this must surface."""


class ExampleTimeout(BaseException):
    """A BaseException so that an example's `except Exception` cannot swallow the deadline."""


@functools.cache
def _unshare() -> list[str]:
    """`unshare -n` as root; `unshare -rn` (an unprivileged user namespace) otherwise; [] if
    neither is allowed here."""
    if shutil.which("unshare"):
        for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
            if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
                return prefix
    return []


def unshare_works() -> bool:
    return bool(_unshare())


def offline_command(command: list[str]) -> list[str]:
    return [*_unshare(), *command]


def subprocess_env() -> dict[str, str]:
    env = {**os.environ, **ENVIRONMENT}
    if not unshare_works():
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(HERE / "offline"), env.get("PYTHONPATH")])
        )
        for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
            env[proxy] = "http://127.0.0.1:9"  # discard port: R's download.file fails at once
    return env


def network_mode() -> str:
    if unshare_works():
        return " ".join(_unshare()) + " (an empty network namespace)"
    return "sitecustomize + dead proxy (unshare is not allowed here)"


def _host(address) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None  # AF_UNIX paths and the like are local


def _example_frame(files) -> tuple[str | None, int | None]:
    """File and line of the innermost frame of an in-process example (a file the runner
    registered in `files`), so that a refused connection names the line that made it."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename in files:
            return frame.f_code.co_filename, frame.f_lineno
        frame = frame.f_back
    return None, None


@contextmanager
def network_blocked(attempts: list[tuple[str, str | None, int | None]], files=()):
    """Refuse every non-loopback connection and name lookup made in this process."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def refuse(host, port=None):
        address = f"{host}:{port}" if port is not None else str(host)
        attempts.append((address, *_example_frame(files)))
        raise NetworkBlocked(f"network access to {address} refused: examples run offline")

    def connect(self, address):
        host = _host(address)
        if host is not None and host not in LOOPBACK:
            refuse(host, address[1])
        return real_connect(self, address)

    def connect_ex(self, address):
        host = _host(address)
        if host is not None and host not in LOOPBACK:
            refuse(host, address[1])
        return real_connect_ex(self, address)

    def getaddrinfo(host, port, *args, **kwargs):
        if host is not None and str(host) not in LOOPBACK:
            refuse(host, port)
        return real_getaddrinfo(host, port, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex
        socket.getaddrinfo = real_getaddrinfo


@contextmanager
def deadline(seconds: float):
    """Raise ExampleTimeout in the running example after `seconds` (main thread only; elsewhere
    pytest-timeout, set on every item as a backstop, ends it)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise ExampleTimeout(f"timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reset_python_state() -> None:
    """Same starting point for every in-process session: seeds, and matplotlib's settings."""
    random.seed(0)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(0)
    if "matplotlib" in sys.modules:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        matplotlib.rc_file_defaults()
        matplotlib.rcParams["svg.hashsalt"] = SVG_HASHSALT  # even if imported before MATPLOTLIBRC was set


@contextmanager
def data_folder(data_dir: Path | None, prefix: str | None = None):
    """A fresh temporary folder holding a copy of all of `data_dir` (sub-folders too), as a
    reader who downloads the sample data has it. Yields the folder."""
    with tempfile.TemporaryDirectory(prefix=prefix or TEMP_PREFIX) as folder:
        if data_dir is not None and data_dir.is_dir():
            shutil.copytree(data_dir, folder, dirs_exist_ok=True)
        yield Path(folder)


@contextmanager
def sandbox(data_dir: Path | None, attempts: list, files=()):
    """A fresh temporary folder holding a copy of the sample data (all of `data_dir`, sub-folders
    too), as the working directory, with the fixed environment, seeds and the network blocked.
    Yields the folder. `files`: in-process example files (see _example_frame)."""
    saved_env = {key: os.environ.get(key) for key in ENVIRONMENT}
    saved_cwd = os.getcwd()
    with data_folder(data_dir) as folder:
        os.environ.update({k: v for k, v in ENVIRONMENT.items() if k != "PYTHONHASHSEED"})
        os.chdir(folder)
        _reset_python_state()
        try:
            # Thread variables are read when a math library loads; in-process examples run
            # after numpy is loaded, so its pools are limited here instead.
            with network_blocked(attempts, files), threadpool_limits(limits=1):
                yield Path(folder)
        finally:
            os.chdir(saved_cwd)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")
