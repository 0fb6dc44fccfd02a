"""OpenAIChatSource against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from functools import partial

import pytest
from servers.fault_server import FaultServer, Raw, Reply, json_error
from servers.upstream_bodies import DONE, SSE, chunk, openai_answer, usage_chunk
from upstream_helpers import Sleeps, collect, of_type, request, text_of
from upstream_helpers import run_against as run_source

from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    StreamError,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    Usage,
)
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source
from desktop.streaming.session import AnswerSession

run_against = partial(run_source, "openai")


def test_a_streamed_answer_becomes_numbered_protocol_events() -> None:
    body = [*openai_answer("Hal", "lo", " Welt")[:-1], usage_chunk(7, 3), DONE]
    events, server = run_against([Reply(200, SSE, body)])
    assert isinstance(events[0], Connecting)
    assert isinstance(events[1], Connected)
    wire = events[2:]
    assert isinstance(wire[0], StreamStarted)
    assert wire[0].id == 1
    assert wire[0].stream_id.startswith("local-")
    assert wire[1:4] == [Token(2, "Hal", 0), Token(3, "lo", 1), Token(4, " Welt", 2)]
    assert wire[4] == Done(5, "stop", Usage(7, 3))
    (sent,) = server.requests
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert sent.headers["accept"] == "text/event-stream"
    body_sent = sent.json()
    assert body_sent == {
        "messages": [{"role": "user", "content": "Hallo?"}],
        "stream": True,
        "stream_options": {"include_usage": True},
        "model": "m",
    }


def test_the_token_is_sent_as_a_bearer_key() -> None:
    _, server = run_against([Reply(200, SSE, openai_answer("a"))], config={"token": "sk-1"})
    assert server.requests[0].headers["authorization"] == "Bearer sk-1"


def test_reasoning_and_tool_calls_get_the_next_ids_and_length_is_kept() -> None:
    call = {"index": 0, "id": "call_9", "function": {"name": "search", "arguments": "{}"}}
    body = [
        chunk(role="assistant"),
        chunk(reasoning="Let me "),
        chunk(reasoning="think."),
        chunk(tool_calls=[call]),
        chunk("Answer"),
        chunk(finish="length"),
        DONE,
    ]
    events, _ = run_against([Reply(200, SSE, body)])
    wire = [e for e in events if hasattr(e, "id")][1:]
    assert wire == [
        Thinking(2, content="Let me "),
        Thinking(3, content="think."),
        ToolUse(4, "call_9", "search", "started"),
        Token(5, "Answer", 0),
        ToolUse(6, "call_9", "search", "completed"),
        Done(7, "length"),
    ]


def test_a_think_block_in_the_content_becomes_thinking() -> None:
    body = [chunk(t) for t in ("<thi", "nk>Erst su", "chen.</think>", "\n\nHal", "lo")]
    events, _ = run_against([Reply(200, SSE, [chunk(role="assistant"), *body, *openai_answer()])])
    wire = [e for e in events if hasattr(e, "id")][1:]
    assert wire == [
        Thinking(2, content="Erst su"),
        Thinking(3, content="chen."),
        Token(4, "Hal", 0),
        Token(5, "lo", 1),
        Done(6, "stop"),
    ]


def test_a_finish_without_the_done_marker_still_finishes() -> None:
    events, _ = run_against([Reply(200, SSE, openai_answer("a", "b")[:-1])])
    assert text_of(events) == "ab"
    assert isinstance(events[-1], Done)


def test_a_reset_after_the_finish_reason_still_finishes() -> None:
    events, _ = run_against([Reply(200, SSE, openai_answer("a", "b")[:-1], end="reset")])
    assert text_of(events) == "ab"
    assert of_type(events, Done)[0].finish_reason == "stop"


def test_the_done_marker_without_a_finish_reason_is_a_cut_not_an_end() -> None:
    """What llama-cpp-python sends when a newer request interrupts a running stream."""
    body = [chunk(role="assistant"), chunk("a"), chunk("b"), DONE]
    events, server = run_against([Reply(200, SSE, body, end="close")])
    assert text_of(events) == "ab"
    terminal = events[-1]
    assert isinstance(terminal, Rejected)
    assert terminal.reason == "not_resumable"
    assert "without a finish reason" in terminal.message
    assert len(server.requests) == 1


def test_503_with_retry_after_is_retried_with_that_floor() -> None:
    sleeps = Sleeps()
    script = [
        Reply(503, (("Content-Type", "text/html"), ("Retry-After", "7")), [b"<h1>busy</h1>"]),
        Reply(200, SSE, openai_answer("ok")),
    ]
    events, server = run_against(script, sleep=sleeps)
    assert text_of(events) == "ok"
    assert len(server.requests) == 2
    (reconnecting,) = of_type(events, Reconnecting)
    assert reconnecting.reason == "HTTP 503"
    assert sleeps.delays == [reconnecting.delay]
    assert reconnecting.delay >= 7
    assert len(of_type(events, StreamStarted)) == 1


def test_a_drop_before_any_content_is_retried_with_backoff() -> None:
    sleeps = Sleeps()
    script = [
        Reply(200, SSE, [chunk(role="assistant"), Raw(b"5\r\ndata:")], end="close"),
        Reply(200, SSE, [], end="reset"),
        Reply(200, SSE, openai_answer("x", "y")),
    ]

    async def scenario() -> tuple[list[StreamEvent], AnswerSource, int]:
        async with FaultServer(script) as server:
            events, source = await collect(server.url, "openai", sleep=sleeps, random=lambda: 0.5)
            return events, source, len(server.requests)

    events, source, requests = asyncio.run(scenario())
    assert text_of(events) == "xy"
    assert requests == 3
    assert (source.stats.connections, source.stats.reconnects) == (3, 2)
    assert sleeps.delays == [1.0, 2.0]  # doubling; jitter centred by random() = 0.5
    ids = [e.id for e in events if hasattr(e, "id")]
    assert ids == list(range(1, len(ids) + 1))


def test_a_drop_after_tokens_is_not_resumable_and_keeps_the_text() -> None:
    body = [chunk(role="assistant"), chunk("Hal"), chunk("lo"), Raw(b"9\r\ndata: {")]
    events, server = run_against([Reply(200, SSE, body, end="close")])
    assert text_of(events) == "Hallo"
    terminal = events[-1]
    assert isinstance(terminal, Rejected)
    assert terminal.reason == "not_resumable"
    assert "2 tokens" in terminal.message
    assert len(server.requests) == 1


def test_an_idle_upstream_counts_as_a_drop() -> None:
    body = [chunk(role="assistant"), chunk("a")]
    events, _ = run_against([Reply(200, SSE, body, end="hang")], config={"idle_timeout": 0.2})
    assert text_of(events) == "a"
    assert isinstance(events[-1], Rejected)
    assert "no data" in events[-1].message


@pytest.mark.parametrize(
    ("reply", "reason", "status", "message"),
    [
        (json_error(401, "Incorrect API key provided"), "unauthorized", 401, "Incorrect API key"),
        (json_error(400, "max_tokens is too large"), "invalid_request", 400, "max_tokens"),
        (json_error(404, "model 'nope' not found"), "invalid_request", 404, "not found"),
        (
            Reply(200, (("Content-Type", "text/html"),), [b"<html>login</html>"]),
            "not_event_stream",
            200,
            "text/html",
        ),
    ],
)
def test_refusals_are_rejected_without_retry(
    reply: Reply, reason: str, status: int, message: str
) -> None:
    events, server = run_against([reply, Reply(200, SSE, openai_answer("no"))])
    terminal = events[-1]
    assert isinstance(terminal, Rejected)
    assert (terminal.reason, terminal.status) == (reason, status)
    assert message in terminal.message
    assert len(server.requests) == 1


def test_an_unreachable_upstream_gives_up_after_max_attempts() -> None:
    async def scenario() -> list[StreamEvent]:
        server = FaultServer([])
        await server.start()
        url = server.url
        await server.stop()  # nothing listens there any more
        events, _ = await collect(url, "openai", config={"max_attempts": 3})
        return events

    events = asyncio.run(scenario())
    assert len(of_type(events, Connecting)) == 3
    assert len(of_type(events, Reconnecting)) == 2
    terminal = events[-1]
    assert isinstance(terminal, GaveUp)
    assert terminal.attempts == 3


def test_an_unreachable_upstream_says_so_in_a_typed_field() -> None:
    async def scenario() -> list[StreamEvent]:
        server = FaultServer([])
        await server.start()
        url = server.url
        await server.stop()
        events, _ = await collect(url, "openai", config={"max_attempts": 2})
        return events

    events = asyncio.run(scenario())
    flags = [e.unreachable for e in events if isinstance(e, Reconnecting | GaveUp)]
    assert flags == [True, True]


def test_an_error_object_in_the_stream_is_a_fatal_error() -> None:
    error = b'data: {"error": {"message": "the model crashed", "type": "server_error"}}\n\n'
    events, _ = run_against([Reply(200, SSE, [chunk("a"), error])])
    terminal = events[-1]
    assert isinstance(terminal, StreamError)
    assert not terminal.resumable
    assert terminal.message == "the model crashed"
    assert text_of(events) == "a"


def test_a_chunk_that_is_not_json_is_a_protocol_rejection() -> None:
    events, _ = run_against([Reply(200, SSE, [chunk("a"), b"data: {oops\n\n"])])
    terminal = events[-1]
    assert isinstance(terminal, Rejected)
    assert terminal.reason == "protocol"


def test_cancel_closes_the_stream_and_ends_with_a_cancelled_done() -> None:
    async def scenario() -> tuple[str, StreamEvent | None, int]:
        body: list[bytes | float] = [chunk(role="assistant"), chunk("a"), chunk("b")]
        async with FaultServer([Reply(200, SSE, body, end="hang")]) as server:

            def stop_after_b(source: AnswerSource, event: StreamEvent) -> None:
                if isinstance(event, Token) and event.content == "b":
                    asyncio.get_running_loop().create_task(source.cancel())

            events, _ = await collect(server.url, "openai", on_event=stop_after_b)
            return text_of(events), events[-1], len(server.requests)

    text, terminal, requests = asyncio.run(scenario())
    assert text == "ab"
    assert isinstance(terminal, Done)
    assert terminal.finish_reason == "cancelled"
    assert requests == 1


def test_a_simulated_drop_after_tokens_ends_not_resumable() -> None:
    async def scenario() -> list[StreamEvent]:
        body: list[bytes | float] = [chunk(role="assistant"), chunk("a")]
        async with FaultServer([Reply(200, SSE, body, end="hang")]) as server:

            def drop(source: AnswerSource, event: StreamEvent) -> None:
                if isinstance(event, Token):
                    source.drop_connection()

            events, _ = await collect(server.url, "openai", on_event=drop)
            return events

    events = asyncio.run(scenario())
    assert text_of(events) == "a"
    assert isinstance(events[-1], Rejected)
    assert events[-1].reason == "not_resumable"


def test_a_session_over_the_adapter_counts_bytes_and_exits_zero() -> None:
    async def scenario() -> tuple[str, int, int]:
        async with FaultServer([Reply(200, SSE, openai_answer("a", "b"))]) as server:
            config = ClientConfig(server.url)
            async with make_client(config) as client:
                source = open_source(client, config, "openai", request(), model=None)
                session = AnswerSession(source)
                outcome = await session.run()
                body = server.requests[0].json()
                assert isinstance(body, dict)
                assert "model" not in body  # left to the server's default
                return session.text, outcome.exit_code, source.stats.bytes_received

    text, code, received = asyncio.run(scenario())
    assert (text, code) == ("ab", 0)
    assert received == len(b"".join(openai_answer("a", "b")))


def test_options_and_extra_body_reach_the_upstream() -> None:
    async def scenario() -> object:
        async with FaultServer([Reply(200, SSE, openai_answer("a"))]) as server:
            config = ClientConfig(server.url)
            async with make_client(config) as client:
                ask = request(max_tokens=5, temperature=0.0)
                source = open_source(
                    client, config, "openai", ask, model="tiny", extra_body={"seed": 3}
                )
                async for _ in source.events():
                    pass
            return server.requests[0].json()

    body = asyncio.run(scenario())
    assert isinstance(body, dict)
    assert (body["max_tokens"], body["temperature"], body["seed"]) == (5, 0.0, 3)
    assert json.dumps(body["messages"]) == '[{"role": "user", "content": "Hallo?"}]'
