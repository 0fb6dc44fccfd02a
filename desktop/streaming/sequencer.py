"""Exactly-once by id: turns parsed SSE messages into events to apply, replays to skip, or faults.

The state that outlives a connection is the id of the last event *applied*, never the SSE
last-event-id string: an ``id:`` line of a half-received event, or an ``id``-only block, moves the
latter without anything having been applied (sse-client-notes §1.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from desktop.protocol.events import WireEvent
from desktop.protocol.sse import SSEMessage
from desktop.protocol.wire import KNOWN_EVENT_NAMES, MalformedEvent, decode_event


@dataclass(frozen=True, slots=True)
class Apply:
    """A new event, next in id order. ``event`` is ``None`` for an unknown event type, whose id
    still counts (ids increase by one across all types) but which nothing above can use."""

    id: int
    event: WireEvent | None


@dataclass(frozen=True, slots=True)
class Skip:
    """Nothing to do: a replayed id, or a message that is not an event of this protocol."""


@dataclass(frozen=True, slots=True)
class Fault:
    """The connection can no longer be trusted; resume from the last applied id."""

    reason: str


Decision: TypeAlias = Apply | Skip | Fault
SKIP = Skip()


def _parse_id(raw: str | None) -> int | None:
    if raw is None or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


def decide(message: SSEMessage, last_applied: int) -> Decision:
    """Classify ``message`` given the id of the last applied event.

    A known event without an integer id of its own cannot be placed in the sequence, so it is a
    fault; an unknown one is skipped unless it carries the next id (then it is applied as
    ``None`` so that the following event is not mistaken for a gap).
    """
    known = message.event in KNOWN_EVENT_NAMES
    event_id = _parse_id(message.id) if message.has_id else None
    if event_id is None:
        if known:
            return Fault(f"{message.event} event without a valid id ({message.id!r})")
        return SKIP
    if event_id <= last_applied:
        return SKIP  # a replay of something already applied (servers may overlap on resume)
    if event_id > last_applied + 1:
        return Fault(f"event id gap: got {event_id} after {last_applied}")
    if not known:
        return Apply(event_id, None)
    try:
        return Apply(event_id, decode_event(event_id, message.event, message.data))
    except MalformedEvent as exc:
        return Fault(f"malformed event: {exc}")
