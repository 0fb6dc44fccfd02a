"""A stream fed straight into the metrics sinks with a controlled clock (no network)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.timeline import StreamTimeline
from desktop.protocol.events import (
    Connecting,
    Done,
    Progress,
    Reconnecting,
    Resumed,
    StreamEvent,
    StreamStarted,
    Token,
)


@dataclass
class FedStream:
    """A recorder and a timeline fed from one clock that a test moves by hand."""

    now: float = 0.0
    recorder: StreamMetricsRecorder = field(
        default_factory=lambda: StreamMetricsRecorder(started_at=0.0, bytes_received=lambda: 4321)
    )
    timeline: StreamTimeline = field(default_factory=lambda: StreamTimeline(started_at=0.0))
    next_id: int = 1
    index: int = 0

    def clock(self) -> float:
        return self.now

    def send(self, event: StreamEvent, at: float) -> None:
        self.now = at
        self.recorder(event, at)
        self.timeline(event, at)

    def start(self, at: float = 0.0) -> None:
        self.send(Connecting("http://127.0.0.1:1", 0, False), at)
        self.send(StreamStarted(self.take_id(), "s"), at + 0.01)

    def tokens(self, n: int, start: float, gap: float) -> None:
        for i in range(n):
            self.send(Token(self.take_id(), "x", self.index), start + i * gap)
            self.index += 1

    def progress(self, at: float, rate: float) -> None:
        self.send(Progress(self.take_id(), self.index, tokens_per_second=rate), at)

    def drop(self, at: float, until: float) -> None:
        self.send(Reconnecting(1, 5, 0.5, "connection reset", self.next_id - 1), at)
        self.send(Resumed(self.next_id - 1, 1, until - at), until)

    def done(self, at: float) -> None:
        self.send(Done(self.take_id(), "stop"), at)

    def take_id(self) -> int:
        event_id = self.next_id
        self.next_id += 1
        return event_id
