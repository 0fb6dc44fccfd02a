"""The metrics dock: live wiring, a cached answer's charts, the compare view and the cache
report (loaded from a real cache file written with the store's recorder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.commands.metrics import load_cached_streams_from
from desktop.metrics.analytics import CachedStream, summarize
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.replay import TimedEvent
from desktop.protocol.events import (
    Connecting,
    Done,
    Reconnecting,
    Resumed,
    StreamEvent,
    StreamStarted,
    Token,
)
from desktop.protocol.request import ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter
from desktop.ui.metrics.dock import MetricsDock
from desktop.ui.metrics.report_view import MetricsReportView

SERVER = "http://127.0.0.1:8765"


def answer(
    ttft: float, gap: float, n: int, drop: tuple[float, float] | None = None
) -> list[TimedEvent]:
    """Events with offsets in milliseconds; ``drop`` is (at, until) in seconds."""
    events: list[tuple[float, StreamEvent]] = [
        (0.0, Connecting(SERVER, 0, False)),
        (0.01, StreamStarted(1, "s")),
    ]
    t = ttft
    for i in range(n):
        if drop is not None and i == n // 2:
            events += [
                (drop[0], Reconnecting(1, 5, 0.5, "connection reset", i + 1)),
                (drop[1], Resumed(i + 1, 1, drop[1] - drop[0])),
            ]
            t = drop[1]
        events.append((t, Token(i + 2, "x", i)))
        t += gap
    events.append((t, Done(n + 2, "stop")))
    return [(seconds * 1000.0, event) for seconds, event in events]


def cached(events: list[TimedEvent], message_id: int, started: float) -> CachedStream:
    return CachedStream(message_id, SERVER, "done", started, tuple(events))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("metrics-cache") / "cache.sqlite3"
    with CacheWriter(path) as writer:
        for created, events in (
            (1.79e9, answer(0.2, 0.01, 40)),
            (1.79e9 + 60, answer(0.7, 0.02, 40, drop=(0.9, 1.5))),
        ):
            recorder = AnswerRecorder.start(
                writer,
                server_url=SERVER,
                protocol="assist",
                request=ChatRequest("Frage"),
                wall_clock=lambda c=created: c,
            )
            for offset_ms, event in events:
                recorder(event, 500.0 + offset_ms / 1000.0)
            recorder.close()
    return path


@pytest.fixture
def dock(qtbot: QtBot, cache: Path) -> MetricsDock:
    widget = MetricsDock(load_cached=lambda: load_cached_streams_from(cache))
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_watch_live_returns_a_timeline_sink_and_clears_the_inspector(dock: MetricsDock) -> None:
    recorder = StreamMetricsRecorder()
    timeline = dock.watch_live(recorder)
    assert dock.panel.timeline is timeline
    assert dock.inspector.model.rowCount() == 0
    assert dock.panel.refresh_timer.isActive()


def test_a_cached_answer_is_charted_as_recorded(dock: MetricsDock) -> None:
    stream = cached(answer(0.3, 0.01, 30, drop=(0.5, 0.9)), 7, 1.79e9)
    dock.setCurrentWidget(dock.inspector)
    dock.show_cached(stream)
    dock.inspector.model.flush()
    assert dock.currentWidget() is dock.panel
    assert dock.panel.figures.text("ttft") == "300 ms"
    assert dock.panel.figures.text("reconnects") == "1"
    assert dock.panel.progress_chart.visible_regions() == [pytest.approx((0.5, 0.9))]
    types = [r.type for r in dock.inspector.shown_records()]
    assert types.count("token") == 30
    assert types[0] == "stream"
    assert types[-1] == "done"


def test_the_report_tab_loads_the_cache_and_judges_the_targets(
    qtbot: QtBot, dock: MetricsDock
) -> None:
    with qtbot.waitSignal(dock.report.streams_changed, timeout=10_000):
        dock.setCurrentWidget(dock.report)
    report = dock.report
    assert report.streams_table.rowCount() == 2
    assert report.total is not None
    assert report.total.streams == 2
    assert report.total.ttft_ms.p50 == pytest.approx(450, abs=0.5)  # of 200 and 700 ms
    verdicts = [report.checks_table.item(row, 3).text() for row in range(4)]
    assert verdicts == ["pass", "pass", "pass", "pass"]  # TTFT, rate, reconnects, recovery
    assert sum(report.histogram.counts) == 2
    assert "2 streams, 2 completed" in report.summary.text()
    # the compare view got the same streams, the two newest selected
    assert dock.compare.first.count() == 2
    first, second = dock.compare.chart.first.getData(), dock.compare.chart.second.getData()
    assert len(first[0]) > 0
    assert len(second[0]) > 0


def test_double_clicking_a_report_row_charts_that_stream(qtbot: QtBot, dock: MetricsDock) -> None:
    with qtbot.waitSignal(dock.report.streams_changed, timeout=10_000):
        dock.setCurrentWidget(dock.report)
    dock.report.streams_table.cellDoubleClicked.emit(1, 0)
    assert dock.currentWidget() is dock.panel
    assert dock.panel.figures.text("ttft") == "700 ms"
    assert dock.panel.figures.text("reconnects") == "1"


def test_a_failing_loader_is_reported_and_the_view_stays_usable(qtbot: QtBot) -> None:
    def broken() -> list[CachedStream]:
        raise OSError("disk on fire")

    view = MetricsReportView(load=broken)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.load_failed, timeout=10_000) as failed:
        view.reload()
    assert failed.args == ["disk on fire"]
    qtbot.waitUntil(view.refresh_button.isEnabled)
    assert "could not be read" in view.summary.text()


def test_compare_view_draws_two_answers_rolling_rates(
    qtbot: QtBot, dock: MetricsDock, tmp_path: Path
) -> None:
    slow = cached(answer(0.2, 0.04, 40), 1, 1.0)
    fast = cached(answer(0.2, 0.01, 40), 2, 2.0)
    dock.compare.set_streams([slow, fast])
    dock.compare.compare(0, 1)
    _, slow_rates = dock.compare.chart.first.getData()
    _, fast_rates = dock.compare.chart.second.getData()
    assert max(fast_rates) > 2 * max(slow_rates)
    assert summarize(fast).tokens_per_second == pytest.approx(100)
    dock.compare.export_png(tmp_path / "compare.png")
    assert (tmp_path / "compare.png").stat().st_size > 0


def test_the_report_exports_json_csv_and_the_histogram(
    qtbot: QtBot, dock: MetricsDock, tmp_path: Path
) -> None:
    with qtbot.waitSignal(dock.report.streams_changed, timeout=10_000):
        dock.setCurrentWidget(dock.report)
    dock.report.export(tmp_path / "report.json")
    document = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [round(s["ttft_ms"]) for s in document["streams"]] == [200, 700]
    assert document["aggregate"]["streams"] == 2
    dock.report.export(tmp_path / "report.csv")
    assert len((tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()) == 3
    dock.report.export(tmp_path / "ttft.png")
    assert (tmp_path / "ttft.png").read_bytes()[:4] == b"\x89PNG"


def test_a_running_stream_does_not_mix_into_a_cached_answers_events(dock: MetricsDock) -> None:
    from desktop.protocol.sse import SSEMessage

    dock.watch_live(StreamMetricsRecorder())
    dock.show_cached(cached(answer(0.2, 0.01, 5), 3, 1.0))
    dock.inspector.feed(SSEMessage("token", '{"content":"live"}', "99", True), 18)
    dock.inspector.model.flush()
    assert "99" not in [r.id for r in dock.inspector.model.rows]
    dock.watch_live(StreamMetricsRecorder())
    dock.inspector.feed(SSEMessage("token", '{"content":"live"}', "100", True), 18)
    dock.inspector.model.flush()
    assert [r.id for r in dock.inspector.model.rows] == ["100"]
