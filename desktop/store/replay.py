"""A cached answer played back as if it streamed again: for demos and rendering checks.

:class:`CachedAnswerSource` has the shape of the streaming client's ``AnswerSource`` (the
attributes and methods are duck-typed; the store does not import the streaming layer), so the
window drives it with the same ``AnswerSession`` and the same sinks and renderer as a live
answer. Events come at their recorded pace divided by ``speed`` (``0`` = as fast as possible).
A terminal event that a later resume continued past (giving up, then ``resume``) is skipped, so
the replay runs to the answer's real end.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass

from desktop.protocol.events import EVENT_NAMES, Done, StreamEvent, StreamStarted, is_terminal
from desktop.store.records import EventRecord


@dataclass(slots=True)
class ReplayStats:
    """The counters an answer source reports; a replay has no network, so most stay zero."""

    bytes_received: int = 0
    connections: int = 0
    reconnects: int = 0
    events_applied: int = 0
    downtime_s: float = 0.0


class CachedAnswerSource:
    """Replays recorded events; iterate :meth:`events` once.

    Args:
        records: one answer's events in recorded order (``MessageRecord.events``).
        speed: 1.0 = the original pace, 4.0 = four times faster, 0 = no waiting at all.
        sleep: awaited for each pause (tests inject one that records and returns).
    """

    def __init__(
        self,
        records: Sequence[EventRecord],
        *,
        speed: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must not be negative")
        self._records = list(records)
        self._speed = speed
        self._sleep = sleep
        self._cancelled = False
        self.stream_id: str | None = None
        self.last_event_id = 0
        self.stats = ReplayStats()

    async def events(self) -> AsyncIterator[StreamEvent]:
        """The recorded events at their pace, ending after exactly one terminal event."""
        previous_ms = self._records[0].offset_ms if self._records else 0.0
        last = len(self._records) - 1
        for n, record in enumerate(self._records):
            if self._speed and record.offset_ms > previous_ms:
                await self._sleep((record.offset_ms - previous_ms) / 1000.0 / self._speed)
            previous_ms = max(previous_ms, record.offset_ms)
            if self._cancelled:
                break
            event = record.to_event()
            if event is None or (is_terminal(event) and n != last):
                continue
            self._note(event)
            yield event
            if is_terminal(event):
                return
        # cancelled, or a record that ends without a terminal event (an interrupted answer)
        yield Done(self.last_event_id + 1, "cancelled")

    async def cancel(self) -> None:
        """Stop the replay; it ends with a cancelled ``Done`` like a stopped live answer."""
        self._cancelled = True

    def _note(self, event: StreamEvent) -> None:
        if isinstance(event, StreamStarted):
            self.stream_id = event.stream_id
        if type(event) in EVENT_NAMES:
            self.last_event_id = max(self.last_event_id, event.id)  # type: ignore[union-attr]
            self.stats.events_applied += 1
