"""StreamMetricsRecorder: figures computed from events with exact, injected time stamps."""

from __future__ import annotations

import pytest

from desktop.metrics.percentiles import percentile
from desktop.metrics.recorder import StreamMetricsRecorder, event_type_name
from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Progress,
    Reconnecting,
    Resumed,
    StreamStarted,
    Token,
)


def feed_steady(recorder: StreamMetricsRecorder, *, start: float, rate: float, n: int) -> float:
    """``n`` tokens from ``start`` at ``rate`` per second; returns the last token's time."""
    t = start
    for i in range(n):
        t = start + i / rate
        recorder(Token(i + 2, "x", i), t)
    return t


def test_ttft_counts_from_the_request_and_the_rate_from_the_first_token() -> None:
    recorder = StreamMetricsRecorder(started_at=10.0)
    recorder(Connecting("u", 0, resuming=False), 10.0)
    recorder(StreamStarted(1, "s"), 10.1)
    last = feed_steady(recorder, start=12.0, rate=50.0, n=101)  # a slow 2 s start
    recorder(Done(103, "stop"), last)
    snap = recorder.snapshot()
    assert snap.ttft_s == pytest.approx(2.0)
    assert snap.tokens == 101
    assert snap.tokens_per_second == pytest.approx(50.0)  # not dragged down by the wait
    assert snap.elapsed_s == pytest.approx(last - 10.0)
    assert snap.finished


def test_gap_percentiles_follow_the_inter_token_gaps() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0)
    t = 0.0
    gaps = [0.01] * 98 + [0.5, 1.0]
    recorder(Token(1, "a", 0), t)
    for i, gap in enumerate(gaps):
        t += gap
        recorder(Token(i + 2, "a", i + 1), t)
    snap = recorder.snapshot()
    assert snap.gap_p50_s == pytest.approx(0.01)
    assert snap.gap_max_s == pytest.approx(1.0)
    assert snap.gap_p99_s == pytest.approx(percentile(sorted(gaps), 99))
    assert snap.gap_mean_s == pytest.approx(sum(gaps) / len(gaps))
    assert len(recorder.gaps) == 100


def test_the_rolling_rate_covers_the_last_two_seconds_only() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0)
    feed_steady(recorder, start=0.0, rate=100.0, n=300)  # 0 to 2.99 s at 100/s
    feed_steady_tail = [3.0 + i / 10 for i in range(30)]  # then 10/s from 3 s to 5.9 s
    for n, t in enumerate(feed_steady_tail):
        recorder(Token(400 + n, "y", 300 + n), t)
    assert recorder.rolling_rate(5.95) == pytest.approx(10.0, rel=0.06)
    assert recorder.snapshot(now=20.0).rolling_tokens_per_second == 0.0  # a stall decays to 0


def test_the_rolling_rate_is_right_from_the_second_token() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0)
    feed_steady(recorder, start=1.0, rate=20.0, n=3)
    assert recorder.rolling_rate(1.1) == pytest.approx(20.0)


def test_reconnects_and_downtime_come_from_connection_events() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0)
    recorder(Token(2, "a", 0), 1.0)
    recorder(Reconnecting(1, 8, 0.5, "reset", 2), 2.0)
    recorder(Connecting("u", 1, resuming=True), 2.5)
    recorder(Reconnecting(2, 8, 1.0, "refused", 2), 2.6)
    recorder(Connected("u", resumed=True), 3.5)
    recorder(Resumed(2, 2, 1.5), 3.5)
    recorder(Token(3, "b", 1), 3.5)
    recorder(Reconnecting(1, 8, 0.5, "reset", 3), 4.0)
    recorder(Token(4, "c", 2), 4.25)
    snap = recorder.snapshot()
    assert snap.reconnects == 3
    assert snap.downtime_s == pytest.approx(1.5 + 0.25)
    assert recorder.reconnect_intervals == [[2.0, 3.5], [4.0, 4.25]]


def test_an_open_reconnect_period_counts_up_to_now_and_closes_at_give_up() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0)
    recorder(Reconnecting(1, 2, 1.0, "refused", 0), 1.0)
    assert recorder.snapshot(now=3.0).downtime_s == pytest.approx(2.0)
    recorder(GaveUp(2, "refused"), 4.0)
    assert recorder.snapshot().downtime_s == pytest.approx(3.0)
    assert recorder.reconnect_intervals == [[1.0, 4.0]]


def test_events_by_type_bytes_and_server_rate_are_reported() -> None:
    received = [0]
    recorder = StreamMetricsRecorder(bytes_received=lambda: received[0])
    recorder(Connecting("u", 0, resuming=False), 5.0)
    recorder(StreamStarted(1, "s"), 5.0)
    recorder(Token(2, "a", 0), 5.1)
    recorder(Progress(3, tokens_sent=1, tokens_per_second=42.5), 5.2)
    received[0] = 1234
    snap = recorder.snapshot()
    assert snap.events_by_type == {"connecting": 1, "stream": 1, "token": 1, "progress": 1}
    assert snap.bytes_received == 1234
    assert snap.server_tokens_per_second == 42.5
    assert snap.ttft_s == pytest.approx(0.1)  # started_at defaults to the first event
    assert not snap.finished


def test_chart_samples_are_rate_limited_and_bounded() -> None:
    recorder = StreamMetricsRecorder(started_at=0.0, sample_interval=0.1, max_samples=5)
    last = feed_steady(recorder, start=0.0, rate=100.0, n=100)  # 1 s of tokens
    recorder(Done(200, "stop"), last)
    assert len(recorder.samples) == 5  # about 11 were taken; the ring keeps the newest
    final = recorder.samples[-1]
    assert final.tokens == 100
    assert final.t == pytest.approx(last)
    times = [sample.t for sample in recorder.samples]
    assert times == sorted(times)


def test_no_tokens_means_no_rates() -> None:
    snap = StreamMetricsRecorder().snapshot()
    assert (snap.ttft_s, snap.tokens_per_second, snap.gap_p50_s) == (None, None, None)
    assert snap.rolling_tokens_per_second == 0.0


def test_event_type_names_are_the_wire_names() -> None:
    assert event_type_name(Token(1, "a", 0)) == "token"
    assert event_type_name(GaveUp(1, "x")) == "gave_up"


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([], 50, None), ([3.0], 99, 3.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5), ([0, 10], 95, 9.5)],
)
def test_percentiles_interpolate_like_numpy(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == expected
