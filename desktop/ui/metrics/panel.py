"""Live charts and figures of one stream, each redrawn about ten times a second at most, and
only when its data changed.

The panel never reacts to a token. Sinks (:class:`StreamMetricsRecorder` and
:class:`StreamTimeline`) take the events; the panel's named timer reads them while the panel is
visible. One refresh cycle (100 ms) is three timer ticks, and each tick redraws one thing: the
tokens/s chart, then the tokens-received chart, then in turn the gap histogram or the figures.
So one event-loop pass never paints more than one chart, and a stream at 20,000 tokens/s keeps
the window's loop responsive; each chart still updates at 10 Hz (the histogram and the
figures, read at a glance, at 2 and 4 Hz). Nothing is redrawn once a finished stream is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.metrics.live_figures import live_snapshot
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.sample_export import save_samples
from desktop.metrics.timeline import StreamTimeline
from desktop.ui.metrics.charts.base_chart import BaseChart
from desktop.ui.metrics.charts.gap_histogram import GapHistogram
from desktop.ui.metrics.charts.progress_chart import ProgressChart
from desktop.ui.metrics.charts.rate_chart import RateChart
from desktop.ui.metrics.figures import MetricsFigures

CYCLE_MS: Final = 100
#: Ticks per cycle: the rate chart, the progress chart, then one of :data:`THIRD_TICK`.
TICKS_PER_CYCLE: Final = 3
REFRESH_INTERVAL_MS: Final = CYCLE_MS // TICKS_PER_CYCLE
#: What the third tick of each cycle redraws, cycle after cycle (2 Hz and 4 Hz).
THIRD_TICK: Final = ("gaps", "figures", None, "figures", None)


class MetricsPanel(QWidget):
    """Charts (tokens/s, tokens received, gap histogram) and figures of the watched stream.

    Args:
        clock: the clock the sinks' event stamps come from (the bridge uses ``time.monotonic``).
        interval_ms: the refresh timer's interval (a third of the charts' refresh period).

    Signals:
        refreshed(): after each timer tick that drew anything.
    """

    refreshed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval_ms: int = REFRESH_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.recorder: StreamMetricsRecorder | None = None
        self.timeline: StreamTimeline | None = None
        self._live = False
        self._ticks = 0
        self._figures_key: object = None
        self.rate_chart = RateChart()
        self.progress_chart = ProgressChart()
        self.gap_chart = GapHistogram()
        self.charts: dict[str, BaseChart] = {
            "rate": self.rate_chart,
            "progress": self.progress_chart,
            "gaps": self.gap_chart,
        }
        self.figures = MetricsFigures()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setObjectName("metricsRefreshTimer")
        self.refresh_timer.setInterval(interval_ms)
        self.chart_button = QPushButton(self.tr("Save chart…"), self)
        self.samples_button = QPushButton(self.tr("Export samples…"), self)
        self._build_layout()
        self._connect_signals()

    def _build_layout(self) -> None:
        charts = QSplitter(Qt.Orientation.Vertical, self)
        for chart in self.charts.values():
            charts.addWidget(chart.widget)
        scroll = QScrollArea(self)
        scroll.setWidget(self.figures)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(self.tr("Figures of the stream"))
        # A fixed width: figures whose text grows must not resize (and so repaint) the charts.
        scroll.setFixedWidth(self.fontMetrics().horizontalAdvance("0") * 40)
        side = QVBoxLayout()
        side.addWidget(scroll, 1)
        side.addWidget(self.chart_button)
        side.addWidget(self.samples_button)
        layout = QHBoxLayout(self)
        layout.addWidget(charts, 1)
        layout.addLayout(side)
        menu = QMenu(self.chart_button)
        for name, chart in self.charts.items():
            action = menu.addAction(chart.plot_item.titleLabel.text)
            action.setData(name)
        self.chart_button.setMenu(menu)

    def _connect_signals(self) -> None:
        self.refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        menu = self.chart_button.menu()
        menu.triggered.connect(lambda action: self._on_chart_menu_triggered(str(action.data())))
        self.samples_button.clicked.connect(self._on_samples_button_clicked)

    # --- public API -----------------------------------------------------------------------

    def watch(
        self, recorder: StreamMetricsRecorder, timeline: StreamTimeline, *, live: bool = True
    ) -> None:
        """Show this stream from now on. ``live`` streams are advanced with the clock, so a
        stall shows while it lasts; a cached (replayed) stream is drawn as recorded."""
        self.recorder, self.timeline, self._live = recorder, timeline, live
        for chart in self.charts.values():
            chart.forget()
        self._figures_key = None
        self._ticks = 0
        self.refresh(force=True)

    def refresh(self, *, force: bool = False) -> bool:
        """One timer tick's share of the cycle (everything with ``force``); returns whether
        anything was drawn."""
        timeline = self.timeline
        if timeline is None:
            return False
        if self._live:
            timeline.advance(self._clock())
        if force:
            drew = self.rate_chart.draw(timeline)
            drew = self.progress_chart.draw(timeline) or drew
            drew = self.gap_chart.draw(timeline) or drew
            return self._refresh_figures() or drew
        tick, self._ticks = self._ticks, self._ticks + 1
        step = tick % TICKS_PER_CYCLE
        if step == 0:
            return self.rate_chart.draw(timeline)
        if step == 1:
            return self.progress_chart.draw(timeline)
        third = THIRD_TICK[(tick // TICKS_PER_CYCLE) % len(THIRD_TICK)]
        if third == "gaps" or (timeline.finished and third is None):
            return self.gap_chart.draw(timeline)
        return third == "figures" and self._refresh_figures()

    def export_chart(self, name: str, path: Path) -> None:
        """Save one chart (``rate``, ``progress`` or ``gaps``) as PNG."""
        self.charts[name].export_png(path)

    def export_samples(self, path: Path) -> None:
        """Save the watched stream's samples, CSV or JSON by the file's suffix."""
        if self.timeline is not None:
            save_samples(self.timeline, path)

    # --- internals ------------------------------------------------------------------------

    def _refresh_figures(self) -> bool:
        recorder = self.recorder
        if recorder is None:
            return False
        finished = recorder.finished_at is not None
        key = (recorder.last_event_at, recorder.finished_at)
        if key == self._figures_key and (finished or not self._live):
            return False
        self._figures_key = key
        now = self._clock() if self._live and not finished else None
        self.figures.show_snapshot(live_snapshot(recorder, now))
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh(force=True)
        self.refresh_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.refresh_timer.stop()
        super().hideEvent(event)

    def _on_refresh_timer_timeout(self) -> None:
        if self.refresh():
            self.refreshed.emit()

    def _on_chart_menu_triggered(self, name: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save chart"), f"{name}.png", self.tr("PNG image (*.png)")
        )
        if path:
            self.export_chart(name, Path(path))

    def _on_samples_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export samples"),
            "samples.csv",
            self.tr("CSV (*.csv);;JSON (*.json)"),
        )
        if path:
            self.export_samples(Path(path))
