"""What every answer source offers, whatever the backend: the seam above the wire formats.

``ReconnectingEventSource`` (the Assist Streaming Protocol, with resume) and the OpenAI and
Ollama adapters (no resume) all satisfy :class:`AnswerSource`, so the session, the ``ask``
command and the window drive any of them the same way. The members are read-only properties
here so that a plain attribute and a computed property both satisfy the protocol.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from desktop.protocol.events import StreamEvent


class TransferStats(Protocol):
    """Counters a source keeps about its connections (read by metrics and the UI)."""

    @property
    def bytes_received(self) -> int: ...

    @property
    def connections(self) -> int: ...

    @property
    def reconnects(self) -> int: ...

    @property
    def events_applied(self) -> int: ...

    @property
    def downtime_s(self) -> float: ...


class AnswerSource(Protocol):
    """One answer being streamed from some backend."""

    @property
    def stream_id(self) -> str | None:
        """The server's stream id (or a local one for backends without streams)."""
        ...

    @property
    def last_event_id(self) -> int:
        """The id of the last wire event yielded (0 before the first)."""
        ...

    @property
    def stats(self) -> TransferStats: ...

    def events(self) -> AsyncIterator[StreamEvent]:
        """Connection events and applied wire events; ends after exactly one terminal event.

        Never raises for network or protocol trouble; only cancellation propagates.
        """
        ...

    async def cancel(self) -> None:
        """Stop generating (the Stop button); the stream then ends with a cancelled ``Done``."""
        ...

    def drop_connection(self) -> None:
        """Close the live connection now, as a network failure would."""
        ...
