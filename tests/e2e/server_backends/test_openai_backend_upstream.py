"""The OpenAI-compatible backend against fake upstreams on loopback sockets."""

from __future__ import annotations

import asyncio
import json

import pytest
from backend_fakes import REQUEST, generate, run_backend
from servers.fault_server import FaultServer, Reply
from servers.upstream_bodies import JSON, SSE, chunk, sse

from desktop.protocol.events import Done, StreamWarning, Thinking, Token, ToolUse, Usage
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.server.backend import UpstreamError
from desktop.server.backends.openai import OpenAIBackend

pytestmark = pytest.mark.e2e


def run(replies: list[Reply], request: ChatRequest = REQUEST, **kwargs: object) -> tuple:
    return run_backend(OpenAIBackend, replies, request, **kwargs)


def test_a_stream_maps_reasoning_tokens_tool_calls_and_usage() -> None:
    call = {"index": 0, "id": "call_1", "type": "function"}
    body = [
        sse({"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}),
        chunk(reasoning="Let me think."),
        chunk("Hallo"),
        chunk(" Welt"),
        chunk(tool_calls=[{**call, "function": {"name": "search", "arguments": ""}}]),
        chunk(tool_calls=[{"index": 0, "function": {"arguments": '{"q": "ex'}}]),
        chunk(tool_calls=[{"index": 0, "function": {"arguments": 'port"}'}}]),
        chunk(finish="tool_calls"),
        sse({"choices": [], "usage": {"prompt_tokens": 11, "completion_tokens": 4}}),
        sse("[DONE]"),
    ]
    events, requests = run([Reply(200, SSE, body)], api_key="sk-test")
    assert events == [
        Thinking(0, content="Let me think."),
        Token(0, "Hallo", 0),
        Token(0, " Welt", 1),
        ToolUse(0, "call_1", "search", "started"),
        ToolUse(0, "call_1", "search", "completed", {"q": "export"}),
        Done(0, "stop", Usage(11, 4)),
    ]
    (sent,) = requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == "Bearer sk-test"
    body_sent = json.loads(sent.body)
    assert body_sent["model"] == "tiny"
    assert body_sent["stream"] is True
    assert body_sent["max_tokens"] == 64
    assert body_sent["temperature"] == 0.2
    assert body_sent["messages"][-1] == {"role": "user", "content": "Wie exportiere ich?"}
    assert [m["role"] for m in body_sent["messages"]] == ["user", "assistant", "user"]


def test_the_request_may_choose_the_model() -> None:
    request = ChatRequest("hi", options=ChatOptions(model="other"))
    _, requests = run([Reply(200, SSE, [chunk("x", finish="stop"), sse("[DONE]")])], request)
    assert json.loads(requests[0].body)["model"] == "other"


def test_finish_reason_length_ends_with_done_length() -> None:
    events, _ = run([Reply(200, SSE, [chunk("a"), chunk(" b", finish="length"), sse("[DONE]")])])
    assert events[-1] == Done(0, "length", Usage(completion_tokens=2))


def test_a_content_filter_stop_is_reported_as_a_warning() -> None:
    events, _ = run([Reply(200, SSE, [chunk("a"), chunk(finish="content_filter"), sse("[DONE]")])])
    assert isinstance(events[-2], StreamWarning)
    assert events[-2].code == "content_filter"
    assert events[-1].finish_reason == "stop"


def test_a_plain_json_completion_is_accepted_too() -> None:
    completion = {
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hi there"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2},
    }
    events, _ = run([Reply(200, JSON, [json.dumps(completion).encode()])])
    assert events == [Token(0, "Hi there", 0), Done(0, "stop", Usage(3, 2))]


def test_a_finished_stream_without_done_marker_still_ends_properly() -> None:
    events, _ = run([Reply(200, SSE, [chunk("a"), chunk(finish="stop")])])
    assert events[-1] == Done(0, "stop", Usage(completion_tokens=1))


def test_the_upstream_error_text_reaches_the_message() -> None:
    error, _ = run([Reply(401, JSON, [b'{"error": {"message": "invalid api key"}}'])])
    assert "401" in error.message
    assert "invalid api key" in error.message


def test_a_silent_upstream_is_a_network_timeout() -> None:
    error, _ = run([Reply(200, SSE, [chunk("a"), 5.0], end="hang")], timeout=0.3)
    assert isinstance(error, UpstreamError)
    assert (error.error_type, error.resumable) == ("network_timeout", True)


def test_no_response_at_all_is_a_network_timeout() -> None:
    error, _ = run([Reply(0, end="hang")], timeout=0.3)
    assert (error.error_type, error.resumable) == ("network_timeout", True)


def test_a_malformed_chunk_is_a_non_resumable_upstream_error() -> None:
    error, _ = run([Reply(200, SSE, [chunk("a"), b"data: {not json\n\n", chunk(finish="stop")])])
    assert (error.error_type, error.resumable) == ("upstream", False)
    assert "malformed" in error.message


def test_an_error_inside_the_stream_is_mapped_by_its_message() -> None:
    body = [chunk("a"), sse({"error": {"message": "The server is overloaded, try later"}})]
    error, _ = run([Reply(200, SSE, body)])
    assert (error.error_type, error.resumable) == ("model_overload", True)


@pytest.mark.parametrize("end", ["close", "reset"])
def test_a_stream_cut_off_midway_is_a_resumable_upstream_error(end: str) -> None:
    error, _ = run([Reply(200, SSE, [chunk("a"), chunk(" b")], end=end)])  # type: ignore[arg-type]
    assert isinstance(error, UpstreamError)
    assert (error.error_type, error.resumable) == ("upstream", True)


def test_a_refused_connection_is_a_resumable_upstream_error() -> None:
    async def scenario() -> UpstreamError:
        async with FaultServer([]) as server:
            url = server.url
        backend = OpenAIBackend(url)  # nothing listens there any more
        with pytest.raises(UpstreamError) as caught:
            await generate(backend, REQUEST)
        return caught.value

    error = asyncio.run(scenario())
    assert (error.error_type, error.resumable) == ("upstream", True)


def test_a_non_stream_content_type_is_malformed() -> None:
    error, _ = run([Reply(200, (("Content-Type", "text/html"),), [b"<html>login</html>"])])
    assert (error.error_type, error.resumable) == ("upstream", False)
