"""The real llama.cpp server (and its Ollama proxy) for this folder's ``real_llm`` tests.

``../shared/tools/real-llm-server.sh`` installs it once into ``$HOME/.cache/realsrv``. Where
that install is missing, the ``real_llm`` tests of this folder are deselected (never skipped);
naming ``real_llm`` in ``-m`` runs them anyway, so they fail with the install hint instead of
passing silently.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REALSRV = Path(os.environ.get("REALSRV_DIR", Path.home() / ".cache" / "realsrv"))
SCRIPT = HERE.parents[3] / "shared" / "tools" / "real-llm-server.sh"
HINT = f"run `{SCRIPT} install` once (about 5 minutes on 2 cores) for the real_llm tests"


def real_llm_installed() -> bool:
    return (REALSRV / "venv").is_dir() and SCRIPT.is_file()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if real_llm_installed() or "real_llm" in (config.option.markexpr or ""):
        return
    absent = [
        item
        for item in items
        if HERE in Path(str(item.path)).parents and item.get_closest_marker("real_llm")
    ]
    if absent:
        config.hook.pytest_deselected(items=absent)
        items[:] = [item for item in items if item not in absent]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(*args: str) -> int:
    """Run the script, which starts a server in the background, and return that server's PID."""
    if not real_llm_installed():
        pytest.fail(HINT)
    result = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=900, check=False
    )
    found = re.search(r"^PID=(\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or found is None:
        pytest.fail(f"{SCRIPT} {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


# Stops the server if the test process dies without its teardown (a crash, a SIGKILL): the
# script detaches the server, so nothing else would ever end it.
_WATCHDOG = """
import os, signal, sys, time
test_pid, server_pid = int(sys.argv[1]), int(sys.argv[2])
while True:
    try:
        os.kill(test_pid, 0)
    except ProcessLookupError:
        break
    time.sleep(0.5)
try:
    os.kill(server_pid, signal.SIGTERM)
except ProcessLookupError:
    pass
"""


@contextlib.contextmanager
def _running(*args: str) -> Iterator[None]:
    """A server started by the script, stopped at exit or when this process dies."""
    pid = _start(*args)
    watchdog = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(pid)], start_new_session=True
    )
    try:
        yield
    finally:
        watchdog.terminate()
        watchdog.wait(5)
        _stop(pid)


def _stop(pid: int) -> None:
    """Stop the server this fixture started, by its PID, and wait until it has gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def real_llama_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a llama.cpp server with the tiny model (``tiny``).

    Requests wait in turn (``--interrupt_requests False``) instead of cutting each other off.
    """
    port = _free_port()
    with _running(str(port), "--", "--interrupt_requests", "False"):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def real_ollama_url(real_llama_url: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of the Ollama-API proxy (model ``local/tiny``) before it."""
    port = _free_port()
    with _running("ollama", str(port), real_llama_url.rsplit(":", 1)[1]):
        yield f"http://127.0.0.1:{port}"
