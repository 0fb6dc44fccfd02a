"""Fixtures for the reference server's end-to-end tests: servers in threads and clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from server_harness import TOKEN, ServerFactory
from servers.scripted_backend import ScriptedBackend
from servers.server_thread import ServerThread


@pytest.fixture
def make_server() -> Iterator[ServerFactory]:
    """Start reference servers (token-protected, scripted backend unless given); stop them after."""
    started: list[ServerThread] = []

    def factory(backend: Any = None, **overrides: Any) -> ServerThread:
        overrides.setdefault("token", TOKEN)
        server = ServerThread(backend=backend or ScriptedBackend(), **overrides).start()
        started.append(server)
        return server

    yield factory
    for server in reversed(started):
        server.stop()


@pytest.fixture
def server(make_server: ServerFactory) -> ServerThread:
    return make_server()


@pytest.fixture
def client(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield http
