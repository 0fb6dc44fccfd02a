"""Live figures for one stream, computed from its events as they arrive.

:class:`StreamMetricsRecorder` is an event sink (``recorder(event, t)``) for
``AnswerSession``; the window's metrics panel, the ``ask`` summary and the cache read its
:meth:`~StreamMetricsRecorder.snapshot`. Tokens per second are counted from the first token:
the wait before it is the time to first token, reported apart, so a slow start does not drag
the rate down (users of other clients rightly complained when it did, Jan #2636).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from desktop.metrics.percentiles import percentile
from desktop.protocol.events import (
    EVENT_NAMES,
    Progress,
    Reconnecting,
    Resumed,
    StreamEvent,
    Token,
    is_terminal,
)

_WIRE_TYPES: Final = tuple(EVENT_NAMES)
_CAMEL_HUMP: Final = re.compile(r"(?<=[a-z])(?=[A-Z])")


def event_type_name(event: StreamEvent) -> str:
    """The protocol's name for a wire event (``token``), the snake-case class name otherwise."""
    name = EVENT_NAMES.get(type(event))
    return name if name is not None else _CAMEL_HUMP.sub("_", type(event).__name__).lower()


@dataclass(frozen=True, slots=True)
class RateSample:
    """One point of the tokens-over-time chart (``t`` in seconds since the request started)."""

    t: float
    tokens: int
    tokens_per_second: float


@dataclass(frozen=True, slots=True)
class StreamMetricsSnapshot:
    """The recorder's figures at one moment; times in seconds, ``None`` where not yet known."""

    elapsed_s: float
    ttft_s: float | None
    tokens: int
    tokens_per_second: float | None
    rolling_tokens_per_second: float
    server_tokens_per_second: float | None
    gap_mean_s: float | None
    gap_p50_s: float | None
    gap_p95_s: float | None
    gap_p99_s: float | None
    gap_max_s: float | None
    reconnects: int
    downtime_s: float
    bytes_received: int
    events_by_type: Mapping[str, int]
    finished: bool


class StreamMetricsRecorder:
    """Accumulates one stream's timings; pure Python, cheap per event.

    Args:
        started_at: when the request was sent (the clock the events are stamped with); the
            first event's time when omitted.
        bytes_received: read at snapshot time (e.g. ``lambda: source.stats.bytes_received``).
        rolling_window: seconds covered by the rolling tokens/s.
        sample_interval: least time between two chart samples.
        max_samples: samples kept; older ones fall out of the ring.
    """

    def __init__(
        self,
        *,
        started_at: float | None = None,
        bytes_received: Callable[[], int] | None = None,
        rolling_window: float = 2.0,
        sample_interval: float = 0.1,
        max_samples: int = 3000,
    ) -> None:
        self.started_at = started_at
        self._bytes = bytes_received
        self._window = rolling_window
        self._sample_interval = sample_interval
        self.samples: deque[RateSample] = deque(maxlen=max_samples)
        #: Gaps between consecutive tokens, in seconds.
        self.gaps: array[float] = array("d")
        #: ``[start, end]`` of each reconnect period (``end`` is ``None`` while it lasts).
        self.reconnect_intervals: list[list[float | None]] = []
        self.events_by_type: Counter[str] = Counter()
        self.tokens = 0
        self.reconnects = 0
        self.first_token_at: float | None = None
        self.last_token_at: float | None = None
        self.last_event_at: float | None = None
        self.finished_at: float | None = None
        self.server_tokens_per_second: float | None = None
        self._recent: deque[float] = deque()
        self._down_since: float | None = None
        self._downtime = 0.0
        self._last_sample_at: float | None = None

    def __call__(self, event: StreamEvent, t: float) -> None:
        """Record ``event`` that arrived at ``t`` (the session's sink signature)."""
        if self.started_at is None:
            self.started_at = t
        self.last_event_at = t
        self.events_by_type[event_type_name(event)] += 1
        if isinstance(event, Token):
            self._on_token(t)
        elif isinstance(event, Reconnecting):
            self.reconnects += 1
            if self._down_since is None:
                self._down_since = t
                self.reconnect_intervals.append([t, None])
        elif isinstance(event, Progress) and event.tokens_per_second is not None:
            self.server_tokens_per_second = event.tokens_per_second
        if self._down_since is not None and (
            isinstance(event, (Resumed, *_WIRE_TYPES)) or is_terminal(event)
        ):
            self._end_downtime(t)
        if is_terminal(event):
            self.finished_at = t
            self._sample(t, force=True)

    def _on_token(self, t: float) -> None:
        self.tokens += 1
        if self.first_token_at is None:
            self.first_token_at = t
        if self.last_token_at is not None:
            self.gaps.append(t - self.last_token_at)
        self.last_token_at = t
        self._recent.append(t)
        self._sample(t)

    def _end_downtime(self, t: float) -> None:
        assert self._down_since is not None
        self._downtime += t - self._down_since
        self.reconnect_intervals[-1][1] = t
        self._down_since = None

    def _sample(self, t: float, *, force: bool = False) -> None:
        last = self._last_sample_at
        if force or last is None or t - last >= self._sample_interval:
            self._last_sample_at = t
            origin = self.started_at if self.started_at is not None else t
            self.samples.append(RateSample(t - origin, self.tokens, self.rolling_rate(t)))

    def rolling_rate(self, now: float) -> float:
        """Tokens per second over the last ``rolling_window`` seconds before ``now``.

        Early on the window is shortened to the time since the first token, so the figure is
        right from the second token instead of creeping up for two seconds.
        """
        if self.first_token_at is None:
            return 0.0
        span = min(self._window, now - self.first_token_at)
        if span <= 0:
            return 0.0
        recent = self._recent
        while recent and recent[0] <= now - span:
            recent.popleft()
        return len(recent) / span

    def overall_rate(self) -> float | None:
        """Tokens per second from the first token to the last; ``None`` below two tokens."""
        if self.first_token_at is None or self.last_token_at is None:
            return None
        span = self.last_token_at - self.first_token_at
        return (self.tokens - 1) / span if span > 0 else None

    @property
    def bytes_received(self) -> int:
        """The ``bytes_received`` source's count now (0 without one)."""
        return self._bytes() if self._bytes is not None else 0

    def snapshot(self, now: float | None = None) -> StreamMetricsSnapshot:
        """The figures as of ``now`` (default: the last event's time, or the finish)."""
        if now is None:
            now = self.finished_at or self.last_event_at or self.started_at or 0.0
        start = self.started_at if self.started_at is not None else now
        downtime = self._downtime
        if self._down_since is not None:
            downtime += max(0.0, now - self._down_since)
        gaps = sorted(self.gaps)
        ttft = None if self.first_token_at is None else self.first_token_at - start
        return StreamMetricsSnapshot(
            elapsed_s=max(0.0, now - start),
            ttft_s=ttft,
            tokens=self.tokens,
            tokens_per_second=self.overall_rate(),
            rolling_tokens_per_second=self.rolling_rate(now),
            server_tokens_per_second=self.server_tokens_per_second,
            gap_mean_s=sum(gaps) / len(gaps) if gaps else None,
            gap_p50_s=percentile(gaps, 50),
            gap_p95_s=percentile(gaps, 95),
            gap_p99_s=percentile(gaps, 99),
            gap_max_s=gaps[-1] if gaps else None,
            reconnects=self.reconnects,
            downtime_s=downtime,
            bytes_received=self._bytes() if self._bytes is not None else 0,
            events_by_type=dict(self.events_by_type),
            finished=self.finished_at is not None,
        )
