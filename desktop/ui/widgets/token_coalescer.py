"""Per-frame coalescing of streamed text, so a fast stream costs one repaint per frame.

Every token becomes a pending string; a single-shot timer started by the first pending token
flushes them in one call. The next interval adapts to what the last flush cost (four times that,
never under one frame): when the view gets slow, flushes get rarer instead of piling up. One
flush delivers at most ``max_chars``; a backlog beyond that drains over the following frames, so
no single flush can stall the event loop however fast the stream is.

A stream slower than the frame rate would still cost one flush (layout, repaint) per token: at
50 tokens/s, 20 ms apart, every token is alone in its 16 ms frame. So the wait also follows the
pace of the stream: about ``PIECES_PER_FLUSH`` gaps between pieces (the mean of the recent
ones), never more than ``SPARSE_MAX_MS``. At 50 tokens/s that is 50 ms, two or three words per
flush, 20 updates a second: still live to a reader, and well under the 100 ms at which a delay
becomes noticeable. A fast stream keeps one flush per frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

FRAME_MS = 16
#: The back-off factor applied to the cost of the last flush.
COST_FACTOR = 4.0
#: The longest the text may wait, however slow the last flush was.
MAX_INTERVAL_MS = 100
#: The most text one flush delivers (about 300 tokens).
MAX_FLUSH_CHARS = 1500
#: A slow stream waits for about this many pieces per flush ...
PIECES_PER_FLUSH = 3
#: ... but never longer than this before its text is shown.
SPARSE_MAX_MS = 50
#: How much the newest gap between two pieces moves their running mean.
GAP_WEIGHT = 0.25


class TokenCoalescer(QObject):
    """Collects text pieces and hands them to ``flush`` at most once per interval.

    Args:
        flush: receives the text pushed since the last flush, in order, in pieces of at most
            ``max_chars``.
        parent: owns the timer, so it stops with the widget that uses it.
        max_chars: the most one timer-driven flush delivers.
        clock: seconds, for the gaps between pieces (tests pace a stream with their own).
    """

    def __init__(
        self,
        flush: Callable[[str], None],
        parent: QObject | None = None,
        max_chars: int = MAX_FLUSH_CHARS,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        super().__init__(parent)
        self._flush_target = flush
        self._clock = clock
        self._max_chars = max_chars
        #: Called after a flush that left nothing pending.
        self.drained: Callable[[], None] | None = None
        self._pending: list[str] = []
        self._timer = QTimer(self)
        self._timer.setObjectName("token-coalescer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.flush_count = 0
        self.last_flush_cost = 0.0
        #: The interval the view's cost asks for (one frame while flushes are cheap).
        self._cost_interval_ms = FRAME_MS
        self._last_push: float | None = None
        #: The running mean of the gaps between pieces, in ms (``None`` until two arrived).
        self._gap_ms: float | None = None

    @property
    def pending(self) -> bool:
        """Whether text is waiting for the next flush."""
        return bool(self._pending)

    @property
    def pending_text(self) -> str:
        """The text the next flush will deliver."""
        return "".join(self._pending)

    @property
    def interval_ms(self) -> int:
        """The interval the next flush waits for."""
        return self._timer.interval()

    def push(self, text: str) -> None:
        """Queue ``text``; the first piece since the last flush starts the timer."""
        if not text:
            return
        now = self._clock()
        if self._last_push is not None:
            gap = (now - self._last_push) * 1000.0
            mean = self._gap_ms
            self._gap_ms = gap if mean is None else mean + GAP_WEIGHT * (gap - mean)
        self._last_push = now
        self._pending.append(text)
        if not self._timer.isActive():
            self._timer.setInterval(self._next_interval_ms())
            self._timer.start()

    def flush(self, *, everything: bool = True) -> None:
        """Deliver pending text now: all of it, or (from the timer) one bounded slice."""
        self._timer.stop()
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        if not everything and len(text) > self._max_chars:
            self._pending.append(text[self._max_chars :])
            text = text[: self._max_chars]
        started = time.perf_counter()
        self._flush_target(text)
        self.last_flush_cost = time.perf_counter() - started
        self.flush_count += 1
        next_ms = max(FRAME_MS, round(self.last_flush_cost * 1000 * COST_FACTOR))
        self._cost_interval_ms = min(MAX_INTERVAL_MS, next_ms)
        self._timer.setInterval(self._cost_interval_ms)
        if self._pending:  # a backlog: drain it at the view's pace, not the stream's
            self._timer.start()
        elif self.drained is not None:
            self.drained()

    def _next_interval_ms(self) -> int:
        """The wait for a new first piece: the view's cost, or the stream's pace if slower."""
        if self._gap_ms is None:
            return self._cost_interval_ms
        paced = min(SPARSE_MAX_MS, round(PIECES_PER_FLUSH * self._gap_ms))
        return max(self._cost_interval_ms, paced)

    def _on_timer_timeout(self) -> None:
        self.flush(everything=False)

    def discard(self) -> None:
        """Drop pending text and stop the timer (the message it belonged to is gone)."""
        self._timer.stop()
        self._pending.clear()
