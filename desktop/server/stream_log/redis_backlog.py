"""The writes a generation could not make while Redis was away, kept in order until it is back.

When Redis goes away mid-answer, generation does not stop: each stream's appends (and its
finish) wait here, in id order, while its local readers follow the in-memory mirror. When Redis
answers again, every stream's backlog is written in order before anything newer of that
stream, and a write that had in fact reached Redis before the connection broke is recognised
(the event id is already there) and not written twice. A stream may hold at most ``limit``
events here; past that the append raises :class:`LogOverflow`, and the stream gets room for its
closing ``error`` and ``done`` only, so that it fails honestly once Redis is back.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Final

from desktop.server.stream_log.base import EntryKind, StreamState

#: Room a stream keeps past its limit for the closing ``error`` and ``done`` events.
CLOSING_ROOM: Final = 2


class LogOverflow(Exception):
    """Redis has been unreachable for longer than this stream's buffer holds."""


@dataclass(slots=True)
class Append:
    """One event to write (the runner may be waiting on ``done``)."""

    stream_id: str
    event_id: int
    frame: bytes
    kind: EntryKind
    done: asyncio.Future[bool] | None = None


@dataclass(frozen=True, slots=True)
class Finish:
    """The stream's finish, written after its last event."""

    state: StreamState


class Backlog:
    """Per stream, the writes waiting for Redis."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[str, deque[Append | Finish]] = {}
        self._events: dict[str, int] = {}
        self._overflowed: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self._entries)

    def holds(self, stream_id: str) -> bool:
        return stream_id in self._entries

    def streams(self) -> list[str]:
        return list(self._entries)

    def add(self, entry: Append) -> None:
        """Keep ``entry`` after the stream's earlier writes.

        Raises:
            LogOverflow: the stream already holds ``limit`` events (it then keeps room for
                its closing events only).
        """
        stream_id = entry.stream_id
        count = self._events.get(stream_id, 0)
        limit = self.limit + (CLOSING_ROOM if stream_id in self._overflowed else 0)
        if count >= limit:
            if stream_id in self._overflowed:
                raise LogOverflow("the stream's buffer and closing room are full")
            self._overflowed.add(stream_id)
            raise LogOverflow(f"more than {self.limit} events waited for the stream store")
        self._entries.setdefault(stream_id, deque()).append(entry)
        self._events[stream_id] = count + 1

    def add_finish(self, stream_id: str, state: StreamState) -> None:
        self._entries.setdefault(stream_id, deque()).append(Finish(state))

    def head(self, stream_id: str, count: int) -> list[Append | Finish]:
        """The stream's oldest ``count`` writes (they stay until :meth:`written`)."""
        entries = self._entries.get(stream_id, deque())
        return [entries[i] for i in range(min(count, len(entries)))]

    def written(self, stream_id: str, count: int) -> None:
        """The oldest ``count`` writes have reached Redis; a stream left empty is forgotten."""
        entries = self._entries[stream_id]
        for _ in range(count):
            if isinstance(entries.popleft(), Append):
                self._events[stream_id] -= 1
        if not entries:
            self.drop(stream_id)

    def drop(self, stream_id: str) -> None:
        self._entries.pop(stream_id, None)
        self._events.pop(stream_id, None)
        self._overflowed.discard(stream_id)
