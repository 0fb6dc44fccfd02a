"""Cached events back through the live sinks, so a cached answer's figures and charts are
computed by the very code that showed them live."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeAlias

from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.timeline import StreamTimeline
from desktop.protocol.events import StreamEvent

#: ``(milliseconds since the answer started, event)``, as the cache stores them.
TimedEvent: TypeAlias = tuple[float, StreamEvent]


def replay(events: Iterable[TimedEvent], *sinks: Callable[[StreamEvent, float], None]) -> None:
    """Feed cached events to session sinks, stamped in seconds since the answer started."""
    for offset_ms, event in events:
        t = offset_ms / 1000.0
        for sink in sinks:
            sink(event, t)


def replayed_metrics(
    events: Iterable[TimedEvent], *, bytes_received: int = 0
) -> tuple[StreamMetricsRecorder, StreamTimeline]:
    """A recorder and a timeline that have seen ``events`` (``bytes_received`` as stored)."""
    recorder = StreamMetricsRecorder(started_at=0.0, bytes_received=lambda: bytes_received)
    timeline = StreamTimeline(started_at=0.0)
    replay(events, recorder, timeline)
    return recorder, timeline
