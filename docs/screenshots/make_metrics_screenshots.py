"""Takes the screenshots of the developer metrics dock: a stream with a reconnect, the report.

The stream is synthetic (recorded events with a fixed seed), so the pictures are the same on
every run. Run under a real X server for faithful fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &``
and ``DISPLAY=:99 .venv/bin/python docs/screenshots/make_metrics_screenshots.py``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.metrics.analytics import CachedStream
from desktop.metrics.replay import TimedEvent
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
from desktop.ui.metrics.dock import MetricsDock

HERE = Path(__file__).resolve().parent
SIZE = (1100, 680)
SERVER = "http://127.0.0.1:8000"


def recorded_answer(
    seed: int, ttft: float, rate: float, tokens: int, drop: tuple[float, float] | None
) -> list[TimedEvent]:
    """Events with offsets in ms: exponential gaps at ``rate``, one reconnect if ``drop``."""
    rng = random.Random(seed)
    events: list[tuple[float, StreamEvent]] = [
        (0.0, Connecting(SERVER, 0, False)),
        (0.02, StreamStarted(1, f"s{seed}")),
    ]
    t, next_id = ttft, 2
    for i in range(tokens):
        if drop is not None and drop[0] <= t < drop[1]:
            events.append((drop[0], Reconnecting(1, 8, 0.5, "connection reset", next_id - 1)))
            events.append((drop[1], Resumed(next_id - 1, 1, drop[1] - drop[0])))
            t, drop = drop[1], None
        events.append((t, Token(next_id, "x", i)))
        next_id += 1
        if i % 10 == 9:
            events.append((t, Progress(next_id, i + 1, tokens_per_second=rate * 1.04)))
            next_id += 1
        t += rng.expovariate(rate)
    events.append((t, Done(next_id, "stop")))
    return [(seconds * 1000.0, event) for seconds, event in events]


def cached_streams() -> list[CachedStream]:
    streams = []
    for k in range(24):
        rng = random.Random(k)
        drop = (1.5, 1.5 + rng.uniform(0.3, 1.2)) if k % 5 == 0 else None
        events = recorded_answer(k, rng.uniform(0.12, 0.9), rng.uniform(35, 90), 180, drop)
        streams.append(CachedStream(k + 1, SERVER, "done", 1.79e9 + 300 * k, tuple(events)))
    return streams


def main() -> None:
    app = QApplication(sys.argv[:1])
    dock = MetricsDock()
    dock.resize(*SIZE)
    dock.show()
    streams = cached_streams()
    dock.report.show_streams(streams)
    live_like = CachedStream(
        99, SERVER, "done", 1.79e9, tuple(recorded_answer(7, 0.34, 60, 320, (2.4, 3.3)))
    )
    dock.show_cached(live_like)
    for _ in range(10):
        app.processEvents()
    dock.grab().save(str(HERE / "metrics-stream.png"))
    dock.setCurrentWidget(dock.report)
    for _ in range(10):
        app.processEvents()
    dock.grab().save(str(HERE / "metrics-report.png"))
    dock.setCurrentWidget(dock.compare)
    dock.compare.compare(3, 5)
    for _ in range(10):
        app.processEvents()
    dock.grab().save(str(HERE / "metrics-compare.png"))


if __name__ == "__main__":
    main()
