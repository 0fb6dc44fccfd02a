"""What every stream log offers: the seam between the runner (writing) and responses (reading).

A log holds, per stream, the SSE frame of every event (encoded once, when appended, so that a
thousand readers only copy bytes), the stream's state and owner, and the idempotency keys that
map a repeated start to its stream. Finished streams expire after the time-to-live; a log then
remembers for a while that the stream existed, so that a late resume gets ``410``, not ``404``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal, NamedTuple, Protocol, TypeAlias

StreamState: TypeAlias = Literal["running", "done", "cancelled", "failed"]


class EntryKind(IntEnum):
    """What a response does after sending an entry."""

    EVENT = 0  #: keep following
    PAUSE = 1  #: end this response; the stream goes on (a resumable ``error``)
    FINAL = 2  #: the stream's last event; nothing follows


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """A stream the log still holds."""

    stream_id: str
    owner: str
    state: StreamState
    last_event_id: int


@dataclass(frozen=True, slots=True)
class Expired:
    """A stream that existed but whose time-to-live has passed."""

    stream_id: str
    owner: str


class ReadResult(NamedTuple):
    """Frames after the requested id, in id order.

    ``closing`` says the batch ends with a ``PAUSE`` or ``FINAL`` entry, after which the
    response ends; ``final`` says that entry was the stream's last event.
    """

    frames: Sequence[bytes]
    closing: bool
    final: bool


EMPTY_READ = ReadResult((), closing=False, final=False)


class LeaseLost(Exception):
    """A write was refused: another replica now generates the stream (this one lost its lease)."""


@dataclass(frozen=True, slots=True)
class Adoption:
    """A running stream this replica has just taken over from a dead owner.

    Attributes:
        request: the start request's JSON (to generate the rest of the answer again).
        frames: every event logged so far, in id order (``frames[i]`` is event ``i + 1``).
    """

    stream_id: str
    owner: str
    request: str | None
    frames: Sequence[bytes]


class StreamLog(Protocol):
    """The per-stream event log (in memory, or Redis Streams shared between replicas)."""

    async def create(
        self, stream_id: str, owner: str, idempotency_key: str | None, *, request: str | None = None
    ) -> str | None:
        """Register a new running stream, claiming ``idempotency_key`` for ``owner``.

        ``request`` (the start's JSON) is kept where another replica may need it to continue.

        Returns:
            ``None`` when created; the id of the stream that already holds the key otherwise
            (and nothing is created).
        """
        ...

    async def find_idempotent(self, owner: str, idempotency_key: str) -> str | None:
        """The stream an earlier start with this key and owner created, if it is still held."""
        ...

    async def append(
        self, stream_id: str, event_id: int, frame: bytes, kind: EntryKind = EntryKind.EVENT
    ) -> bool:
        """Add the next event's frame (ids start at 1 and increase by exactly 1).

        Returns:
            ``True`` when this append began keeping the stream's events in memory because the
            shared store is unreachable (they are written, in order, when it is back); the
            runner then tells the stream's readers to come back later.

        Raises:
            LeaseLost: another process generates the stream now.
            LogOverflow: the store has been unreachable for longer than the buffer holds.
        """
        ...

    async def finish(self, stream_id: str, state: StreamState) -> None:
        """Mark the stream finished; it expires ``ttl`` seconds from now."""
        ...

    async def find(self, stream_id: str) -> StreamInfo | Expired | None:
        """The stream's current state, ``Expired``, or ``None`` when it never existed here."""
        ...

    async def read(self, stream_id: str, after: int, max_wait: float) -> ReadResult:
        """Frames after event ``after``; waits up to ``max_wait`` seconds when none are there yet.

        Returns at the latest after ``max_wait`` (possibly empty), or early when
        :meth:`wake_readers` is called.
        """
        ...

    async def request_cancel(self, stream_id: str) -> None:
        """Ask whichever process runs the stream to cancel it."""
        ...

    def cancellations(self) -> AsyncIterator[str]:
        """Stream ids whose cancellation another process requested (never ends)."""
        ...

    def wake_readers(self) -> None:
        """Make every waiting :meth:`read` return soon (graceful shutdown)."""
        ...

    async def owner_alive(self, stream_id: str) -> bool:
        """Whether some process still holds the lease of a running stream."""
        ...

    async def take_over(self, stream_id: str) -> Adoption | None:
        """Take the lease of a running stream whose owner is gone (``None``: another won)."""
        ...

    async def renew_leases(self, stream_ids: Sequence[str]) -> list[str]:
        """Renew this process's leases; returns the streams whose lease it has lost."""
        ...

    async def release(self, stream_id: str) -> None:
        """Let go of a lease at once, so that another replica can take the stream over."""
        ...

    async def aclose(self) -> None:
        """Release connections and timers."""
        ...
