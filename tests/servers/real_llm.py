"""A real llama.cpp server (and its Ollama-API proxy) on loopback, for ``real_llm`` tests.

``../shared/tools/real-llm-server.sh`` (beside the checkout) installs it once into
``$HOME/.cache/realsrv`` and starts servers in the background. Where that install is missing,
conftests deselect their ``real_llm`` tests (never skip them); naming ``real_llm`` in ``-m`` runs
them anyway, so they fail with the install hint instead of passing silently.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
REALSRV = Path(os.environ.get("REALSRV_DIR", Path.home() / ".cache" / "realsrv"))
SCRIPT = ROOT.parent / "shared" / "tools" / "real-llm-server.sh"
INSTALL_HINT = (
    f"the real LLM server is not installed ({REALSRV / 'venv'} is missing); "
    f"run `{SCRIPT} install` once (about 5 minutes on 2 cores), then run the tests again"
)


def installed() -> bool:
    return (REALSRV / "venv").is_dir() and SCRIPT.is_file()


def deselect_unless_installed(
    config: pytest.Config, items: list[pytest.Item], folder: Path
) -> None:
    """The ``pytest_collection_modifyitems`` body for a folder holding ``real_llm`` tests."""
    if installed() or "real_llm" in (config.option.markexpr or ""):
        return
    absent = [
        item
        for item in items
        if folder in Path(str(item.path)).parents and item.get_closest_marker("real_llm")
    ]
    if absent:
        config.hook.pytest_deselected(items=absent)
        items[:] = [item for item in items if item not in absent]


def _start(*args: str) -> int:
    """Run the script, which starts a server in the background, and return that server's PID."""
    if not installed():
        pytest.fail(INSTALL_HINT)
    result = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=900, check=False
    )
    found = re.search(r"^PID=(\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or found is None:
        pytest.fail(f"{SCRIPT} {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def _stop(pid: int) -> None:
    """Stop a server started here, by its PID, and wait until it has gone."""
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
def running(*args: str) -> Iterator[None]:
    """A server started by the script with ``args``, stopped at exit or when this process dies."""
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


@contextlib.contextmanager
def queued_llama() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a llama.cpp server with the tiny model (``tiny``) whose
    requests wait in turn (``--interrupt_requests False``) instead of cutting each other off."""
    port = free_port()
    with running(str(port), "--", "--interrupt_requests", "False"):
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def ollama_proxy(llama_url: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of the Ollama-API proxy (model ``local/tiny``) before it."""
    port = free_port()
    with running("ollama", str(port), llama_url.rsplit(":", 1)[1]):
        yield f"http://127.0.0.1:{port}"
