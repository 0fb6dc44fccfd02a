"""The health probe against real loopback servers: down, then started on the same port."""

from __future__ import annotations

import asyncio
import socket

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

    async def scenario() -> tuple[bool, int]:
        config = ClientConfig(server.url)
        async with make_client(config) as client:
            probe = HealthProbe(client, config, sleep=sleep, random=lambda: 0.5)
            return await probe.wait_until_reachable(), probe.failures

    try:
        outcome = asyncio.run(scenario())
    finally:
        server.stop()
    assert (outcome, delays) == ((True, 3), [1.0, 2.0, 4.0])  # the streaming core's backoff


def test_the_probe_gives_up_after_the_tries_it_was_given() -> None:
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    async def scenario(url: str) -> bool:
        config = ClientConfig(url)
        async with make_client(config) as client:
            probe = HealthProbe(client, config, sleep=sleep, random=lambda: 0.5)
            return await probe.wait_until_reachable(give_up_after=3)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never listening: connection refused
        reached = asyncio.run(scenario(f"http://127.0.0.1:{sock.getsockname()[1]}"))
    assert (reached, delays) == (False, [1.0, 2.0])


def test_wake_probes_again_at_once() -> None:
    server = ServerThread()

    waiting_began = asyncio.Event()

    async def forever(_delay: float) -> None:
        waiting_began.set()
        await asyncio.Event().wait()

    async def scenario() -> bool:
        config = ClientConfig(server.url)
        async with make_client(config) as client:
            probe = HealthProbe(client, config, sleep=forever)
            waiting = asyncio.create_task(probe.wait_until_reachable())
            await waiting_began.wait()  # the first try failed; the wait never ends by itself
            await asyncio.to_thread(server.start)
            probe.wake()
            return await asyncio.wait_for(waiting, 30)

    try:
        assert asyncio.run(scenario())
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
