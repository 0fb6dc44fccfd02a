"""The OpenAI-compatible chunk decoder, with bytes alone: SSE in, the protocol's events out."""

from __future__ import annotations

import json

import pytest
from chunked_bodies import cut, decode_all
from hypothesis import given
from hypothesis import strategies as st
from servers.upstream_bodies import DONE, chunk, openai_answer, sse, usage_chunk

from desktop.protocol.events import Thinking, Token, ToolUse, Usage
from desktop.protocol.upstream.chat_stream import ChatFact, EndOfStream, UpstreamFailure
from desktop.protocol.upstream.chat_stream import UpstreamFormatError as Unreadable
from desktop.protocol.upstream.openai_chat import ChatCompletionDecoder, WholeCompletionDecoder


def decode(*pieces: bytes) -> list[ChatFact]:
    return decode_all(ChatCompletionDecoder(), *pieces)


def test_an_answer_becomes_tokens_with_indexes_then_the_end() -> None:
    decoder = ChatCompletionDecoder()
    facts = decode_all(decoder, *openai_answer("Hal", "lo"))
    assert facts == [Token(0, "Hal", 0), Token(0, "lo", 1), EndOfStream()]
    assert (decoder.finish_reason, decoder.usage, decoder.tokens) == ("stop", None, 2)


def test_usage_arrives_in_a_chunk_without_choices() -> None:
    decoder = ChatCompletionDecoder()
    decode_all(decoder, chunk("a"), chunk(finish="length"), usage_chunk(7, 3), DONE)
    assert (decoder.finish_reason, decoder.usage) == ("length", Usage(7, 3))


@pytest.mark.parametrize("key", ["reasoning_content", "reasoning"])
def test_both_reasoning_fields_become_thinking(key: str) -> None:
    frame = sse({"choices": [{"delta": {key: "hmm"}, "finish_reason": None}]})
    assert decode(frame) == [Thinking(0, content="hmm")]


def test_a_leading_think_block_becomes_thinking_and_the_rest_tokens() -> None:
    frames = [chunk(t) for t in ("<thi", "nk>plan", "</think>", "\n\nDone", " now")]
    assert decode(*frames, chunk(finish="stop")) == [
        Thinking(0, content="plan"),
        Token(0, "Done", 0),
        Token(0, " now", 1),
    ]


def test_text_held_back_for_a_possible_tag_is_released_by_the_finish() -> None:
    assert decode(chunk("<thi"), chunk(finish="stop")) == [Token(0, "<thi", 0)]


def test_tool_call_fragments_are_assembled_into_one_call() -> None:
    fragments = [
        [{"index": 0, "id": "call_9", "function": {"name": "search", "arguments": ""}}],
        [{"index": 0, "function": {"arguments": '{"query": '}}],
        [{"index": 0, "function": {"name": None, "arguments": '"export"}'}}],
    ]
    facts = decode(*(chunk(tool_calls=f) for f in fragments), chunk(finish="tool_calls"))
    assert facts == [
        ToolUse(0, "call_9", "search", "started"),
        ToolUse(0, "call_9", "search", "completed", {"query": "export"}),
    ]


def test_parallel_calls_are_told_apart_by_index_and_get_ids_when_missing() -> None:
    calls = [
        {"index": 0, "function": {"name": "a", "arguments": '{"x": 1}'}},
        {"index": 1, "function": {"name": "b", "arguments": {"y": 2}}},
    ]
    facts = decode(chunk(tool_calls=calls), chunk(finish="tool_calls"))
    assert facts == [
        ToolUse(0, "call-0", "a", "started"),
        ToolUse(0, "call-1", "b", "started"),
        ToolUse(0, "call-0", "a", "completed", {"x": 1}),
        ToolUse(0, "call-1", "b", "completed", {"y": 2}),
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [("", {}), ("[1, 2]", {"arguments": [1, 2]}), ("{oops", {"arguments": "{oops"})],
)
def test_arguments_that_are_no_object_are_kept(arguments: str, expected: dict[str, object]) -> None:
    call = [{"index": 0, "id": "c", "function": {"arguments": arguments}}]
    facts = decode(chunk(tool_calls=call), DONE)
    assert facts == [
        ToolUse(0, "c", "unknown", "started", expected),
        ToolUse(0, "c", "unknown", "completed", expected),
        EndOfStream(),
    ]


def test_nothing_after_the_done_marker_counts() -> None:
    decoder = ChatCompletionDecoder()
    assert decoder.feed(DONE + chunk("late")) == [EndOfStream()]
    assert decoder.feed(chunk("later")) == []
    assert decoder.ended


def test_a_cut_stream_releases_nothing_at_its_end() -> None:
    decoder = ChatCompletionDecoder()
    assert decoder.feed(chunk("<thi")) == []
    assert decoder.close() == []
    assert decoder.finish_reason is None


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (sse({"error": {"message": "the model crashed", "type": "server_error"}}), "crashed"),
        (sse({"error": "plain text"}), "plain text"),
        (b"event: error\ndata: overloaded\n\n", "overloaded"),
    ],
)
def test_errors_in_the_stream_are_failures(frame: bytes, message: str) -> None:
    (failure,) = decode(frame)
    assert isinstance(failure, UpstreamFailure)
    assert message in failure.message


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"data: {oops\n\n", "not JSON"),
        (b"data: [1]\n\n", "not a JSON object"),
        (b"data: " + b"x" * 64 + b"\n\n", "exceeds"),
    ],
)
def test_what_cannot_be_read_is_a_format_error(frame: bytes, message: str) -> None:
    with pytest.raises(Unreadable, match=message):
        ChatCompletionDecoder(max_event_bytes=32).feed(frame)


ANSWER = [
    chunk(reasoning="Let me think."),
    chunk("<think>x</think>caf\u00e9"),
    chunk(" \U0001f642"),
    chunk(tool_calls=[{"index": 0, "id": "c1", "function": {"name": "s", "arguments": '{"q"'}}]),
    chunk(tool_calls=[{"index": 0, "function": {"arguments": ': "\u00e9"}'}}]),
    chunk(finish="tool_calls"),
    usage_chunk(4, 2),
    DONE,
]


@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=20), st.booleans())
def test_any_chunking_and_line_ending_gives_the_same_facts(cuts: list[int], crlf: bool) -> None:
    pieces = cut(b"".join(ANSWER), cuts, crlf=crlf)
    assert decode(*pieces) == decode(*ANSWER)
    assert decode(*ANSWER)[:3] == [
        Thinking(0, content="Let me think."),
        Thinking(0, content="x"),
        Token(0, "caf\u00e9", 0),
    ]


def test_a_whole_completion_is_decoded_when_the_body_ends() -> None:
    completion = {
        "choices": [{"message": {"role": "assistant", "content": "Hi there"}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2},
    }
    decoder = WholeCompletionDecoder()
    raw = json.dumps(completion, indent=2).encode()
    assert decoder.feed(raw[:10]) + decoder.feed(raw[10:]) == []
    assert decoder.close() == [Token(0, "Hi there", 0), EndOfStream()]
    assert (decoder.finish_reason, decoder.usage) == ("stop", Usage(3, 2))


def test_a_whole_completion_that_is_not_json_is_a_format_error() -> None:
    decoder = WholeCompletionDecoder()
    decoder.feed(b"<html>")
    with pytest.raises(Unreadable, match="not JSON"):
        decoder.close()
