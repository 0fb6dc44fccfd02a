"""Per-frame coalescing of streamed text, so a fast stream costs one repaint per frame.

Every token becomes a pending string; a single-shot timer started by the first pending token
flushes them in one call. The next interval adapts to what the last flush cost (four times that,
never under one frame): when the view gets slow, flushes get rarer instead of piling up. One
flush delivers at most ``max_chars``; a backlog beyond that drains over the following frames, so
no single flush can stall the event loop however fast the stream is.
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


class TokenCoalescer(QObject):
    """Collects text pieces and hands them to ``flush`` at most once per interval.

    Args:
        flush: receives the text pushed since the last flush, in order, in pieces of at most
            ``max_chars``.
        parent: owns the timer, so it stops with the widget that uses it.
        max_chars: the most one timer-driven flush delivers.
    """

    def __init__(
        self,
        flush: Callable[[str], None],
        parent: QObject | None = None,
        max_chars: int = MAX_FLUSH_CHARS,
    ) -> None:
        super().__init__(parent)
        self._flush_target = flush
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
        self._pending.append(text)
        if not self._timer.isActive():
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
        self._timer.setInterval(min(MAX_INTERVAL_MS, next_ms))
        if self._pending:
            self._timer.start()
        elif self.drained is not None:
            self.drained()

    def _on_timer_timeout(self) -> None:
        self.flush(everything=False)

    def discard(self) -> None:
        """Drop pending text and stop the timer (the message it belonged to is gone)."""
        self._timer.stop()
        self._pending.clear()
