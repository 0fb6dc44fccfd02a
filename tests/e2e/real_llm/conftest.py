"""The real llama.cpp server with its default behaviour: a new request cuts the running one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.ports import free_port
from servers.real_llm import deselect_unless_installed, running

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_installed(config, items, HERE)


@pytest.fixture(scope="session")
def llama_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a llama.cpp server with the tiny model (alias ``tiny``)."""
    port = free_port()
    with running(str(port)):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def ollama_url(llama_url: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of an Ollama-API proxy (model ``local/tiny``) before it."""
    port = free_port()
    with running("ollama", str(port), llama_url.rsplit(":", 1)[1]):
        yield f"http://127.0.0.1:{port}"
