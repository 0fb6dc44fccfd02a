"""The upstream backends inside the real reference server: HTTP in, upstream out, on loopback."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from servers.fault_server import Reply, ThreadedFaultServer
from servers.server_thread import ServerThread
from servers.upstream_bodies import SSE, chunk, sse

from desktop.protocol.events import Done, StreamError, StreamStarted, Token, WireEvent
from desktop.protocol.sse import SSEParser
from desktop.protocol.wire import decode_event
from desktop.server.backends import create_backend

pytestmark = pytest.mark.e2e

START = "/api/v1/chat/stream"
QUESTION = {"message": "Wie exportiere ich eine Unterhaltung?"}


def read_events(response: httpx.Response) -> list[WireEvent]:
    assert response.status_code == 200, response.read()
    parser = SSEParser()
    events: list[WireEvent] = []
    for raw in response.iter_bytes():
        for message in parser.feed(raw):
            event = decode_event(int(message.id or 0), message.event, message.data)
            if event is not None:
                events.append(event)
    return events


def post(http: httpx.Client, body: dict[str, object]) -> list[WireEvent]:
    with http.stream("POST", START, json=body, timeout=60) as response:
        return read_events(response)


def answer(http: httpx.Client) -> list[WireEvent]:
    """Start an answer and resume it until ``done``, as the client core would."""
    events = post(http, QUESTION)
    stream_id = next(e for e in events if isinstance(e, StreamStarted)).stream_id
    for _ in range(5):
        if isinstance(events[-1], Done):
            return events
        resume = {"Last-Event-ID": str(events[-1].id)}
        with http.stream("GET", f"/api/v1/streams/{stream_id}/events", headers=resume) as response:
            events += read_events(response)
    raise AssertionError(f"no done after 5 resumes: {events}")


def text_of(events: list[WireEvent]) -> str:
    return "".join(e.content for e in events if isinstance(e, Token))


def serve(backend_name: str, upstream: ThreadedFaultServer | str) -> ServerThread:
    url = upstream if isinstance(upstream, str) else upstream.url
    return ServerThread(backend=create_backend(backend_name, upstream_url=url, model="tiny"))


def test_an_upstream_rate_limit_at_start_is_the_servers_429_with_retry_after(
    fault_server: Callable[..., ThreadedFaultServer],
) -> None:
    limited = Reply(429, (("Content-Type", "application/json"), ("Retry-After", "2")), [b"{}"])
    upstream = fault_server([limited])
    with serve("openai", upstream) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        response = http.post(START, json=QUESTION)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"]["type"] == "rate_limit"


def test_an_upstream_cut_midway_is_resumed_without_repeating_text(
    fault_server: Callable[..., ThreadedFaultServer],
) -> None:
    full = [chunk("Hallo"), chunk(" Welt"), chunk("!"), chunk(finish="stop"), sse("[DONE]")]
    upstream = fault_server([Reply(200, SSE, full[:2], end="close"), Reply(200, SSE, full)])
    with serve("openai", upstream) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        events = answer(http)
    errors = [e for e in events if isinstance(e, StreamError)]
    assert [(e.error_type, e.resumable) for e in errors] == [("upstream", True)]
    assert text_of(events) == "Hallo Welt!"
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason == "stop"
    assert len(upstream.stream_requests) == 2


@pytest.mark.real_llm
def test_the_openai_backend_serves_a_real_llama_answer(real_llama_url: str) -> None:
    body = {**QUESTION, "options": {"max_tokens": 16, "temperature": 0}}
    with serve("openai", real_llama_url) as server, httpx.Client(base_url=server.url) as http:
        events = post(http, body)
    started = events[0]
    assert isinstance(started, StreamStarted)
    assert started.model == "tiny"
    assert started.estimated_tokens == 16
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason in ("stop", "length")
    assert text_of(events).strip()
