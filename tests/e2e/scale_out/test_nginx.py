"""The shipped nginx config in front of real replicas on a real Redis: streams pass through as
they are generated, resume after a cut, survive a rolling restart and avoid a draining replica."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from conftest import TOKEN, ReplicaFactory
from scale_load import (
    Answer,
    ask,
    ask_across_a_rolling_restart,
    demo_replica_args,
    expected_text,
    metric,
    request_for,
)
from servers.nginx_balancer import NginxBalancer
from servers.replicas import Replica, wait_draining

from desktop.protocol.events import Done, Token
from desktop.protocol.sse import SSEParser
from desktop.protocol.wire import WireEvent, decode_event
from desktop.streaming.config import ClientConfig
from desktop.streaming.endpoints import resume_request, start_request, stream_url

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
NginxFactory = Callable[[list[Replica]], NginxBalancer]


def _serve_args(redis_url: str, rate: str, *extra: str) -> list[str]:
    return demo_replica_args(redis_url, rate, "nginx", *extra)


async def _events(response: httpx.Response) -> AsyncIterator[WireEvent]:
    parser = SSEParser()
    async for chunk in response.aiter_raw():
        for message in parser.feed(chunk):
            if message.id is not None and message.id.isdigit():
                event = decode_event(int(message.id), message.event, message.data)
                if event is not None:
                    yield event


async def _status(client: httpx.AsyncClient, replica: Replica, stream_id: str) -> dict[str, object]:
    config = ClientConfig(base_url=replica.url, token=TOKEN)
    response = await client.get(stream_url(config, stream_id), headers=config.auth_headers())
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def test_events_reach_the_client_while_the_answer_is_still_generating(
    redis_server, make_replicas: ReplicaFactory, make_nginx: NginxFactory
) -> None:  # type: ignore[no-untyped-def]
    # 5 tokens/s: an nginx that buffered (4-8 KB, dozens of events) would hand the first token
    # over only when the server is many events further on.
    replicas = make_replicas(2, *_serve_args(redis_server.url, "5"))
    nginx = make_nginx(replicas)
    config = ClientConfig(base_url=nginx.url, token=TOKEN)
    request = request_for(0, 60)

    async def scenario() -> list[tuple[int, int, object]]:
        seen: list[tuple[int, int, object]] = []
        async with httpx.AsyncClient(timeout=config.timeout) as client:
            start = start_request(client, config, request, str(uuid.uuid4()))
            response = await client.send(start, stream=True)
            assert response.status_code == 200
            stream_id = response.headers["X-Stream-Id"]
            async for event in _events(response):
                if isinstance(event, Token):
                    status = await _status(client, replicas[1], stream_id)
                    seen.append((event.id, int(str(status["last_event_id"])), status["state"]))
                    if len(seen) == 5:
                        break
            await response.aclose()
        return seen

    seen = asyncio.run(scenario())
    assert len(seen) == 5
    for received, server_at, state in seen:
        assert state == "running"
        assert server_at - received <= 2, seen  # the server is at most ~one event ahead


def test_a_stream_cut_mid_answer_resumes_through_nginx_with_the_exact_text(
    redis_server, make_replicas: ReplicaFactory, make_nginx: NginxFactory
) -> None:  # type: ignore[no-untyped-def]
    replicas = make_replicas(2, *_serve_args(redis_server.url, "50"))
    nginx = make_nginx(replicas)
    config = ClientConfig(base_url=nginx.url, token=TOKEN)
    request = request_for(1, 80)

    async def scenario() -> tuple[str, Done | None]:
        text, done = "", None
        async with httpx.AsyncClient(timeout=config.timeout) as client:
            start = start_request(client, config, request, str(uuid.uuid4()))
            response = await client.send(start, stream=True)
            stream_id, last_id = response.headers["X-Stream-Id"], 0
            async for event in _events(response):
                last_id = event.id
                if isinstance(event, Token):
                    text += event.content
                    if len(text) > 40:
                        break
            await response.aclose()  # the cut: the connection is gone mid-answer
            resumed = await client.send(
                resume_request(client, config, stream_id, last_id), stream=True
            )
            assert resumed.status_code == 200
            async for event in _events(resumed):
                assert event.id > last_id
                if isinstance(event, Token):
                    text += event.content
                elif isinstance(event, Done):
                    done = event
            await resumed.aclose()
        return text, done

    text, done = asyncio.run(scenario())
    assert text == expected_text(request)
    assert done is not None
    assert done.finish_reason != "error"


def test_a_rolling_restart_through_nginx_alters_no_answer(
    redis_server, make_replicas: ReplicaFactory, make_nginx: NginxFactory
) -> None:  # type: ignore[no-untyped-def]
    replicas = make_replicas(3, *_serve_args(redis_server.url, "20", "--drain-timeout", "1"))
    nginx = make_nginx(replicas)
    requests = [request_for(i, 100) for i in range(30)]
    expected = [expected_text(r) for r in requests]

    answers = asyncio.run(
        ask_across_a_rolling_restart(
            nginx.url, TOKEN, replicas, requests, spread_s=1.0, restart_after_s=1.5
        )
    )
    assert [a.text for a in answers] == expected
    assert all(a.done is not None and a.done.finish_reason != "error" for a in answers)
    assert sum(a.reconnects for a in answers) > 0  # the restarts did move readers


def _active(replica: Replica) -> float:
    return metric(replica.metrics(), "assist_streams_active")


def _refused_while_draining(replica: Replica) -> float:
    return metric(replica.metrics(), 'assist_refused_starts_total{reason="draining"}')


def test_a_start_during_a_drain_lands_on_another_replica(
    redis_server, make_replicas: ReplicaFactory, make_nginx: NginxFactory
) -> None:  # type: ignore[no-untyped-def]
    # The running answer keeps the draining replica alive (and its /metrics readable) meanwhile.
    replicas = make_replicas(2, *_serve_args(redis_server.url, "20", "--drain-timeout", "30"))
    nginx = make_nginx(replicas)
    config = ClientConfig(base_url=nginx.url, token=TOKEN)
    running = request_for(0, 200)

    async def scenario() -> tuple[Answer, list[int], float]:
        async with httpx.AsyncClient(timeout=config.timeout) as client:
            answer = asyncio.create_task(ask(client, config, running))
            await asyncio.sleep(0.5)
            draining = next(r for r in replicas if _active(r) > 0)  # the one generating it
            draining.drain()
            await asyncio.to_thread(wait_draining, draining)
            # Starts until one has reached the draining replica (nginx may have set it aside
            # for fail_timeout after the readers it closed): every start must still succeed.
            statuses, refused = [], 0.0
            for i in range(16):
                start = start_request(client, config, request_for(i, 3), str(uuid.uuid4()))
                response = await client.send(start, stream=True)
                statuses.append(response.status_code)
                await response.aclose()
                refused = await asyncio.to_thread(_refused_while_draining, draining)
                if refused:
                    break
                await asyncio.sleep(0.5)
            return await answer, statuses, refused

    answer, statuses, refused = asyncio.run(scenario())
    assert refused >= 1  # a start did reach the draining replica ...
    assert set(statuses) == {200}  # ... and nginx sent it on to the other one
    assert answer.text == expected_text(running)
    assert answer.done is not None
    assert answer.done.finish_reason != "error"
