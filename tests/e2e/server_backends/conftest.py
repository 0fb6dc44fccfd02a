"""The real llama.cpp server (and its Ollama proxy) for this folder's ``real_llm`` tests,
with requests waiting in turn instead of cutting each other off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.real_llm import deselect_unless_installed, ollama_proxy, queued_llama

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_installed(config, items, HERE)


@pytest.fixture(scope="session")
def real_llama_url() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a llama.cpp server with the tiny model (``tiny``).

    Requests wait in turn (``--interrupt_requests False``) instead of cutting each other off.
    """
    with queued_llama() as url:
        yield url


@pytest.fixture(scope="session")
def real_ollama_url(real_llama_url: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of the Ollama-API proxy (model ``local/tiny``) before it."""
    with ollama_proxy(real_llama_url) as url:
        yield url
