"""A dead owner's stream: many replicas notice, exactly one continues; or it ends honestly."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import redis
from conftest import TOKEN, ReplicaFactory
from scale_load import expected_text, metric, request_for
from servers.scripted_backend import expected_text as scripted_text

from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.protocol.sse import SSEMessage, SSEParser

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = "/api/v1/chat/stream"
LEASE_S = 2.0
READERS = 30


def _args(redis_url: str, prefix: str, backend: str = "demo", rate: str = "10") -> list[str]:
    return [
        "--backend", backend, "--token-rate", rate, "--redis-url", redis_url,
        "--redis-key-prefix", prefix, "--lease-seconds", str(LEASE_S),
    ]  # fmt: skip


def _start_and_read(url: str, request: ChatRequest, events: int) -> tuple[str, list[SSEMessage]]:
    """Start a stream and read its first ``events`` events (the rest keeps generating)."""
    parser = SSEParser()
    got: list[SSEMessage] = []
    with httpx.stream(
        "POST", f"{url}{START}", json=request.to_json(), headers=AUTH, timeout=10
    ) as response:
        stream_id = response.headers["x-stream-id"]
        for chunk in response.iter_bytes():
            got += parser.feed(chunk)
            if len(got) >= events:
                break
    return stream_id, got


async def _follow(client: httpx.AsyncClient, url: str, stream_id: str) -> list[SSEMessage]:
    parser = SSEParser()
    got: list[SSEMessage] = []
    headers = {**AUTH, "Last-Event-ID": "0"}
    async with client.stream(
        "GET", f"{url}/api/v1/streams/{stream_id}/events", headers=headers
    ) as r:
        assert r.status_code == 200
        async for chunk in r.aiter_bytes():
            got += parser.feed(chunk)
    return got


def _text(messages: list[SSEMessage]) -> str:
    return "".join(json.loads(m.data)["content"] for m in messages if m.event == "token")


def test_many_readers_on_several_replicas_see_one_takeover_and_the_exact_answer(
    redis_server, make_replicas: ReplicaFactory
) -> None:  # type: ignore[no-untyped-def]
    owner, *readers = make_replicas(4, *_args(redis_server.url, "race"))
    request = request_for(7, 90)
    stream_id, first = _start_and_read(owner.url, request, 20)
    owner.kill()

    async def scenario() -> list[list[SSEMessage]]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(
                *(_follow(client, readers[i % 3].url, stream_id) for i in range(READERS))
            )

    results = asyncio.run(scenario())
    expected = expected_text(request)
    assert all(_text(messages) == expected for messages in results)
    ids = [[int(m.id or 0) for m in messages] for messages in results]
    assert all(i == list(range(1, len(i) + 1)) for i in ids)  # every id once, in order
    assert [m.data for m in results[0][: len(first)]] == [m.data for m in first]
    assert results[0][-1].event == "done"
    continued = [
        metric(r.metrics(), 'assist_stream_takeovers_total{outcome="continued"}') for r in readers
    ]
    assert sum(continued) == 1
    r = redis.Redis.from_url(redis_server.url)
    try:
        assert r.hget(f"race:stream:{{{stream_id}}}:meta", "takeovers") == b"1"
    finally:
        r.close()


def test_a_dead_owner_s_answer_that_cannot_continue_ends_with_a_plain_error(
    redis_server, make_replicas: ReplicaFactory
) -> None:  # type: ignore[no-untyped-def]
    backend = "tests.servers.scripted_backend:create"
    owner, reader = make_replicas(2, *_args(redis_server.url, "orphan", backend, rate="5"))
    request = ChatRequest("not continuable", options=ChatOptions(max_tokens=200))
    stream_id, _first = _start_and_read(owner.url, request, 8)
    owner.kill()

    async def scenario() -> list[SSEMessage]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await _follow(client, reader.url, stream_id)

    messages = asyncio.run(scenario())  # it ends: the stream does not hang
    assert [m.event for m in messages[-2:]] == ["error", "done"]
    error, done = (json.loads(m.data) for m in messages[-2:])
    assert error["error_type"] == "upstream"
    assert error["resumable"] is False
    assert "stopped" in error["message"]
    assert done["finish_reason"] == "error"
    text = _text(messages)
    assert len(text) > 0
    assert scripted_text(request).startswith(text)
