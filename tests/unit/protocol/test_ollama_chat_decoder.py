"""Ollama's ``/api/chat`` line decoder, with bytes alone: NDJSON in, the protocol's events out."""

from __future__ import annotations

import pytest
from chunked_bodies import cut, decode_all
from hypothesis import given
from hypothesis import strategies as st
from servers.upstream_bodies import line, ollama_done, ollama_piece

from desktop.protocol.events import Thinking, Token, ToolUse, Usage
from desktop.protocol.upstream.chat_stream import ChatFact, EndOfStream, UpstreamFailure
from desktop.protocol.upstream.chat_stream import UpstreamFormatError as Unreadable
from desktop.protocol.upstream.ollama_chat import ChatLineDecoder


def decode(*pieces: bytes) -> list[ChatFact]:
    return decode_all(ChatLineDecoder(), *pieces)


def test_lines_become_thinking_tokens_and_the_end_with_counts() -> None:
    decoder = ChatLineDecoder()
    facts = decode_all(
        decoder,
        ollama_piece(thinking="Hmm."),
        ollama_piece("Hal"),
        ollama_piece("lo"),
        ollama_done("length", prompt=12, completion=3),
    )
    assert facts == [
        Thinking(0, content="Hmm."),
        Token(0, "Hal", 0),
        Token(0, "lo", 1),
        EndOfStream(),
    ]
    assert (decoder.finish_reason, decoder.usage, decoder.tokens) == ("length", Usage(12, 3), 2)


def test_a_done_line_without_reason_or_counts_is_a_stop_with_unknown_usage() -> None:
    decoder = ChatLineDecoder()
    decode_all(decoder, line({"message": {"content": ""}, "done": True}))
    assert (decoder.finish_reason, decoder.usage) == ("stop", Usage())


def test_a_think_block_cut_across_lines_becomes_thinking() -> None:
    pieces = [
        ollama_piece("<thi"),
        ollama_piece("nk>Erst suchen.</th"),
        ollama_piece("ink>\n\nHallo"),
    ]
    assert decode(*pieces, ollama_done()) == [
        Thinking(0, content="Erst suchen."),
        Token(0, "Hallo", 0),
        EndOfStream(),
    ]


def test_tool_calls_arrive_whole_and_start_and_complete_at_once() -> None:
    calls = [
        {"function": {"name": "document_search", "arguments": {"query": "export"}}},
        {"id": "own", "function": {"name": "calc", "arguments": '{"x": 1}'}},
        {"function": {"arguments": None}},
        "not a call",
    ]
    assert decode(ollama_piece(tool_calls=calls)) == [
        ToolUse(0, "call-0", "document_search", "started", {"query": "export"}),
        ToolUse(0, "call-0", "document_search", "completed", {"query": "export"}),
        ToolUse(0, "own", "calc", "started", {"x": 1}),
        ToolUse(0, "own", "calc", "completed", {"x": 1}),
        ToolUse(0, "call-2", "unknown", "started", {}),
        ToolUse(0, "call-2", "unknown", "completed", {}),
    ]


def test_the_last_line_may_lack_its_newline() -> None:
    decoder = ChatLineDecoder()
    assert decoder.feed(ollama_piece("a") + ollama_done().rstrip(b"\n")) == [Token(0, "a", 0)]
    assert decoder.close() == [EndOfStream()]


def test_nothing_after_the_done_line_counts() -> None:
    decoder = ChatLineDecoder()
    assert decoder.feed(ollama_done() + ollama_piece("late")) == [EndOfStream()]
    assert decoder.feed(ollama_piece("later")) + decoder.close() == []


def test_an_error_line_is_a_failure() -> None:
    assert decode(line({"error": "model runner has unexpectedly stopped"})) == [
        UpstreamFailure("model runner has unexpectedly stopped")
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"{oops\n", "not JSON"), (b"[1]\n", "not a JSON object"), (b"x" * 40, "exceeds 32")],
)
def test_what_cannot_be_read_is_a_format_error(body: bytes, message: str) -> None:
    with pytest.raises(Unreadable, match=message):
        ChatLineDecoder(max_line_bytes=32).feed(body)


ANSWER = [
    ollama_piece(thinking="hmm, "),
    ollama_piece("<think>x</think>\u65e5"),
    ollama_piece("\u672c \U0001f642"),
    ollama_done(),
]


@given(st.lists(st.integers(min_value=0, max_value=1000), max_size=20), st.booleans())
def test_any_chunking_and_line_ending_gives_the_same_facts(cuts: list[int], crlf: bool) -> None:
    pieces = cut(b"".join(ANSWER), cuts, crlf=crlf)
    assert decode(*pieces) == [
        Thinking(0, content="hmm, "),
        Thinking(0, content="x"),
        Token(0, "\u65e5", 0),
        Token(0, "\u672c \U0001f642", 1),
        EndOfStream(),
    ]
