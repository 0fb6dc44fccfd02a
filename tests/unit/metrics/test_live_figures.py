from __future__ import annotations

import dataclasses
import random

import pytest

from desktop.metrics.live_figures import live_snapshot
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.protocol.events import (
    Connecting,
    Done,
    Progress,
    Reconnecting,
    Resumed,
    StreamStarted,
    Token,
)


def assert_same(recorder: StreamMetricsRecorder, now: float | None) -> None:
    expected = dataclasses.asdict(recorder.snapshot(now))
    got = dataclasses.asdict(live_snapshot(recorder, now))
    assert got.pop("events_by_type") == expected.pop("events_by_type")
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        if value is None or isinstance(value, bool):
            assert got[key] is value, key
        else:
            assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key


def test_an_empty_recorder_gives_the_same_snapshot() -> None:
    recorder = StreamMetricsRecorder()
    assert_same(recorder, None)
    recorder(Connecting("u", 0, False), 5.0)
    assert_same(recorder, 6.0)


def test_a_stream_with_reconnects_gives_the_same_figures_at_any_moment() -> None:
    rng = random.Random(7)
    recorder = StreamMetricsRecorder(started_at=10.0, bytes_received=lambda: 1234)
    recorder(StreamStarted(1, "s"), 10.05)
    t, next_id = 10.3, 2
    for i in range(3000):
        if i in (800, 2100):
            recorder(Reconnecting(1, 5, 0.5, "reset", next_id - 1), t)
            assert_same(recorder, t + 0.2)  # while the reconnect lasts
            t += 0.6
            recorder(Resumed(next_id - 1, 1, 0.6), t)
        recorder(Token(next_id, "x", i), t)
        next_id += 1
        if i % 100 == 99:
            recorder(Progress(next_id, i + 1, tokens_per_second=80.0), t)
            next_id += 1
        t += rng.expovariate(100)
    assert_same(recorder, t + 0.5)
    recorder(Done(next_id, "stop"), t)
    assert_same(recorder, None)
