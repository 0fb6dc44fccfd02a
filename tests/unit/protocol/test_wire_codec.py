"""wire.py: every event survives encode -> SSE parse -> decode; broken known events are refused."""

from __future__ import annotations

import json

import pytest

from desktop.protocol.events import (
    Done,
    Progress,
    Reset,
    StreamError,
    StreamStarted,
    StreamWarning,
    Thinking,
    Token,
    ToolUse,
    Usage,
    WireEvent,
)
from desktop.protocol.sse import SSEParser
from desktop.protocol.wire import (
    KNOWN_EVENT_NAMES,
    MalformedEvent,
    decode_event,
    encode_event,
    event_name,
    event_payload,
    payload_json,
)

EXAMPLES: list[WireEvent] = [
    StreamStarted(1, "s-1", "c-1", "demo", "2026-01-01T00:00:00Z", 120),
    StreamStarted(1, "s-2"),
    Thinking(2, message="Analysiere Ihre Anfrage..."),
    Thinking(3, content="reasoning\nwith lines"),
    Thinking(4, message="m", content="c"),
    ToolUse(5, "call-1", "document_search", "started", {"query": "Export"}),
    ToolUse(
        6,
        "call-1",
        "document_search",
        "completed",
        {"query": "Export"},
        {"hits": [{"title": "Export", "score": 0.9, "snippet": "…"}]},
        12.5,
    ),
    ToolUse(7, "call-2", "calc", "failed", {}, None, None),
    Token(8, 'Hallo "Welt"\r\n\u2028🙂', 0),
    Token(9, "", 1),
    Progress(10, 10, 100, 10.0, 42.5, 2.1, 0.2),
    Progress(11, 20),
    StreamWarning(12, "slow_upstream", "Das Modell antwortet langsam"),
    Reset(17, "upstream_retry", "Zeitüberschreitung, neuer Versuch"),
    Reset(18),
    StreamError(13, "model_overload", "überlastet", True, 2.5),
    StreamError(14, "internal", "kaputt", False),
    Done(15, "stop", Usage(10, 20), 1234.5),
    Done(16, "cancelled"),
]


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: f"{type(e).__name__}-{e.id}")
def test_every_event_round_trips_through_the_sse_wire(event: WireEvent) -> None:
    frame = encode_event(event)
    (message,) = SSEParser().feed(frame)
    assert message.event == event_name(event)
    assert message.id == str(event.id)
    assert decode_event(int(message.id), message.event, message.data) == event


def test_every_frame_is_one_data_line() -> None:
    for event in EXAMPLES:
        lines = encode_event(event).decode().split("\n")
        assert sum(line.startswith("data:") for line in lines) == 1


def test_every_known_name_has_an_encoder_and_a_decoder() -> None:
    assert {event_name(e) for e in EXAMPLES} == KNOWN_EVENT_NAMES


def test_unknown_names_decode_to_none_whatever_the_data() -> None:
    assert decode_event(3, "citation", "not json at all") is None
    assert decode_event(3, "message", "{}") is None


def test_unknown_keys_are_ignored() -> None:
    data = json.dumps({"content": "a", "index": 0, "future": {"x": [1]}})
    assert decode_event(2, "token", data) == Token(2, "a", 0)


def test_optional_numbers_that_are_not_finite_numbers_become_none() -> None:
    data = json.dumps({"tokens_sent": 5, "estimated_total": "many", "tokens_per_second": True})
    assert decode_event(4, "progress", data) == Progress(4, 5)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("token", '{"content": "a", "index": 0'),  # truncated JSON
        ("token", ""),
        ("token", "[1, 2]"),  # not an object
        ("token", '"text"'),
        ("token", '{"index": 0}'),  # missing content
        ("token", '{"content": 5, "index": 0}'),
        ("token", '{"content": "a", "index": true}'),  # bool is not an int
        ("token", '{"content": "a", "index": 1.5}'),
        ("stream", "{}"),
        ("thinking", "{}"),
        ("tool_use", '{"call_id": "c", "tool": "t", "status": "exploded"}'),
        ("tool_use", '{"tool": "t", "status": "started"}'),
        ("progress", '{"tokens_sent": "10"}'),
        ("warning", '{"code": "x"}'),
        ("reset", "{}"),  # reason missing
        ("reset", '{"reason": 3}'),
        ("error", '{"error_type": "internal", "message": "m"}'),  # resumable missing
        ("error", '{"error_type": "internal", "message": "m", "resumable": "yes"}'),
        ("done", '{"finish_reason": "finished"}'),
        ("done", "{}"),
    ],
)
def test_a_broken_known_event_is_malformed(name: str, data: str) -> None:
    with pytest.raises(MalformedEvent, match=name):
        decode_event(7, name, data)


def test_payloads_are_plain_json_objects() -> None:
    for event in EXAMPLES:
        assert json.loads(json.dumps(event_payload(event))) == event_payload(event)


@pytest.mark.parametrize(
    "content",
    ["", " wort", 'say "hi"', "back\\slash", "line\nbreak\r\t", "\x00\x1f\x7f", "Größe 🙂",
     "\u2028\u2029", "\ud800 lone surrogate", "</script>"],
)  # fmt: skip
@pytest.mark.parametrize("index", [0, 7, 2**40])
def test_a_token_payload_is_exactly_what_the_json_encoder_writes(content: str, index: int) -> None:
    token = Token(3, content, index)
    expected = json.dumps(event_payload(token), ensure_ascii=False, separators=(",", ":"))
    assert payload_json(token) == expected
    assert decode_event(3, "token", payload_json(token)) == token


def test_every_payload_is_its_compact_json() -> None:
    for event in EXAMPLES:
        assert json.loads(payload_json(event)) == event_payload(event)
        assert payload_json(event) == json.dumps(
            event_payload(event), ensure_ascii=False, separators=(",", ":")
        )


@pytest.mark.parametrize(
    "data",
    [
        ' {"content": "a", "index": 0}',  # leading and trailing whitespace are JSON
        '{"content": "a", "index": 0}\n\t ',
        '{"content": "a", "index": 0, "content": "b"}',  # the last duplicate wins, as in json
        '{"content": "\\u00fc\\ud83d\\ude42", "index": 0}',
    ],
)
def test_token_payloads_decode_as_json_loads_would(data: str) -> None:
    payload = json.loads(data)
    assert decode_event(2, "token", data) == Token(2, payload["content"], payload["index"])


@pytest.mark.parametrize(
    "data",
    [
        '{"content": "a", "index": 0} x',  # trailing garbage
        '{"content": "a", "index": 0}{}',
        "NaN",
        "[" * 100_000 + "]" * 100_000,  # nesting deep enough to exhaust the recursion limit
        '{"content": "a", "index": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
)
def test_json_that_is_not_one_object_is_malformed_never_a_crash(data: str) -> None:
    with pytest.raises(MalformedEvent):
        decode_event(2, "token", data)
