from __future__ import annotations

import numpy as np
import pytest

from desktop.metrics.timeline import CUMULATIVE, INSTANT, ROLLING, StreamTimeline, T
from desktop.protocol.events import (
    Connecting,
    Done,
    Reconnecting,
    Resumed,
    StreamStarted,
    Token,
)


def feed_tokens(timeline: StreamTimeline, times: list[float], first_id: int = 2) -> None:
    for i, t in enumerate(times):
        timeline(Token(first_id + i, "x", i), t)


def test_tokens_are_binned_into_one_row_per_bin_not_one_per_token() -> None:
    timeline = StreamTimeline(started_at=100.0, bin_width=0.1)
    timeline(StreamStarted(1, "s"), 100.0)
    feed_tokens(timeline, [100.0 + 0.01 * i for i in range(1, 50)])  # 49 tokens in 0.5 s
    timeline(Done(51, "stop"), 100.5)
    rows = timeline.rate_rows()
    assert len(rows) == 5
    assert rows[:, CUMULATIVE][-1] == 49
    assert rows[:, INSTANT].sum() * 0.1 == pytest.approx(49)
    np.testing.assert_allclose(rows[:, T], [0.1, 0.2, 0.3, 0.4, 0.5])


def test_time_to_first_token_and_gaps_are_kept() -> None:
    timeline = StreamTimeline(started_at=0.0)
    timeline(Connecting("u", 0, False), 0.0)
    feed_tokens(timeline, [0.25, 0.30, 0.40])
    assert timeline.ttft == pytest.approx(0.25)
    np.testing.assert_allclose(timeline.gap_values(), [0.05, 0.10])


def test_rolling_rate_is_the_window_average() -> None:
    timeline = StreamTimeline(started_at=0.0, bin_width=0.1, rolling_window=1.0)
    feed_tokens(timeline, [i * 0.01 for i in range(300)])  # 100 tokens/s for 3 s
    timeline.advance(3.0)
    rolling = timeline.rate_rows()[:, ROLLING]
    assert rolling[-1] == pytest.approx(100, rel=0.05)


def test_a_reconnect_is_an_interval_closed_by_the_next_event() -> None:
    timeline = StreamTimeline(started_at=0.0)
    feed_tokens(timeline, [0.1, 0.2])
    timeline(Reconnecting(1, 5, 0.5, "connection reset", 3), 0.3)
    timeline(Reconnecting(2, 5, 1.0, "connection refused", 3), 0.8)
    assert timeline.reconnecting
    timeline(Resumed(3, 2, 1.2), 1.5)
    assert [(r.start, r.end) for r in timeline.reconnects] == [(0.3, 1.5)]
    assert not timeline.reconnecting


def test_a_long_stall_adds_a_bounded_number_of_rows() -> None:
    timeline = StreamTimeline(started_at=0.0, bin_width=0.1)
    feed_tokens(timeline, [0.05, 600.0])
    assert len(timeline.rate_rows()) < 30
    assert timeline.rate_rows()[-1, INSTANT] == 0


def test_advance_shows_a_stall_while_it_lasts() -> None:
    timeline = StreamTimeline(started_at=0.0, bin_width=0.1)
    feed_tokens(timeline, [0.05])
    version = timeline.version
    timeline.advance(0.55)
    assert timeline.version > version
    assert timeline.end_time == pytest.approx(0.5)


def test_nothing_is_recorded_after_the_terminal_event() -> None:
    timeline = StreamTimeline(started_at=0.0)
    feed_tokens(timeline, [0.1])
    timeline(Done(3, "stop"), 0.2)
    version = timeline.version
    feed_tokens(timeline, [0.3])
    timeline.advance(5.0)
    assert timeline.version == version
    assert timeline.tokens == 1


def test_the_last_partial_bin_shows_the_rate_it_had() -> None:
    timeline = StreamTimeline(started_at=0.0, bin_width=0.1)
    feed_tokens(timeline, [0.005 + i * 0.01 for i in range(36)])  # 100 tokens/s until 0.355
    timeline(Done(40, "stop"), 0.36)
    rows = timeline.rate_rows()
    assert rows[-1, T] == pytest.approx(0.36)
    assert rows[-1, INSTANT] == pytest.approx(100, rel=0.01)  # 6 tokens in 0.06 s
    assert rows[-1, CUMULATIVE] == 36
