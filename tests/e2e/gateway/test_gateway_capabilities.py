"""``GET /api/v1/capabilities``: the gateway offers plain language, the demo server nothing, and a
client facing a server without the route carries on with the core protocol."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from servers.nscale import RunningNscale
from servers.server_thread import ServerThread

from desktop.protocol.backend_protocols import BackendProtocol
from desktop.streaming.config import ClientConfig
from desktop.streaming.source_factory import StreamingSourceFactory

pytestmark = pytest.mark.e2e


def offers_plain_language(url: str, protocol: BackendProtocol = "assist") -> bool:
    async def main() -> bool:
        factory = StreamingSourceFactory(ClientConfig(url, token="t"), protocol)
        try:
            await factory.learn_capabilities()
            return factory.offers_simple_language
        finally:
            await factory.aclose()

    return asyncio.run(main())


def test_the_gateway_offers_plain_language(gateway: ServerThread) -> None:
    reply = httpx.get(f"{gateway.url}/api/v1/capabilities")
    assert reply.status_code == 200
    assert reply.json() == {"backend": "nscale", "options": ["simple_language"]}
    assert offers_plain_language(gateway.url)


def test_the_demo_server_offers_nothing_extra() -> None:
    server = ServerThread().start()
    try:
        assert httpx.get(f"{server.url}/api/v1/capabilities").json()["options"] == []
        assert not offers_plain_language(server.url)
    finally:
        server.stop()


def test_a_server_without_the_route_offers_the_core_only(nscale: RunningNscale) -> None:
    assert httpx.get(f"{nscale.url}/api/v1/capabilities").status_code == 404
    assert not offers_plain_language(nscale.url)


def test_an_unreachable_server_offers_the_core_only(gateway: ServerThread) -> None:
    url = gateway.url
    gateway.stop()
    assert not offers_plain_language(url)
