"""The chart series of one stream, kept in numpy rings and binned so that a chart never works
per token.

:class:`StreamTimeline` is a session sink like the recorder. Tokens are counted into bins of
``bin_width`` seconds; each closed bin becomes one row (time, instant tokens/s, rolling
tokens/s, cumulative tokens), so 2,000 tokens/s cost a chart no more than 50 do. Inter-token
gaps go to a ring of their own for the histogram. :attr:`StreamTimeline.version` changes with
every recorded change, which is how a chart tells that it has something new to draw.

Times are seconds since the stream started (the first event, or ``started_at``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from desktop.metrics.ring_buffer import RingBuffer
from desktop.protocol.events import (
    EVENT_NAMES,
    Reconnecting,
    Resumed,
    StreamEvent,
    Token,
    is_terminal,
)

#: Columns of :attr:`StreamTimeline.rates`.
T, INSTANT, ROLLING, CUMULATIVE = range(4)
_WIRE_TYPES: Final = tuple(EVENT_NAMES)
#: A stall longer than this many bins is drawn as two zero rows, not one row per bin.
_MAX_EMPTY_BINS: Final = 20


@dataclass(frozen=True, slots=True)
class ReconnectInterval:
    """A period without a connection; ``end`` is ``None`` while it lasts."""

    start: float
    end: float | None


class StreamTimeline:
    """Binned rate series, gaps and reconnect periods of one stream.

    Args:
        started_at: the clock time the stream started; the first event's time when omitted.
        bin_width: seconds per rate bin (and the finest time resolution of the rate charts).
        rolling_window: seconds the rolling tokens/s averages over.
        capacity: rate rows kept (6,000 rows of 0.1 s are ten minutes; older ones fall out).
        gap_capacity: inter-token gaps kept for the histogram.
    """

    def __init__(
        self,
        *,
        started_at: float | None = None,
        bin_width: float = 0.1,
        rolling_window: float = 2.0,
        capacity: int = 6000,
        gap_capacity: int = 50_000,
    ) -> None:
        if bin_width <= 0 or rolling_window < bin_width:
            raise ValueError("bin_width must be positive and at most rolling_window")
        self.started_at = started_at
        self.bin_width = bin_width
        self.rates = RingBuffer(capacity, 4)
        self.gaps = RingBuffer(gap_capacity, 1)
        self.reconnects: list[ReconnectInterval] = []
        self.ttft: float | None = None
        self.tokens = 0
        self.finished = False
        #: Changes whenever anything a chart shows changes.
        self.version = 0
        self._window_bins = max(1, round(rolling_window / bin_width))
        self._recent: deque[int] = deque(maxlen=self._window_bins)
        self._bin = 0
        self._bin_count = 0
        self._last_token: float | None = None

    # --- the sink ---------------------------------------------------------------------------

    def __call__(self, event: StreamEvent, t: float) -> None:
        """Record ``event`` that arrived at clock time ``t``."""
        if self.finished:
            return
        if self.started_at is None:
            self.started_at = t
        rel = t - self.started_at
        if isinstance(event, Token):
            self._close_bins(rel)
            self._on_token(rel)
        elif isinstance(event, Reconnecting) and not self.reconnecting:
            self.reconnects.append(ReconnectInterval(rel, None))
            self.version += 1
        if self.reconnecting and (isinstance(event, (Resumed, *_WIRE_TYPES)) or is_terminal(event)):
            self.reconnects[-1] = ReconnectInterval(self.reconnects[-1].start, rel)
            self.version += 1
        if is_terminal(event):
            self._close_bins(rel, final=True)
            self.finished = True
            self.version += 1

    def advance(self, now: float) -> None:
        """Close the bins that ended before clock time ``now``, so a stall shows as it happens
        (the live panel calls this on each refresh)."""
        if self.finished or self.started_at is None:
            return
        self._close_bins(now - self.started_at)

    # --- what charts read ---------------------------------------------------------------------

    def rate_rows(self) -> NDArray[np.float64]:
        """``(n, 4)`` rows of time, instant tokens/s, rolling tokens/s, cumulative tokens."""
        return self.rates.view()

    def gap_values(self) -> NDArray[np.float64]:
        """The kept inter-token gaps in seconds, oldest first."""
        return self.gaps.column(0)

    @property
    def reconnecting(self) -> bool:
        """Whether the connection is lost right now."""
        return bool(self.reconnects) and self.reconnects[-1].end is None

    @property
    def end_time(self) -> float:
        """The end of the last closed bin: where the charts' time axis ends."""
        last = self.rates.last()
        return float(last[T]) if last is not None else 0.0

    # --- internals ----------------------------------------------------------------------------

    def _on_token(self, rel: float) -> None:
        self.tokens += 1
        self._bin_count += 1
        if self._last_token is None:
            self.ttft = rel
        else:
            self.gaps.append(rel - self._last_token)
        self._last_token = rel
        self.version += 1

    @property
    def _bin_end(self) -> float:
        # Multiplied, not accumulated: bin edges stay exact multiples of the width.
        return (self._bin + 1) * self.bin_width

    def _close_bins(self, rel: float, *, final: bool = False) -> None:
        empty = 0
        while rel >= self._bin_end:
            if self._bin_count == 0:
                empty += 1
                if empty > _MAX_EMPTY_BINS:
                    self._skip_stall(rel)
                    break
            self._push_bin(self._bin_end)
            self._bin += 1
        if final and self._bin_count:
            # The last bin is partial: divided by the full width it would show a false dip, by
            # a very short width a false spike; at least half a bin bounds either to 2x.
            start = self._bin * self.bin_width
            self._push_bin(rel, max(rel - start, self.bin_width / 2))

    def _skip_stall(self, rel: float) -> None:
        """Jump over a long stall: one zero row where it starts and one where it ends."""
        self._bin = max(self._bin, int(rel // self.bin_width) - 1)
        self._recent.clear()
        self._push_bin(self._bin_end)
        self._bin += 1

    def _push_bin(self, end: float, width: float | None = None) -> None:
        count = self._bin_count
        self._recent.append(count)
        instant = count / (width or self.bin_width)
        span = len(self._recent) * self.bin_width
        if self.ttft is not None:
            span = min(span, max(end - self.ttft, self.bin_width))
        rolling = sum(self._recent) / span if span > 0 else 0.0
        self.rates.append(end, instant, rolling, float(self.tokens))
        self._bin_count = 0
        self.version += 1
