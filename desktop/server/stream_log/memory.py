"""The stream log of a single server process, in memory (the default).

Waiting readers park on a future of their stream that the next append resolves, so a live
stream costs no polling. A finished stream's frames are joined into one bytes object with an
offset table, which holds a finished answer for its time-to-live in about half the memory of
one bytes object per event. Finished streams are dropped by a timer after the time-to-live; their
ids are then kept as tombstones (a bounded number, oldest first out) to answer ``410``.
"""

from __future__ import annotations

import asyncio
from array import array
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from typing import Final

from desktop.server.stream_log.base import (
    EMPTY_READ,
    Adoption,
    EntryKind,
    Expired,
    ReadResult,
    StreamInfo,
    StreamState,
)

MAX_TOMBSTONES: Final = 100_000


class _Record:
    __slots__ = (
        "blob",
        "frames",
        "idempotency_key",
        "offsets",
        "owner",
        "special",
        "state",
        "waiters",
        "wake_pending",
    )

    def __init__(self, owner: str, idempotency_key: str | None) -> None:
        self.owner = owner
        self.idempotency_key = idempotency_key
        self.state: StreamState = "running"
        self.frames: list[bytes] = []  # frames[i] is event id i + 1, until compacted
        self.blob: bytes | None = None  # all frames, once finished
        self.offsets = array("L")  # frame i is blob[offsets[i]:offsets[i + 1]]
        self.special: dict[int, EntryKind] = {}  # event id -> PAUSE / FINAL
        self.waiters: list[asyncio.Future[None]] = []
        self.wake_pending = False

    @property
    def count(self) -> int:
        return len(self.frames) if self.blob is None else len(self.offsets) - 1

    def frames_between(self, after: int, last: int) -> list[bytes]:
        """Frames of events ``after + 1`` to ``last``."""
        if self.blob is None:
            return self.frames[after:last]
        blob, offsets = self.blob, self.offsets
        return [blob[offsets[i] : offsets[i + 1]] for i in range(after, last)]

    def compact(self) -> None:
        offsets = array("L", [0])
        total = 0
        for frame in self.frames:
            total += len(frame)
            offsets.append(total)
        self.blob, self.offsets, self.frames = b"".join(self.frames), offsets, []

    def wake(self) -> None:
        self.wake_pending = False
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.waiters.clear()


class MemoryStreamLog:
    """A :class:`~desktop.server.stream_log.base.StreamLog` held in this process."""

    def __init__(self, *, ttl: float) -> None:
        self._ttl = ttl
        self._records: dict[str, _Record] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._tombstones: OrderedDict[str, str] = OrderedDict()
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._closed = asyncio.Event()

    async def create(
        self, stream_id: str, owner: str, idempotency_key: str | None, *, request: str | None = None
    ) -> str | None:
        if idempotency_key is not None:
            existing = self._keys.get((owner, idempotency_key))
            if existing is not None:
                return existing
            self._keys[(owner, idempotency_key)] = stream_id
        self._records[stream_id] = _Record(owner, idempotency_key)
        return None

    async def find_idempotent(self, owner: str, idempotency_key: str) -> str | None:
        return self._keys.get((owner, idempotency_key))

    async def append(
        self, stream_id: str, event_id: int, frame: bytes, kind: EntryKind = EntryKind.EVENT
    ) -> bool:
        record = self._records[stream_id]
        if event_id != len(record.frames) + 1 or record.blob is not None:
            raise ValueError(f"event {event_id} out of order (have {record.count})")
        record.frames.append(frame)
        if kind is not EntryKind.EVENT:
            record.special[event_id] = kind
        if record.waiters and not record.wake_pending:
            # Wake on the next loop turn, so that a fast generator's next events join the batch.
            record.wake_pending = True
            asyncio.get_running_loop().call_soon(record.wake)
        return False

    async def finish(self, stream_id: str, state: StreamState) -> None:
        record = self._records[stream_id]
        record.state = state
        record.compact()
        record.wake()
        loop = asyncio.get_running_loop()
        self._timers[stream_id] = loop.call_later(self._ttl, self._expire, stream_id)

    def holds(self, stream_id: str) -> bool:
        """Whether this log has the stream (running, or finished and not yet expired)."""
        return stream_id in self._records

    def forget(self, stream_id: str) -> None:
        """Drop a stream at once, without a tombstone (a mirror of another log lets go)."""
        record = self._records.pop(stream_id, None)
        if record is not None:
            record.wake()

    def _expire(self, stream_id: str) -> None:
        self._timers.pop(stream_id, None)
        record = self._records.pop(stream_id, None)
        if record is None:
            return
        if record.idempotency_key is not None:
            self._keys.pop((record.owner, record.idempotency_key), None)
        self._tombstones[stream_id] = record.owner
        while len(self._tombstones) > MAX_TOMBSTONES:
            self._tombstones.popitem(last=False)
        record.wake()

    async def find(self, stream_id: str) -> StreamInfo | Expired | None:
        record = self._records.get(stream_id)
        if record is not None:
            return StreamInfo(stream_id, record.owner, record.state, record.count)
        owner = self._tombstones.get(stream_id)
        return Expired(stream_id, owner) if owner is not None else None

    async def read(self, stream_id: str, after: int, max_wait: float) -> ReadResult:
        record = self._records.get(stream_id)
        if record is None:
            return EMPTY_READ
        if record.count <= after and record.state == "running":
            waiter = asyncio.get_running_loop().create_future()
            record.waiters.append(waiter)
            try:
                async with asyncio.timeout(max_wait):
                    await waiter
            except TimeoutError:
                return EMPTY_READ
            finally:
                if not waiter.done():
                    waiter.cancel()
        return _slice(record, after)

    async def request_cancel(self, stream_id: str) -> None:
        # One process holds every stream, so the app cancels its own runner directly.
        return None

    async def cancellations(self) -> AsyncIterator[str]:
        await self._closed.wait()
        return
        yield  # pragma: no cover  (makes this an async generator)

    def wake_readers(self) -> None:
        for record in self._records.values():
            record.wake()

    # One process holds every stream: its owner is alive as long as anyone can ask.
    async def owner_alive(self, stream_id: str) -> bool:
        return True

    async def take_over(self, stream_id: str) -> Adoption | None:
        return None

    async def renew_leases(self, stream_ids: Sequence[str]) -> list[str]:
        return []

    async def release(self, stream_id: str) -> None:
        return None

    async def aclose(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self.wake_readers()
        self._closed.set()


def _slice(record: _Record, after: int) -> ReadResult:
    """Frames after ``after``, stopping after the first PAUSE or FINAL entry."""
    last = record.count
    if last <= after:
        return EMPTY_READ
    for event_id in sorted(record.special):
        if event_id > after:
            kind = record.special[event_id]
            frames = record.frames_between(after, event_id)
            return ReadResult(frames, closing=True, final=kind is EntryKind.FINAL)
    return ReadResult(record.frames_between(after, last), closing=False, final=False)
