"""The health probe against real loopback servers: down, then started on the same port."""

from __future__ import annotations

import asyncio

import pytest
from servers.fault_server import FaultServer, Reply
from servers.server_thread import ServerThread

from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.health_probe import HealthProbe, probe_url


def test_the_probe_waits_with_backoff_until_the_server_on_that_port_starts() -> None:
    server = ServerThread()  # its port is bound but not listening yet: connections are refused
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)
        if len(delays) == 3:
            await asyncio.to_thread(server.start)

    async def scenario() -> int:
        config = ClientConfig(server.url)
        async with make_client(config) as client:
            return await HealthProbe(
                client, config, sleep=sleep, random=lambda: 0.5
            ).wait_until_reachable()

    try:
        failures = asyncio.run(scenario())
    finally:
        server.stop()
    assert (failures, delays) == (3, [1.0, 2.0, 4.0])  # the streaming core's backoff


def test_wake_probes_again_at_once() -> None:
    server = ServerThread()

    waiting_began = asyncio.Event()

    async def forever(_delay: float) -> None:
        waiting_began.set()
        await asyncio.Event().wait()

    async def scenario() -> int:
        config = ClientConfig(server.url)
        async with make_client(config) as client:
            probe = HealthProbe(client, config, sleep=forever)
            waiting = asyncio.create_task(probe.wait_until_reachable())
            await waiting_began.wait()  # the first try failed; the wait never ends by itself
            await asyncio.to_thread(server.start)
            probe.wake()
            return await asyncio.wait_for(waiting, 30)

    try:
        assert asyncio.run(scenario()) >= 1
    finally:
        server.stop()


@pytest.mark.parametrize("status", [401, 503])
def test_a_server_that_answers_any_status_is_reachable(status: int) -> None:
    async def scenario() -> tuple[bool, str]:
        async with FaultServer([Reply(status, (("Content-Type", "text/plain"),), [b"no"])]) as s:
            config = ClientConfig(s.url)
            async with make_client(config) as client:
                reachable = await HealthProbe(client, config).reachable()
            return reachable, s.requests[0].path

    assert asyncio.run(scenario()) == (True, "/healthz")


def test_each_protocol_probes_its_cheapest_endpoint() -> None:
    base = "http://127.0.0.1:9"
    assert [probe_url(p, base) for p in ("assist", "openai", "ollama", "nscale")] == [
        f"{base}/healthz",
        f"{base}/v1/models",
        f"{base}/api/tags",
        f"{base}/api/auth/validate",
    ]
    assert probe_url("openai", base + "/v1") == f"{base}/v1/models"
