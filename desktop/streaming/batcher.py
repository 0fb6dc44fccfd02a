"""Coalescing of tokens into batches for sinks that pay per write (a terminal, a pipe, a file).

Writing and flushing stdout once per token costs a system call per token; once per batch of
up to ``max_tokens`` tokens, or after ``max_delay`` seconds at the latest, keeps the output
live to a human while bounding the calls. The window does its own per-frame coalescing on a Qt
timer, so this is plain asyncio and knows nothing of Qt.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

BatchSink = Callable[[list[str]], None]


class TokenBatcher:
    """Collects pieces of text and hands them to ``sink`` in size- and time-bounded batches.

    ``add`` is synchronous and cheap: a full batch is delivered at once, a partial one by a
    timer armed when its first piece arrives. Must be used from a running event loop.
    """

    __slots__ = ("_handle", "_loop", "_max_delay", "_max_tokens", "_pending", "_sink", "batches")

    def __init__(self, sink: BatchSink, *, max_tokens: int = 5, max_delay: float = 0.1) -> None:
        if max_tokens < 1:
            raise ValueError("max_tokens must be at least 1")
        if max_delay < 0:
            raise ValueError("max_delay must not be negative")
        self._sink = sink
        self._max_tokens = max_tokens
        self._max_delay = max_delay
        self._pending: list[str] = []
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: How many batches reached the sink (for tests and benchmarks).
        self.batches = 0

    @property
    def pending(self) -> int:
        """Pieces waiting for the next flush."""
        return len(self._pending)

    def add(self, piece: str) -> None:
        """Queue one piece; delivers the batch now if it is full."""
        self._pending.append(piece)
        if len(self._pending) >= self._max_tokens:
            self.flush_now()
        elif self._handle is None:
            if self._loop is None:
                self._loop = asyncio.get_running_loop()
            self._handle = self._loop.call_later(self._max_delay, self.flush_now)

    def flush_now(self) -> None:
        """Deliver whatever is pending (nothing happens when nothing is)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        self.batches += 1
        self._sink(batch)

    async def aclose(self) -> None:
        """Deliver the rest; the batcher may be reused afterwards."""
        self.flush_now()
