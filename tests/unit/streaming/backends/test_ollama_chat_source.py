"""OllamaChatSource against a scripted Ollama ``/api/chat`` on 127.0.0.1."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest
from servers.fault_server import FaultServer, Reply
from servers.upstream_bodies import NDJSON, line, ollama_done, ollama_piece
from upstream_helpers import Sleeps, of_type, request, text_of
from upstream_helpers import run_against as run_source

from desktop.protocol.events import (
    Done,
    Reconnecting,
    Rejected,
    StreamError,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    Usage,
)
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source

run_against = partial(run_source, "ollama")


def test_ndjson_lines_become_numbered_protocol_events_with_usage() -> None:
    body = [ollama_piece("Hal"), ollama_piece("lo"), ollama_done(prompt=4, completion=2)]
    events, server = run_against([Reply(200, NDJSON, body)])
    wire = [e for e in events if hasattr(e, "id")]
    assert isinstance(wire[0], StreamStarted)
    assert wire[1:] == [Token(2, "Hal", 0), Token(3, "lo", 1), Done(4, "stop", Usage(4, 2))]
    (sent,) = server.requests
    assert (sent.method, sent.path) == ("POST", "/api/chat")
    assert sent.json() == {
        "model": "m",
        "messages": [{"role": "user", "content": "Hallo?"}],
        "stream": True,
    }


def test_thinking_and_a_think_block_become_numbered_thinking() -> None:
    body = [
        ollama_piece(thinking="hmm, "),
        ollama_piece("<think>ok"),
        ollama_piece("</think>\n\n\u65e5\u672c"),
        ollama_done(reason="length"),
    ]
    events, _ = run_against([Reply(200, NDJSON, body)])
    wire = [e for e in events if hasattr(e, "id")][1:]
    assert wire == [
        Thinking(2, content="hmm, "),
        Thinking(3, content="ok"),
        Token(4, "\u65e5\u672c", 0),
        Done(5, "length", Usage(5, 3)),
    ]


def test_a_last_line_without_newline_is_still_read() -> None:
    body = [ollama_piece("a"), ollama_done().rstrip(b"\n")]
    events, _ = run_against([Reply(200, NDJSON, body)])
    assert text_of(events) == "a"
    assert isinstance(events[-1], Done)


def test_tool_calls_arrive_whole_as_started_and_completed() -> None:
    call = {"function": {"name": "get_weather", "arguments": {"city": "Bonn"}}}
    tool_line = line({"message": {"role": "assistant", "content": "", "tool_calls": [call]}})
    events, _ = run_against([Reply(200, NDJSON, [tool_line, ollama_done()])])
    calls = of_type(events, ToolUse)
    assert [(c.tool, c.status) for c in calls] == [
        ("get_weather", "started"),
        ("get_weather", "completed"),
    ]
    assert calls[0].call_id == calls[1].call_id
    assert calls[1].input == {"city": "Bonn"}


def test_an_error_line_is_a_fatal_error_after_the_text_so_far() -> None:
    body = [ollama_piece("a"), line({"error": "model runner has unexpectedly stopped"})]
    events, _ = run_against([Reply(200, NDJSON, body)])
    terminal = events[-1]
    assert isinstance(terminal, StreamError)
    assert terminal.message == "model runner has unexpectedly stopped"
    assert text_of(events) == "a"


def test_an_unknown_model_is_an_invalid_request_with_ollamas_message() -> None:
    missing = Reply(404, (("Content-Type", "application/json"),), [b'{"error":"model not found"}'])
    events, server = run_against([missing])
    terminal = events[-1]
    assert isinstance(terminal, Rejected)
    assert (terminal.reason, terminal.status, terminal.message) == (
        "invalid_request",
        404,
        "model not found",
    )
    assert len(server.requests) == 1


def test_a_drop_before_content_is_retried_and_after_content_is_final() -> None:
    sleeps = Sleeps()
    script = [
        Reply(500, (("Content-Type", "application/json"),), [b'{"error":"loading"}']),
        Reply(200, NDJSON, [ollama_piece("a"), b'{"message": {"con'], end="close"),
    ]
    events, server = run_against(script, sleep=sleeps)
    assert len(of_type(events, Reconnecting)) == 1
    assert len(sleeps.delays) == 1
    assert text_of(events) == "a"
    assert isinstance(events[-1], Rejected)
    assert events[-1].reason == "not_resumable"
    assert len(server.requests) == 2


def test_ollama_needs_a_model_name() -> None:
    async def scenario() -> None:
        config = ClientConfig("http://127.0.0.1:9")
        async with make_client(config) as client:
            open_source(client, config, "ollama", request(), model=None)

    with pytest.raises(ValueError, match="model"):
        asyncio.run(scenario())


def test_options_map_to_ollama_names() -> None:
    async def scenario() -> object:
        async with FaultServer([Reply(200, NDJSON, [ollama_done()])]) as server:
            config = ClientConfig(server.url)
            async with make_client(config) as client:
                ask = request(max_tokens=9, temperature=0.5, model="llama3")
                source = open_source(client, config, "ollama", ask)
                async for _ in source.events():
                    pass
            return server.requests[0].json()

    body = asyncio.run(scenario())
    assert isinstance(body, dict)
    assert body["model"] == "llama3"
    assert body["options"] == {"num_predict": 9, "temperature": 0.5}
