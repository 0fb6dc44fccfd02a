"""The streaming client (ReconnectingEventSource) against the reference server with faults on."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from server_harness import TOKEN, ServerFactory
from servers.scripted_backend import ScriptedBackend, Step, answer_script, expected_text

from desktop.protocol.events import (
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    StreamError,
    StreamEvent,
    Token,
)
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.server.backend import UpstreamError
from desktop.streaming.config import ClientConfig
from desktop.streaming.source import ReconnectingEventSource

pytestmark = pytest.mark.e2e
REQUEST = ChatRequest("Wie exportiere ich eine Unterhaltung?", options=ChatOptions(max_tokens=120))


async def instant(_delay: float) -> None:
    await asyncio.sleep(0)


def consume(
    url: str,
    fault_headers: dict[str, str],
    request: ChatRequest = REQUEST,
    *,
    cancel_after_tokens: int | None = None,
    **config: Any,
) -> list[StreamEvent]:
    async def main() -> list[StreamEvent]:
        settings = ClientConfig(url, token=TOKEN, **{"idle_timeout": 10.0, **config})
        async with httpx.AsyncClient(timeout=settings.timeout, headers=fault_headers) as http:
            source = ReconnectingEventSource(http, settings, request, sleep=instant)
            events: list[StreamEvent] = []
            async for event in source.events():
                events.append(event)
                tokens = sum(isinstance(e, Token) for e in events)
                if cancel_after_tokens is not None and tokens == cancel_after_tokens:
                    await source.cancel()
            return events

    return asyncio.run(asyncio.wait_for(main(), 60))


def text_of(events: list[StreamEvent]) -> str:
    return "".join(event.content for event in events if isinstance(event, Token))


def reconnects(events: list[StreamEvent]) -> int:
    return sum(isinstance(event, Reconnecting) for event in events)


@pytest.fixture
def faulty(make_server: ServerFactory) -> str:
    return make_server(allow_faults=True).url


@pytest.mark.parametrize(
    ("headers", "least_reconnects"),
    [
        ({"X-Fault-Drop-After": "7", "X-Fault-Repeat": "1"}, 10),
        ({"X-Fault-Drop-Mid": "5", "X-Fault-Repeat": "1"}, 10),
        ({"X-Fault-Malformed": "6"}, 1),
        ({"X-Fault-Status": "503:0"}, 1),
        ({"X-Fault-Status": "429:0", "X-Fault-Drop-After": "30"}, 2),
    ],
    ids=[
        "drop-after-7-every-time",
        "drop-mid-event",
        "one-malformed-event",
        "503-once",
        "429-then-drop",
    ],
)
def test_the_client_gets_the_exact_text_through_every_fault(
    faulty: str, headers: dict[str, str], least_reconnects: int
) -> None:
    events = consume(faulty, headers)
    assert isinstance(events[-1], Done)
    assert events[-1].finish_reason == "stop"
    assert text_of(events) == expected_text(REQUEST)
    ids = [event.id for event in events if isinstance(event, Token)]
    assert ids == sorted(set(ids))
    assert reconnects(events) >= least_reconnects


def test_the_client_survives_a_stall_longer_than_its_idle_timeout(faulty: str) -> None:
    events = consume(faulty, {"X-Fault-Stall": "1.5@20"}, idle_timeout=0.3)
    assert text_of(events) == expected_text(REQUEST)
    assert reconnects(events) >= 1


def test_a_resumable_upstream_error_is_continued_without_repeating_text(
    make_server: ServerFactory,
) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        if attempt == 0:
            overload = UpstreamError("model_overload", "busy", resumable=True, retry_after=0.01)
            return [*steps[:40], Step(overload)]
        return steps

    url = make_server(ScriptedBackend(script)).url
    events = consume(url, {})
    assert text_of(events) == expected_text(REQUEST)
    assert any(isinstance(e, StreamError) and e.resumable for e in events)
    assert isinstance(events[-1], Done)


def test_the_client_cancel_ends_with_the_servers_cancelled_done(make_server: ServerFactory) -> None:
    backend = ScriptedBackend(lambda r, a: answer_script(r, delay=0.01))
    url = make_server(backend).url
    events = consume(url, {}, cancel_after_tokens=5)
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason == "cancelled"
    assert done.id > 0  # the server's done, not a client-side one
    assert expected_text(REQUEST).startswith(text_of(events))


def test_a_wrong_token_is_rejected_as_unauthorized(faulty: str) -> None:
    async def main() -> StreamEvent:
        settings = ClientConfig(faulty, token="wrong")
        async with httpx.AsyncClient(timeout=settings.timeout) as http:
            source = ReconnectingEventSource(http, settings, REQUEST, sleep=instant)
            return [event async for event in source.events()][-1]

    last = asyncio.run(main())
    assert isinstance(last, Rejected)
    assert last.reason == "unauthorized"
    assert not isinstance(last, GaveUp)
