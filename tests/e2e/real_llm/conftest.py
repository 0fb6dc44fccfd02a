"""A real llama.cpp server (and its Ollama proxy) on loopback for the ``real_llm`` tests.

The server comes from ``../shared/tools/real-llm-server.sh``, installed once into
``$HOME/.cache/realsrv``. Where that install is missing the tests here are deselected (not
skipped), unless ``-m`` names ``real_llm``: then they run and fail with a message saying how to
install it, so an explicit request never passes silently.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REALSRV = Path(os.environ.get("REALSRV_DIR", Path.home() / ".cache" / "realsrv"))
SCRIPT = HERE.parents[2].parent / "shared" / "tools" / "real-llm-server.sh"
INSTALL_HINT = (
    f"the real LLM server is not installed ({REALSRV / 'venv'} is missing); "
    f"run `{SCRIPT} install` once (about 5 minutes), then run the tests again"
)


def installed() -> bool:
    return (REALSRV / "venv").is_dir() and SCRIPT.is_file()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if installed() or "real_llm" in (config.option.markexpr or ""):
        return
    mine = [item for item in items if HERE in Path(str(item.path)).parents]
    if mine:
        config.hook.pytest_deselected(items=mine)
        items[:] = [item for item in items if item not in mine]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(*args: str) -> int:
    """Run the script (it starts the server in the background) and return the server's PID."""
    result = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=900, check=False
    )
    match = re.search(r"^PID=(\d+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or match is None:
        pytest.fail(f"{SCRIPT} {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def _stop(pid: int) -> None:
    """Stop a server this fixture started (by its PID) and wait until it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def llama_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a llama.cpp server with the tiny model (alias ``tiny``)."""
    if not installed():
        pytest.fail(INSTALL_HINT)
    port = _free_port()
    pid = _start(str(port))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(pid)


@pytest.fixture(scope="session")
def ollama_url(llama_url: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of an Ollama-API proxy (model ``local/tiny``) before it."""
    port = _free_port()
    pid = _start("ollama", str(port), llama_url.rsplit(":", 1)[1])
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(pid)
