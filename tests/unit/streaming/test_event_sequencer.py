"""sequencer.py: exactly-once by id, gaps and broken events are faults, unknown types keep ids."""

from __future__ import annotations

from desktop.protocol.events import Token
from desktop.protocol.sse import SSEMessage
from desktop.streaming.sequencer import Apply, Fault, Skip, decide

TOKEN_DATA = '{"content": "a", "index": 0}'


def msg(event: str, id: str | None, data: str = TOKEN_DATA, has_id: bool = True) -> SSEMessage:
    return SSEMessage(event, data, id, has_id)


def test_the_next_id_is_applied() -> None:
    assert decide(msg("token", "5"), 4) == Apply(5, Token(5, "a", 0))


def test_replays_are_skipped_without_decoding() -> None:
    assert isinstance(decide(msg("token", "4", "not json"), 4), Skip)
    assert isinstance(decide(msg("token", "1"), 4), Skip)


def test_a_gap_is_a_fault() -> None:
    decision = decide(msg("token", "7"), 4)
    assert isinstance(decision, Fault)
    assert "gap" in decision.reason


def test_a_malformed_known_event_is_a_fault() -> None:
    decision = decide(msg("token", "5", '{"content": 1}'), 4)
    assert isinstance(decision, Fault)
    assert "malformed" in decision.reason


def test_an_unknown_type_with_the_next_id_advances_the_sequence() -> None:
    assert decide(msg("citation", "5", "free text"), 4) == Apply(5, None)


def test_an_unknown_type_without_an_id_is_skipped() -> None:
    assert isinstance(decide(msg("citation", "4", "x", has_id=False), 4), Skip)
    assert isinstance(decide(msg("message", None, "x", has_id=False), 0), Skip)


def test_a_known_event_without_its_own_integer_id_is_a_fault() -> None:
    for message in (
        msg("token", "4", has_id=False),  # sticky id from an earlier block
        msg("token", "five"),
        msg("token", "-5"),
        msg("token", "٥"),
        msg("token", ""),
    ):
        assert isinstance(decide(message, 4), Fault), message
