"""The Ollama backend against fake ``/api/chat`` upstreams on loopback sockets."""

from __future__ import annotations

import asyncio
import json

import pytest
from backend_fakes import JSON, NDJSON, generate, line, ollama_done, ollama_message
from servers.fault_server import FaultServer, Reply

from desktop.protocol.events import Done, Thinking, Token, ToolUse, Usage
from desktop.protocol.request import ChatOptions, ChatRequest, HistoryItem
from desktop.server.backend import UpstreamError
from desktop.server.backends.ollama import OllamaBackend

pytestmark = pytest.mark.e2e

REQUEST = ChatRequest(
    "Wie exportiere ich?",
    history=(HistoryItem("user", "Hallo"), HistoryItem("assistant", "Hallo!")),
    options=ChatOptions(max_tokens=64, temperature=0.2),
)


def run(replies: list[Reply], request: ChatRequest = REQUEST, **kwargs: object) -> tuple:
    async def scenario() -> tuple:
        async with FaultServer(replies) as server:
            backend = OllamaBackend(server.url, model="local/tiny", **kwargs)  # type: ignore[arg-type]
            try:
                events = await generate(backend, request)
            except UpstreamError as exc:
                return exc, server.stream_requests
            return events, server.stream_requests

    return asyncio.run(scenario())


def test_lines_map_thinking_tokens_tool_calls_and_counts() -> None:
    tool_call = {"function": {"name": "document_search", "arguments": {"query": "export"}}}
    body = [
        ollama_message(thinking="Hmm."),
        ollama_message("Hallo"),
        ollama_message(" Welt"),
        ollama_message(tool_calls=[tool_call]),
        ollama_done("stop", prompt=12, completion=3),
    ]
    events, requests = run([Reply(200, NDJSON, body)], api_key="key")
    assert events == [
        Thinking(0, content="Hmm."),
        Token(0, "Hallo", 0),
        Token(0, " Welt", 1),
        ToolUse(0, "call-0", "document_search", "started", {"query": "export"}),
        ToolUse(0, "call-0", "document_search", "completed", {"query": "export"}),
        Done(0, "stop", Usage(12, 3)),
    ]
    (sent,) = requests
    assert sent.path == "/api/chat"
    assert sent.headers["authorization"] == "Bearer key"
    body_sent = json.loads(sent.body)
    assert body_sent["model"] == "local/tiny"
    assert body_sent["stream"] is True
    assert body_sent["options"] == {"num_predict": 64, "temperature": 0.2}
    assert [m["role"] for m in body_sent["messages"]] == ["user", "assistant", "user"]


def test_lines_split_across_chunks_are_joined() -> None:
    whole = ollama_message("Hallo") + ollama_done()
    body = [whole[:7], 0.01, whole[7:30], whole[30:]]
    events, _ = run([Reply(200, NDJSON, body)])
    assert events[0] == Token(0, "Hallo", 0)
    assert isinstance(events[-1], Done)


def test_done_reason_length_ends_with_done_length() -> None:
    events, _ = run([Reply(200, NDJSON, [ollama_message("a"), ollama_done("length")])])
    assert events[-1] == Done(0, "length", Usage(5, 3))


@pytest.mark.parametrize(
    ("reply", "error_type", "resumable", "retry_after"),
    [
        (
            Reply(429, (*JSON, ("Retry-After", "3")), [b'{"error": "too many requests"}']),
            "rate_limit",
            True,
            3.0,
        ),
        (
            Reply(503, JSON, [b'{"error": "server busy, please try again."}']),
            "model_overload",
            True,
            None,
        ),
        (
            Reply(404, JSON, [b'{"error": "model \\"x\\" not found, try pulling it first"}']),
            "upstream",
            False,
            None,
        ),
        (
            Reply(400, JSON, [b'{"error": "input length exceeds the context length"}']),
            "token_limit",
            False,
            None,
        ),
    ],
)
def test_refusals_before_the_stream_raise_in_open(
    reply: Reply, error_type: str, resumable: bool, retry_after: float | None
) -> None:
    error, _ = run([reply])
    assert isinstance(error, UpstreamError)
    assert (error.error_type, error.resumable, error.retry_after) == (
        error_type,
        resumable,
        retry_after,
    )


def test_an_error_line_inside_the_stream_is_mapped() -> None:
    body = [ollama_message("a"), line({"error": "an unknown error was encountered"})]
    error, _ = run([Reply(200, NDJSON, body)])
    assert (error.error_type, error.resumable) == ("upstream", False)
    assert "unknown error" in error.message


def test_a_malformed_line_is_a_non_resumable_upstream_error() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_message("a"), b"{oops\n", ollama_done()])])
    assert (error.error_type, error.resumable) == ("upstream", False)


def test_a_body_that_ends_before_done_is_a_resumable_upstream_error() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_message("a")])])
    assert (error.error_type, error.resumable) == ("upstream", True)


def test_a_stall_is_a_network_timeout() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_message("a"), 5.0], end="hang")], timeout=0.3)
    assert (error.error_type, error.resumable) == ("network_timeout", True)


def test_a_think_block_in_the_content_becomes_thinking() -> None:
    body = [
        ollama_message("<thi"),
        ollama_message("nk>Erst suchen.</th"),
        ollama_message("ink>\n\nHallo"),
        ollama_done(),
    ]
    events, _ = run([Reply(200, NDJSON, body)])
    assert events[:-1] == [Thinking(0, content="Erst suchen."), Token(0, "Hallo", 0)]
