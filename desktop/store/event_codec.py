"""Stream events to and from the rows of the ``events`` table.

Wire events are stored as the protocol's own JSON (``desktop.protocol.wire``), so a cached
answer decodes with the same code a live one does; connection events (connecting, reconnecting,
gave up, ...) are stored as their dataclass fields under a name of their own.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Final

from desktop.protocol.events import (
    EVENT_NAMES,
    Connected,
    Connecting,
    ConnectionEvent,
    GaveUp,
    Reconnecting,
    Rejected,
    Resumed,
    StreamEvent,
)
from desktop.protocol.wire import decode_event, payload_json

CONNECTION_EVENT_NAMES: Final[dict[type[Any], str]] = {
    Connecting: "connecting",
    Connected: "connected",
    Reconnecting: "reconnecting",
    Resumed: "resumed",
    Rejected: "rejected",
    GaveUp: "gave_up",
}
_CONNECTION_TYPES: Final = {name: cls for cls, name in CONNECTION_EVENT_NAMES.items()}


def encode_stream_event(event: StreamEvent) -> tuple[str, int | None, str]:
    """``(type, wire id or None, JSON payload)`` for one event."""
    name = EVENT_NAMES.get(type(event))
    if name is not None:
        wire_id: int = event.id  # type: ignore[union-attr]
        return name, wire_id, payload_json(event)  # type: ignore[arg-type]
    name = CONNECTION_EVENT_NAMES[type(event)]
    fields = dataclasses.asdict(event)
    return name, None, json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def decode_stream_event(name: str, event_id: int | None, payload: str) -> StreamEvent | None:
    """The event a row describes, or ``None`` for a type this release does not know."""
    if event_id is not None:
        return decode_event(event_id, name, payload)
    cls = _CONNECTION_TYPES.get(name)
    if cls is None:
        return None
    fields = json.loads(payload)
    known = {f.name for f in dataclasses.fields(cls)}
    event: ConnectionEvent = cls(**{k: v for k, v in fields.items() if k in known})
    return event
