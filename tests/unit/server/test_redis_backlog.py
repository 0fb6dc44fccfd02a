"""The backlog of writes waiting for Redis: order, the per-stream limit and the closing room."""

from __future__ import annotations

import pytest

from desktop.server.stream_log import EntryKind, LogOverflow
from desktop.server.stream_log.redis_backlog import Append, Backlog, Finish


def _event(stream_id: str, event_id: int) -> Append:
    return Append(stream_id, event_id, f"id: {event_id}\n\n".encode(), EntryKind.EVENT)


def test_each_stream_keeps_its_writes_in_order_until_they_are_written() -> None:
    backlog = Backlog(limit=10)
    for event_id in (1, 2, 3):
        backlog.add(_event("a", event_id))
    backlog.add(_event("b", 7))
    backlog.add_finish("a", "done")
    assert backlog.streams() == ["a", "b"]
    head = backlog.head("a", 2)
    assert [e.event_id for e in head if isinstance(e, Append)] == [1, 2]
    backlog.written("a", 2)
    rest = backlog.head("a", 10)
    assert isinstance(rest[0], Append)
    assert rest[0].event_id == 3
    assert rest[1] == Finish("done")
    backlog.written("a", 2)
    assert not backlog.holds("a")  # emptied streams are forgotten
    assert backlog.holds("b")


def test_past_the_limit_a_stream_keeps_room_only_for_its_closing_events() -> None:
    backlog = Backlog(limit=3)
    for event_id in (1, 2, 3):
        backlog.add(_event("a", event_id))
    with pytest.raises(LogOverflow):
        backlog.add(_event("a", 4))
    backlog.add(_event("a", 4))  # the closing error ...
    backlog.add(_event("a", 5))  # ... and done
    with pytest.raises(LogOverflow):
        backlog.add(_event("a", 6))
    backlog.add(_event("b", 1))  # other streams have their own limit
    assert [e.event_id for e in backlog.head("a", 10) if isinstance(e, Append)] == [1, 2, 3, 4, 5]


def test_written_events_make_room_again() -> None:
    backlog = Backlog(limit=2)
    backlog.add(_event("a", 1))
    backlog.add(_event("a", 2))
    backlog.written("a", 1)
    backlog.add(_event("a", 3))
    assert [e.event_id for e in backlog.head("a", 5) if isinstance(e, Append)] == [2, 3]
