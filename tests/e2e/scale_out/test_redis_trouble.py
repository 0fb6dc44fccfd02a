"""Redis away: starts refused, a restart mid-stream that loses nothing, a buffer that runs out."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator

import httpx
import pytest
import redis
from servers.ports import free_port
from servers.redis_servers import RedisServer
from servers.scripted_backend import ScriptedBackend, expected_text
from servers.server_thread import ServerThread

from desktop.protocol.events import Done, StreamError, Token
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.server.runner import STORE_AWAY, STORE_LOST
from desktop.streaming.config import ClientConfig
from desktop.streaming.source import ReconnectingEventSource

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
TOKEN = "trouble-token"
REQUEST = ChatRequest("through an outage", options=ChatOptions(max_tokens=300))


@pytest.fixture
def pair(redis_server: RedisServer, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """A generating replica (about 3 s per answer) and a reading one, on the test's Redis."""
    buffer = getattr(request, "param", 1000)
    common = {
        "redis_url": redis_server.url,
        "key_prefix": f"t-{secrets.token_hex(3)}",
        "token": TOKEN,
        "redis_buffer": buffer,
    }
    one = ServerThread(backend=ScriptedBackend(delay=0.01), **common)
    two = ServerThread(backend=ScriptedBackend(), **common)
    with one, two:
        yield [one.url, two.url, common["key_prefix"]]


async def _read(source: ReconnectingEventSource) -> tuple[str, list[object]]:
    text, seen = "", []
    async for event in source.events():
        if isinstance(event, Token):
            text += event.content
        elif isinstance(event, (Done, StreamError)):
            seen.append(event)
    return text, seen


async def _outage(redis_server: RedisServer, after: float, lasting: float) -> None:
    await asyncio.sleep(after)
    await asyncio.to_thread(redis_server.stop)
    await asyncio.sleep(lasting)
    await asyncio.to_thread(redis_server.start)


async def _started(source: ReconnectingEventSource) -> None:
    """Until the source has applied its first ten events."""
    for _ in range(1000):
        if source.stream_id is not None and source.last_event_id >= 10:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the stream did not start")


def _config(url: str) -> ClientConfig:
    return ClientConfig(base_url=url, token=TOKEN, max_attempts=12, backoff_cap=2.0)


def test_a_start_while_redis_is_unreachable_is_refused_with_503_and_retry_after() -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    with ServerThread(backend=ScriptedBackend(), redis_url=nowhere, token=TOKEN) as server:
        response = httpx.post(
            f"{server.url}/api/v1/chat/stream",
            json={"message": "x"},
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=20,
        )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert "unavailable" in response.json()["error"]["message"]


def test_redis_restarted_mid_stream_loses_nothing_on_either_replica(
    pair: list[str], redis_server: RedisServer
) -> None:
    one, two, prefix = pair

    async def scenario() -> tuple[tuple[str, list[object]], tuple[str, list[object]], str]:
        async with httpx.AsyncClient(timeout=30) as client:
            starter = ReconnectingEventSource(client, _config(one), REQUEST)
            first = asyncio.create_task(_read(starter))
            await _started(starter)
            follower = ReconnectingEventSource(client, _config(two), stream_id=starter.stream_id)
            second = asyncio.create_task(_read(follower))
            await _outage(redis_server, after=0.5, lasting=1.5)
            return await first, await second, starter.stream_id

    (text_one, end_one), (text_two, end_two), stream_id = asyncio.run(scenario())
    expected = expected_text(REQUEST)
    assert text_one == expected
    assert text_two == expected
    for ended in (end_one, end_two):
        assert isinstance(ended[-1], Done)
        assert ended[-1].finish_reason == "stop"
    entries = _entries(redis_server, prefix, stream_id)
    assert [entry_id for entry_id, _ in entries] == [f"{n}-0" for n in range(1, len(entries) + 1)]
    pauses = [e for _, e in entries if e.get("message") == STORE_AWAY]
    assert len(pauses) == 1  # readers were told once to come back
    assert pauses[0]["resumable"] is True


@pytest.mark.parametrize("pair", [20], indirect=True)
def test_past_the_buffer_the_stream_fails_honestly_once_redis_is_back(
    pair: list[str], redis_server: RedisServer
) -> None:
    one, _two, prefix = pair

    async def scenario() -> tuple[tuple[str, list[object]], str]:
        async with httpx.AsyncClient(timeout=30) as client:
            starter = ReconnectingEventSource(client, _config(one), REQUEST)
            first = asyncio.create_task(_read(starter))
            await _started(starter)
            await _outage(redis_server, after=0.2, lasting=1.5)
            return await first, starter.stream_id

    (text, ended), stream_id = asyncio.run(scenario())
    assert expected_text(REQUEST).startswith(text)
    assert len(text) < len(expected_text(REQUEST))
    pause, error = ended  # a non-resumable error ends the stream for the client
    assert isinstance(pause, StreamError)
    assert (pause.message, pause.resumable) == (STORE_AWAY, True)
    assert isinstance(error, StreamError)
    assert (error.error_type, error.resumable, error.message) == ("internal", False, STORE_LOST)
    entries = _entries(redis_server, prefix, stream_id)
    assert [entry_id for entry_id, _ in entries] == [f"{n}-0" for n in range(1, len(entries) + 1)]
    tail = entries[-4:]  # said on failure: once, under heavy load, the error was not second-last
    assert entries[-2][1].get("message") == STORE_LOST, tail
    assert entries[-1][1].get("finish_reason") == "error", tail


def _entries(server: RedisServer, prefix: str, stream_id: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """The stream's log in Redis: entry ids and each event's data."""
    client = redis.Redis(port=server.port)
    try:
        raw = client.xrange(f"{prefix}:stream:{{{stream_id}}}:events")
    finally:
        client.close()
    result = []
    for entry_id, fields in raw:
        frame = fields[b"f"].decode()
        data = next(line[6:] for line in frame.splitlines() if line.startswith("data: "))
        result.append((entry_id.decode(), json.loads(data)))
    return result
