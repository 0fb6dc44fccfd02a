"""nscale-assist's three answer bodies decoded with bytes alone: the captures, every marker case,
and any chunking (one byte at a time, random splits)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from servers.nscale.recorded import Capture, capture
from servers.nscale.streams import (
    SSE_DONE,
    V1_DONE,
    conn_error,
    sse_ping,
    sse_token,
    v1_token,
)

from desktop.protocol.events import Reset, StreamError, Thinking, Token, ToolUse
from desktop.protocol.upstream.chat_stream import EndOfStream, UpstreamFormatError
from desktop.protocol.upstream.nscale import (
    EMPTY_ANSWER,
    LegacyStreamDecoder,
    NscaleDecoder,
    V1StreamDecoder,
    WholeAnswerDecoder,
)

RESPONSE = re.compile(rb'data: data: (\{"response": .*\})\r\n')


def decode(decoder: NscaleDecoder, pieces: Sequence[bytes], *, clean_end: bool = True) -> list[Any]:
    facts: list[Any] = []
    for piece in pieces:
        facts += decoder.feed(piece)
    if clean_end:
        facts += decoder.close()
    return facts


def decoder_for(name: str) -> NscaleDecoder:
    return V1StreamDecoder() if "v1" in name else LegacyStreamDecoder()


def text_of(facts: list[Any]) -> str:
    """The answer as the client shows it: the tokens after the last reset."""
    text = ""
    for fact in facts:
        if isinstance(fact, Reset):
            text = ""
        elif isinstance(fact, Token):
            text += fact.content
    return text


def sent_tokens(recorded: Capture) -> list[str]:
    """What the server sent, read independently of the decoder (a regex per frame)."""
    if "v1" in recorded.name:
        return [json.loads(c)["content"] for c in recorded.chunks if c.startswith(b'{"content"')]
    return [json.loads(m.group(1))["response"] for m in RESPONSE.finditer(recorded.body)]


def kinds(facts: list[Any]) -> list[str]:
    return [type(fact).__name__ for fact in facts if not isinstance(fact, Token)]


# --- the captures -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "01-get-api-question-stream",
        "02-get-v1-question-stream",
        "03-post-v1-question-stream",
        "05-long-answer-pings",
        "18c-non-ascii-answer-get-v1",
    ],
)
def test_a_complete_captured_answer_is_its_exact_text_then_the_end(name: str) -> None:
    recorded = capture(name)
    facts = decode(decoder_for(name), recorded.chunks)
    assert text_of(facts) == "".join(sent_tokens(recorded))
    assert kinds(facts) == ["EndOfStream"]
    assert [f.index for f in facts if isinstance(f, Token)] == list(range(len(facts) - 1))


def test_escaped_non_ascii_and_emoji_arrive_as_text() -> None:
    text = text_of(decode(V1StreamDecoder(), capture("18c-non-ascii-answer-get-v1").chunks))
    assert " \U0001f642" in text
    assert "\ud83d" not in text  # surrogate pairs joined, never left as halves


def test_ollama_killed_mid_answer_keeps_the_partial_text_and_ends_with_its_error() -> None:
    recorded = capture("30-ollama-killed-mid-answer")
    facts = decode(LegacyStreamDecoder(), recorded.chunks)
    partial = "".join(t for t in sent_tokens(recorded) if not t.startswith("["))
    assert text_of(facts) == partial
    error = facts[-1]
    assert error == StreamError(0, "upstream", conn_error().removeprefix("[CONN_ERROR] "), False)
    assert kinds(facts) == ["StreamError"]  # the retries that failed start nothing over


def test_ollama_down_before_the_answer_is_an_error_without_text() -> None:
    facts = decode(LegacyStreamDecoder(), capture("31-ollama-down-before-answer").chunks)
    assert text_of(facts) == ""
    assert kinds(facts) == ["StreamError"]
    assert facts[-1].message.startswith("Verbindungsfehler: Cannot connect to host")


def test_an_empty_answer_is_an_error_not_a_silent_success() -> None:
    facts = decode(LegacyStreamDecoder(), capture("33-llama-down-before-answer").chunks)
    assert facts == [StreamError(0, "upstream", EMPTY_ANSWER, False)]


def test_timeouts_restart_the_answer_and_the_last_attempt_stands_with_its_error() -> None:
    recorded = capture("34-llm-timeout-5s")
    facts = decode(LegacyStreamDecoder(), recorded.chunks)
    assert kinds(facts) == ["Reset", "Reset", "StreamError"]
    sent = sent_tokens(recorded)
    last_attempt = sent[sent.index("[STREAM_RETRY]", sent.index("[STREAM_RETRY]") + 1) + 1 :]
    assert text_of(facts) == "".join(last_attempt[: last_attempt.index("[TIMEOUT]")])
    assert facts[-1] == StreamError(
        0, "network_timeout", "Zeitüberschreitung bei der Anfrage", False
    )
    resets = [f for f in facts if isinstance(f, Reset)]
    assert all(r.reason == "upstream_retry" and "too long" in (r.message or "") for r in resets)
    for n, fact in enumerate(facts):  # a reset comes just before the new attempt's first token
        if isinstance(fact, Reset):
            assert isinstance(facts[n + 1], Token)


# --- markers and ends, synthetic ----------------------------------------------------------------


def legacy(*tokens: str, final_empty: bool = True) -> list[bytes]:
    return [*map(sse_token, tokens), *([sse_token("")] if final_empty else []), SSE_DONE]


def v1(*tokens: str, final_empty: bool = True) -> list[bytes]:
    return [*map(v1_token, tokens), *([v1_token("")] if final_empty else []), V1_DONE]


DIALECTS = pytest.mark.parametrize(
    ("frames", "make"), [(legacy, LegacyStreamDecoder), (v1, V1StreamDecoder)], ids=["legacy", "v1"]
)


@DIALECTS
def test_a_retry_that_answers_starts_the_answer_over(frames: Any, make: Any) -> None:
    body = frames(" Erst", " abge", "[TIMEOUT]", "[STREAM_RETRY]", " Neu", " und", " ganz")
    facts = decode(make(), body)
    assert text_of(facts) == " Neu und ganz"
    (reset,) = [f for f in facts if isinstance(f, Reset)]
    assert facts[facts.index(reset) + 1] == Token(0, " Neu", 2)
    assert isinstance(facts[-1], EndOfStream)


@DIALECTS
def test_a_retry_before_any_text_starts_nothing_over(frames: Any, make: Any) -> None:
    facts = decode(make(), frames("[STREAM_RETRY]", " Antwort"))
    assert kinds(facts) == ["EndOfStream"]
    assert text_of(facts) == " Antwort"


@pytest.mark.parametrize(
    ("marker", "error_type", "message"),
    [
        ("[CONN_ERROR] Verbindungsfehler: x", "upstream", "Verbindungsfehler: x"),
        ("[FINAL_TIMEOUT] Zeit\u00fcberschreitung", "network_timeout", "Zeitüberschreitung"),
        ("[ERROR] Fehler: kaputt", "upstream", "Fehler: kaputt"),
        ("[NO_TOKENS] Keine Tokens erhalten", "upstream", "Keine Tokens erhalten"),
        ("[UNEXPECTED_ERROR] Ups", "upstream", "Ups"),
        ("[NO_TOKENS]", "upstream", "Keine Antwort vom Sprachmodell"),
    ],
)
@DIALECTS
def test_every_giving_up_marker_is_an_error_and_the_partial_text_stands(
    frames: Any, make: Any, marker: str, error_type: str, message: str
) -> None:
    facts = decode(make(), frames(" Teil", "[STREAM_RETRY]", marker, final_empty=False))
    assert text_of(facts) == " Teil"
    assert facts[-1] == StreamError(0, error_type, message, False)
    assert kinds(facts) == ["StreamError"]


@DIALECTS
def test_a_marker_is_never_answer_text(frames: Any, make: Any) -> None:
    facts = decode(make(), frames("[STREAM_RETRY]", "[TIMEOUT]", " a", final_empty=True))
    assert "[" not in text_of(facts)


def test_the_legacy_end_is_the_inner_done_or_the_body_end() -> None:
    assert kinds(decode(LegacyStreamDecoder(), [sse_token(" a"), SSE_DONE], clean_end=False)) == [
        "EndOfStream"
    ]
    assert kinds(decode(LegacyStreamDecoder(), [sse_token(" a")], clean_end=False)) == []
    assert kinds(decode(LegacyStreamDecoder(), [sse_token(" a")])) == ["EndOfStream"]


@DIALECTS
def test_after_the_final_empty_token_a_cut_body_still_counts_as_whole(
    frames: Any, make: Any
) -> None:
    decoder = make()
    before_end = frames(" a")[:-1]  # the token and the final empty one, no done
    assert kinds(decode(decoder, before_end, clean_end=False)) == []
    assert decoder.finish_reason == "stop"  # the caller ends a cut body here as done
    empty_only = make()
    decode(empty_only, frames()[:-1], clean_end=False)
    assert empty_only.finish_reason is None  # nothing to count as whole: an empty answer


@DIALECTS
def test_an_empty_token_mid_answer_is_no_end(frames: Any, make: Any) -> None:
    body = [*frames(" eins")[:-1], *frames(" zwei")]
    facts = decode(make(), body)
    assert text_of(facts) == " eins zwei"
    assert kinds(facts) == ["EndOfStream"]


def test_pings_and_anything_after_the_end_are_ignored() -> None:
    body = [sse_ping(), sse_token(" a"), sse_ping(), sse_token(""), SSE_DONE, sse_token(" x")]
    facts = decode(LegacyStreamDecoder(), body)
    assert text_of(facts) == " a"
    assert kinds(facts) == ["EndOfStream"]


def test_a_fixed_server_that_wraps_once_is_read_too() -> None:
    body = b'data: {"response": " einmal"}\r\n\r\ndata: {"response": ""}\r\n\r\n'
    assert text_of(decode(LegacyStreamDecoder(), [body])) == " einmal"


def test_a_leading_think_block_is_thinking_not_answer() -> None:
    facts = decode(V1StreamDecoder(), v1("<think>", "hmm", "</think>", " Ja"))
    assert text_of(facts) == "Ja"  # the space after the block goes with it, as for every upstream
    assert "".join(f.content or "" for f in facts if isinstance(f, Thinking)) == "hmm"


def test_v1_needs_its_done_or_the_body_end() -> None:
    assert kinds(decode(V1StreamDecoder(), [v1_token(" a"), v1_token("")], clean_end=False)) == []
    assert kinds(decode(V1StreamDecoder(), [v1_token(" a"), V1_DONE], clean_end=False)) == [
        "EndOfStream"
    ]


@pytest.mark.parametrize(
    ("make", "body"),
    [
        (LegacyStreamDecoder, b"data: data: {not json}\r\n\r\n\r\n"),
        (LegacyStreamDecoder, b'data: data: ["a"]\r\ndata: \r\n\r\n'),
        (V1StreamDecoder, b'{"content": " a"}<html>'),
        (V1StreamDecoder, b'"text"'),
        (V1StreamDecoder, b'{"content": "\xff"}'),
    ],
)
def test_bad_bytes_are_a_clear_format_error(make: Any, body: bytes) -> None:
    with pytest.raises(UpstreamFormatError):
        decode(make(), [body])


def test_a_v1_body_cut_inside_an_object_is_a_format_error_at_the_end() -> None:
    decoder = V1StreamDecoder()
    assert text_of(decoder.feed(b'{"content": " a"}{"content": " b')) == " a"
    with pytest.raises(UpstreamFormatError):
        decoder.close()


def test_an_error_object_ends_the_answer_with_its_message() -> None:
    facts = decode(
        LegacyStreamDecoder(),
        [
            sse_token(" a")[:0]
            + b'data: data: {"error": "Keine relevanten Informationen gefunden"}\r\n\r\n\r\n'
        ],
    )
    assert facts == [StreamError(0, "upstream", "Keine relevanten Informationen gefunden", False)]


# --- POST /api/question -------------------------------------------------------------------------


def whole(payload: dict[str, Any]) -> list[Any]:
    return decode(WholeAnswerDecoder(), [json.dumps(payload).encode()])


def test_a_whole_answer_is_its_sources_as_a_search_card_then_the_text() -> None:
    decoder = WholeAnswerDecoder()
    body = json.dumps(
        {
            "answer": "Öffnen Sie die Akte 🙂",
            "session_id": 4,
            "message_id": 9,
            "sources": [
                "Akten.md",
                {"source": "Handbuch.pdf", "content": "Kapitel 3", "score": 0.8},
            ],
            "cached": False,
        }
    ).encode()
    facts = decode(decoder, [body[:7], body[7:]])
    started, completed, token, end = facts
    assert (started.status, completed.status, completed.tool) == (
        "started",
        "completed",
        "document_search",
    )
    assert completed.output == {
        "hits": [
            {"title": "Akten.md", "score": None, "snippet": ""},
            {"title": "Handbuch.pdf", "score": 0.8, "snippet": "Kapitel 3"},
        ]
    }
    assert token == Token(0, "Öffnen Sie die Akte 🙂", 0)
    assert isinstance(end, EndOfStream)
    assert decoder.session_id == 4


def test_a_whole_answer_without_sources_has_no_card_and_an_empty_one_is_an_error() -> None:
    assert kinds(whole({"answer": "Ja", "sources": []})) == ["EndOfStream"]
    assert whole({"answer": "", "sources": ["a"]})[-1] == StreamError(
        0, "upstream", EMPTY_ANSWER, False
    )
    assert kinds(whole({"answer": "[CONN_ERROR] Verbindungsfehler"}))[-1] == "StreamError"
    with pytest.raises(UpstreamFormatError):
        decode(WholeAnswerDecoder(), [b"<html>Login</html>"])
    assert not any(isinstance(f, ToolUse) for f in whole({"answer": "x", "sources": "none"}))


# --- any chunking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "01-get-api-question-stream",
        "30-ollama-killed-mid-answer",
        "31-ollama-down-before-answer",
        "33-llama-down-before-answer",
        "35-cors-and-plus-sign",
    ],
)
def test_one_byte_at_a_time_gives_the_same_events(name: str) -> None:
    body = capture(name).body
    whole_facts = decode(decoder_for(name), [body])
    assert decode(decoder_for(name), [body[i : i + 1] for i in range(len(body))]) == whole_facts


def test_one_byte_at_a_time_gives_the_same_events_in_v1() -> None:
    body = b"".join(capture("02-get-v1-question-stream").chunks[:300]) + V1_DONE
    body = body.replace(b'" panel"', json.dumps(" Grüße 🙂").encode())
    whole_facts = decode(V1StreamDecoder(), [body])
    assert text_of(whole_facts).startswith(" Grüße 🙂")
    assert decode(V1StreamDecoder(), [body[i : i + 1] for i in range(len(body))]) == whole_facts


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts})
    return [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(
        [
            "01-get-api-question-stream",
            "18c-non-ascii-answer-get-v1",
            "30-ollama-killed-mid-answer",
            "34-llm-timeout-5s",
            "03-post-v1-question-stream",
        ]
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=1 << 20), max_size=60),
)
def test_random_splits_give_the_same_events(name: str, cuts: list[int]) -> None:
    body = capture(name).body
    assert decode(decoder_for(name), split(body, cuts)) == decode(decoder_for(name), [body])


def test_a_whole_answer_holding_markers_is_read_attempt_by_attempt() -> None:
    facts = whole({"answer": " Erst ab[TIMEOUT][STREAM_RETRY] Neu ganz", "sources": []})
    assert text_of(facts) == " Neu ganz"
    assert kinds(facts) == ["Reset", "EndOfStream"]
    failed = whole({"answer": " Teil[STREAM_RETRY][CONN_ERROR] Verbindungsfehler: weg"})
    assert text_of(failed) == " Teil"
    assert failed[-1] == StreamError(0, "upstream", "Verbindungsfehler: weg", False)
