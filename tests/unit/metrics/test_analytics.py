from __future__ import annotations

import csv
import io
import json

import pytest

from desktop.metrics.analytics import (
    CachedStream,
    aggregate,
    error_types,
    success_checks,
    summarize,
)
from desktop.metrics.replay import TimedEvent
from desktop.metrics.report_format import format_csv, format_json, format_table
from desktop.protocol.events import (
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Resumed,
    StreamError,
    StreamStarted,
    Token,
)


def answer(
    ttft_ms: float, gap_ms: float, tokens: int, *, drop_at: int | None = None, recover: bool = True
) -> list[TimedEvent]:
    events: list[TimedEvent] = [(0.0, Connecting("u", 0, False)), (5.0, StreamStarted(1, "s"))]
    t = ttft_ms
    for i in range(tokens):
        if i == drop_at:
            events.append((t, Reconnecting(1, 5, 0.5, "HTTP 503", i + 1)))
            if not recover:
                events.append((t + 10, GaveUp(5, "HTTP 503")))
                return events
            t += 100
            events.append((t, Resumed(i + 1, 1, 0.1)))
        events.append((t, Token(i + 2, "x", i)))
        t += gap_ms
    events.append((t, Done(tokens + 2, "stop")))
    return events


def stream(events: list[TimedEvent], state: str = "done", started: float = 1.7e9) -> CachedStream:
    return CachedStream(
        message_id=1, server_url="http://127.0.0.1:1", state=state, started=started, events=events
    )


def test_a_stream_summary_has_ttft_rate_and_no_errors() -> None:
    summary = summarize(stream(answer(200, 10, 101)))
    assert summary.ttft_ms == pytest.approx(200)
    assert summary.tokens == 101
    assert summary.tokens_per_second == pytest.approx(100)
    assert summary.error_types == ()
    assert summary.completed
    assert not summary.had_error


def test_a_recovered_drop_counts_as_a_successful_reconnect() -> None:
    summary = summarize(stream(answer(200, 10, 20, drop_at=10)))
    assert (summary.reconnects, summary.drops, summary.drops_recovered) == (1, 1, 1)
    assert summary.error_types == ("http_503",)
    assert summary.downtime_ms == pytest.approx(100)
    assert summary.completed


def test_error_types_are_named_by_kind() -> None:
    events: list[TimedEvent] = [
        (1, StreamError(2, "rate_limit", "slow down", True)),
        (2, Reconnecting(1, 5, 1, "connection reset by peer", 2)),
        (3, Reconnecting(2, 5, 1, "server error: overloaded", 2)),
        (4, GaveUp(2, "no")),
    ]
    assert error_types(events) == ("rate_limit", "connection", "server_error", "gave_up")


def test_aggregate_and_success_checks_judge_the_plan_targets() -> None:
    summaries = [
        summarize(stream(answer(200, 10, 50))),
        summarize(stream(answer(300, 10, 50, drop_at=5))),
        summarize(stream(answer(900, 40, 50, drop_at=5, recover=False), state="interrupted")),
    ]
    total = aggregate(summaries)
    assert total.streams == 3
    assert total.completed == 2
    assert total.ttft_ms.p50 == pytest.approx(300)
    assert (total.drops, total.drops_recovered) == (2, 1)
    assert total.error_recovery_rate == pytest.approx(0.5)
    assert total.error_types == {"http_503": 2, "gave_up": 1}
    verdicts = {check.name: check.verdict for check in success_checks(total)}
    assert verdicts == {
        "time to first token (p50)": "pass",
        "tokens per second (p50)": "pass",
        "reconnect success": "fail",
        "error recovery": "fail",
    }


def test_targets_without_data_are_neither_pass_nor_fail() -> None:
    checks = success_checks(aggregate([]))
    assert {check.verdict for check in checks} == {"no data"}


def test_the_three_formats_carry_the_same_figures() -> None:
    summaries = [summarize(stream(answer(250, 10, 11)))]
    total = aggregate(summaries)
    checks = success_checks(total)
    rows = list(csv.DictReader(io.StringIO(format_csv(summaries))))
    assert rows[0]["ttft_ms"] == "250.0"
    assert rows[0]["tokens_per_second"] == "100.0"
    document = json.loads(format_json(summaries, total, checks))
    assert document["streams"][0]["ttft_ms"] == 250.0
    assert document["aggregate"]["ttft_ms"]["p50"] == 250.0
    assert document["success_metrics"][0]["verdict"] == "pass"
    table = format_table(summaries, total, checks)
    assert "250.0" in table
    assert "PASS" in table
