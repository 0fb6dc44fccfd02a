"""The Ollama backend against fake ``/api/chat`` upstreams on loopback sockets."""

from __future__ import annotations

import json

import pytest
from backend_fakes import REQUEST, run_backend
from servers.fault_server import Reply
from servers.upstream_bodies import NDJSON, line, ollama_done, ollama_piece

from desktop.protocol.events import Done, Thinking, Token, ToolUse, Usage
from desktop.protocol.request import ChatRequest
from desktop.server.backends.ollama import OllamaBackend

pytestmark = pytest.mark.e2e


def run(replies: list[Reply], request: ChatRequest = REQUEST, **kwargs: object) -> tuple:
    return run_backend(OllamaBackend, replies, request, model="local/tiny", **kwargs)


def test_lines_map_thinking_tokens_tool_calls_and_counts() -> None:
    tool_call = {"function": {"name": "document_search", "arguments": {"query": "export"}}}
    body = [
        ollama_piece(thinking="Hmm."),
        ollama_piece("Hallo"),
        ollama_piece(" Welt"),
        ollama_piece(tool_calls=[tool_call]),
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


def test_done_reason_length_ends_with_done_length() -> None:
    events, _ = run([Reply(200, NDJSON, [ollama_piece("a"), ollama_done("length")])])
    assert events[-1] == Done(0, "length", Usage(5, 3))


def test_an_error_line_inside_the_stream_is_mapped() -> None:
    body = [ollama_piece("a"), line({"error": "an unknown error was encountered"})]
    error, _ = run([Reply(200, NDJSON, body)])
    assert (error.error_type, error.resumable) == ("upstream", False)
    assert "unknown error" in error.message


def test_a_malformed_line_is_a_non_resumable_upstream_error() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_piece("a"), b"{oops\n", ollama_done()])])
    assert (error.error_type, error.resumable) == ("upstream", False)


def test_a_body_that_ends_before_done_is_a_resumable_upstream_error() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_piece("a")])])
    assert (error.error_type, error.resumable) == ("upstream", True)


def test_a_stall_is_a_network_timeout() -> None:
    error, _ = run([Reply(200, NDJSON, [ollama_piece("a"), 5.0], end="hang")], timeout=0.3)
    assert (error.error_type, error.resumable) == ("network_timeout", True)
