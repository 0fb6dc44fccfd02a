"""The live metrics panel: figures match the recorder, charts redraw per tick and only when
dirty, reconnects are shaded (also after a real drop on loopback), exports are written."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.timeline import StreamTimeline
from desktop.protocol.events import Resumed, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource
from desktop.ui.metrics.event_inspector import EventInspector
from desktop.ui.metrics.figures import FIGURES
from desktop.ui.metrics.panel import CYCLE_MS, THIRD_TICK, TICKS_PER_CYCLE, MetricsPanel
from tests.helpers.metrics_feed import FedStream
from tests.servers.fault_server import (
    FaultServer,
    answer_events,
    events_after,
    frames,
    sse_reply,
)


def cycle(panel: MetricsPanel) -> None:
    """One refresh cycle of the panel's timer (each tick redraws one part)."""
    for _ in range(TICKS_PER_CYCLE):
        panel.refresh_timer.timeout.emit()


@pytest.fixture
def fed() -> FedStream:
    return FedStream()


@pytest.fixture
def panel(qtbot: QtBot, fed: FedStream) -> Iterator[MetricsPanel]:
    widget = MetricsPanel(clock=fed.clock)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh_timer.stop()  # the test ticks by hand
    yield widget
    widget.hide()


@pytest.fixture
def set_data_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every ``PlotDataItem.setData`` call, by item."""
    calls: list[object] = []
    original = pg.PlotDataItem.setData

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pg.PlotDataItem, "setData", counting)
    return calls


def test_the_figures_are_the_recorders(panel: MetricsPanel, fed: FedStream) -> None:
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    fed.tokens(100, start=0.3, gap=0.02)
    fed.progress(2.3, rate=48.5)
    fed.drop(2.4, until=3.1)
    fed.tokens(50, start=3.1, gap=0.01)
    fed.done(3.6)
    panel.refresh(force=True)
    snapshot = fed.recorder.snapshot()
    shown = {key: panel.figures.text(key) for key, _, _ in FIGURES}
    expected = {key: render(snapshot) for key, _, render in FIGURES}
    assert shown == expected
    assert shown["ttft"] == "300 ms"
    assert shown["reconnects"] == "1"
    assert shown["downtime"] == "700 ms"
    assert shown["server_rate"] == "48.5"
    assert shown["bytes"] == "4.2 KiB"
    assert "token 150" in shown["events"]


def test_charts_redraw_once_per_tick_not_per_token(
    panel: MetricsPanel, fed: FedStream, set_data_calls: list[object]
) -> None:
    panel.watch(fed.recorder, fed.timeline)
    set_data_calls.clear()
    fed.start()
    for second in range(5):  # 2,000 tokens/s for five seconds, ten ticks a second
        for tick in range(10):
            start = second + tick / 10
            fed.tokens(200, start=start, gap=0.0005)
            fed.now = start + 0.1001  # just past the bin end, whatever the rounding
            cycle(panel)
    assert fed.recorder.tokens == 10_000
    curves = {
        panel.rate_chart.instant,
        panel.rate_chart.rolling,
        panel.progress_chart.curve,
        panel.gap_chart.bars,
    }
    assert set(set_data_calls) == curves
    # 10,000 tokens, fifty cycles: the two rate curves and the progress curve once per cycle,
    # the gap histogram on the cycles whose third tick is its turn, and nothing per token.
    histograms = sum(THIRD_TICK[c % len(THIRD_TICK)] == "gaps" for c in range(50))
    assert histograms == 10
    assert len(set_data_calls) == 3 * 50 + histograms


def test_an_unchanged_stream_is_not_redrawn(
    panel: MetricsPanel, fed: FedStream, set_data_calls: list[object]
) -> None:
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    fed.tokens(20, start=0.2, gap=0.01)
    fed.done(0.5)
    for _ in range(len(THIRD_TICK)):  # let every part catch up
        cycle(panel)
    set_data_calls.clear()
    with_signal: list[None] = []
    panel.refreshed.connect(lambda: with_signal.append(None))
    for _ in range(20):
        cycle(panel)
    assert set_data_calls == []
    assert with_signal == []


def test_a_stall_shows_while_it_lasts(panel: MetricsPanel, fed: FedStream) -> None:
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    fed.tokens(10, start=0.1, gap=0.01)
    fed.now = 1.5  # no token for 1.3 s
    panel.refresh_timer.timeout.emit()
    x, y = panel.rate_chart.instant.getData()
    assert x[-1] == pytest.approx(1.5)
    assert y[-1] == 0


def test_the_timer_runs_only_while_the_panel_is_visible(qtbot: QtBot) -> None:
    widget = MetricsPanel()
    qtbot.addWidget(widget)
    assert widget.refresh_timer.objectName() == "metricsRefreshTimer"
    assert widget.refresh_timer.interval() * TICKS_PER_CYCLE == pytest.approx(CYCLE_MS, abs=2)
    assert not widget.refresh_timer.isActive()
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.refresh_timer.isActive()
    widget.hide()
    assert not widget.refresh_timer.isActive()


def test_an_injected_drop_is_shaded_and_ttft_marked(panel: MetricsPanel, fed: FedStream) -> None:
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    fed.tokens(30, start=0.25, gap=0.01)
    fed.send(
        fed_reconnecting := __import__("desktop.protocol.events", fromlist=["x"]).Reconnecting(
            1, 5, 0.5, "connection reset", 31
        ),
        0.6,
    )
    assert fed_reconnecting.attempt == 1
    fed.now = 1.0
    cycle(panel)
    assert panel.progress_chart.visible_regions() == [pytest.approx((0.6, 1.0))]  # still open
    fed.send(Resumed(31, 1, 0.8), 1.4)
    fed.tokens(10, start=1.4, gap=0.01)
    cycle(panel)
    assert panel.progress_chart.visible_regions() == [pytest.approx((0.6, 1.4))]
    assert panel.progress_chart.ttft_line.isVisible()
    assert panel.progress_chart.ttft_line.value() == pytest.approx(0.25)


def test_a_real_drop_on_loopback_is_shaded(qtbot: QtBot, run_async: Any) -> None:
    """A server cuts the first connection mid-answer; the client resumes from the last id."""
    events = answer_events([f" w{i}" for i in range(40)])
    first = sse_reply([*frames(events[:21]), 0.05], end="close")  # stream + 20 tokens
    script = [first, sse_reply(frames(events_after(events, 21)))]
    recorder = StreamMetricsRecorder()
    timeline = StreamTimeline()
    panel = MetricsPanel()
    inspector = EventInspector()
    qtbot.addWidget(panel)
    qtbot.addWidget(inspector)
    panel.watch(recorder, timeline)
    inspector.begin()
    seen: list[StreamEvent] = []

    async def no_wait(_delay: float) -> None:
        await asyncio.sleep(0)

    async def scenario() -> None:
        async with FaultServer(script) as server:
            config = ClientConfig(server.url, idle_timeout=10.0, connect_timeout=5.0)
            async with make_client(config) as client:
                source = ReconnectingEventSource(
                    client,
                    config,
                    ChatRequest("Hallo?"),
                    sleep=no_wait,
                    on_message=inspector.feed,
                )
                async for event in source.events():
                    now = asyncio.get_running_loop().time()
                    recorder(event, now)
                    timeline(event, now)
                    seen.append(event)

    run_async(asyncio.wait_for(scenario(), 30))
    panel.refresh(force=True)
    inspector.model.flush()
    assert recorder.tokens == 40
    assert panel.figures.text("reconnects") == "1"
    [(start, end)] = panel.progress_chart.visible_regions()
    assert 0 < start < end
    assert [r.type for r in inspector.shown_records()].count("token") == 40


def test_chart_and_samples_export(panel: MetricsPanel, fed: FedStream, tmp_path: Path) -> None:
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    fed.tokens(50, start=0.2, gap=0.01)
    fed.done(0.75)
    panel.refresh()
    for name in ("rate", "progress", "gaps"):
        panel.export_chart(name, tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    panel.export_samples(tmp_path / "samples.csv")
    lines = (tmp_path / "samples.csv").read_text().splitlines()
    assert lines[0] == "t_s,tokens_per_second,rolling_tokens_per_second,tokens"
    assert lines[-1].endswith(",50")
    panel.export_samples(tmp_path / "samples.json")
    document = json.loads((tmp_path / "samples.json").read_text())
    assert document["tokens"] == 50
    assert document["ttft_s"] == pytest.approx(0.2)
    assert len(document["gaps_s"]) == 49


def test_the_axes_keep_still_while_a_stream_grows(panel: MetricsPanel, fed: FedStream) -> None:
    """Ranges widen in a few "nice" steps, not with every new point (axes are costly to paint)."""
    panel.watch(fed.recorder, fed.timeline)
    changes: list[object] = []
    view = panel.rate_chart.plot_item.getViewBox()
    view.sigXRangeChanged.connect(lambda *_: changes.append("x"))
    view.sigYRangeChanged.connect(lambda *_: changes.append("y"))
    fed.start()
    for step in range(100):  # ten seconds at 100 tokens/s
        fed.tokens(10, start=step / 10, gap=0.01)
        fed.now = step / 10 + 0.1001
        cycle(panel)
    # 100 cycles; auto-range would move the axes on every one of them.
    assert changes.count("x") <= 4  # 5 s at first, then 7.5, 10 and 20 s
    assert changes.count("y") <= 3
    x_range, y_range = view.viewRange()
    assert x_range[1] >= 10.0
    assert y_range[1] >= 100.0


def test_changing_figures_never_resize_the_charts(panel: MetricsPanel, fed: FedStream) -> None:
    resizes: list[object] = []

    class ResizeCounter(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                resizes.append(watched)
            return False

    counter = ResizeCounter()
    for chart in panel.charts.values():
        chart.widget.installEventFilter(counter)
    panel.watch(fed.recorder, fed.timeline)
    fed.start()
    for step in range(30):  # ever longer figures: rates, token counts, event counts
        fed.tokens(40 * step + 1, start=step / 10, gap=0.1 / (40 * step + 1))
        fed.now = step / 10 + 0.1001
        cycle(panel)
        QApplication.processEvents()
    panel.refresh(force=True)
    QApplication.processEvents()
    assert panel.figures.text("tokens") == str(fed.recorder.tokens)
    assert resizes == []
