"""Fixtures for the nscale gateway: a fake nscale-assist, and reference servers in front of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from gateway_client import GatewayFactory
from servers.nscale import RunningNscale, start_fake_nscale
from servers.server_thread import ServerThread

from desktop.server.settings import ServerSettings


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    """A fake nscale-assist at a quick pace (1 ms per token instead of 10)."""
    with start_fake_nscale(token_delay=0.001) as running:
        yield running


@pytest.fixture
def make_gateway(nscale: RunningNscale) -> Iterator[GatewayFactory]:
    """Start gateways (``serve --backend nscale``) in front of ``nscale``; stop them after."""
    started: list[ServerThread] = []

    def factory(**overrides: Any) -> ServerThread:
        settings = ServerSettings(backend="nscale", upstream_url=nscale.url)
        gateway = ServerThread(settings, **overrides).start()
        started.append(gateway)
        return gateway

    yield factory
    for gateway in reversed(started):
        gateway.stop()


@pytest.fixture
def gateway(make_gateway: GatewayFactory) -> ServerThread:
    return make_gateway()
