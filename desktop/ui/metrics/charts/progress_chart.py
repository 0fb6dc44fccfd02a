"""Cumulative tokens against time, with reconnect periods shaded and the first token marked."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from desktop.metrics.timeline import CUMULATIVE, StreamTimeline, T
from desktop.ui.metrics.charts.base_chart import ROLLING_PEN, TIME_AXIS_START, BaseChart

_RECONNECT_BRUSH: Any = pg.mkBrush(255, 80, 80, 60)
_TTFT_PEN: Any = pg.mkPen((120, 220, 140), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)


class ProgressChart(BaseChart):
    """Flat stretches are stalls; shaded bands are the time spent reconnecting."""

    def __init__(self) -> None:
        super().__init__("Tokens received", "tokens", initial_x=TIME_AXIS_START)
        self.curve = self.plot_item.plot(pen=ROLLING_PEN)
        self.ttft_line: Any = pg.InfiniteLine(
            angle=90, movable=False, pen=_TTFT_PEN, label="TTFT", labelOpts={"position": 0.9}
        )
        self.ttft_line.setVisible(False)
        self.plot_item.addItem(self.ttft_line, ignoreBounds=True)
        #: One shaded region per reconnect, reused from stream to stream.
        self.regions: list[Any] = []

    def draw(self, timeline: StreamTimeline) -> bool:
        intervals = tuple((r.start, r.end) for r in timeline.reconnects)
        open_end = timeline.end_time if timeline.reconnecting else None
        key = (id(timeline), timeline.rates.total, timeline.ttft, intervals, open_end)
        if not self.is_dirty(key):
            return False
        rows = timeline.rate_rows()
        self.curve.setData(rows[:, T], rows[:, CUMULATIVE])
        self.fit(timeline.end_time, float(timeline.tokens))
        if timeline.ttft is not None and timeline.ttft != self.ttft_line.value():
            self.ttft_line.setValue(timeline.ttft)  # re-lays out its label: only on change
        self.ttft_line.setVisible(timeline.ttft is not None)
        self._shade(intervals, timeline.end_time)
        self.describe(
            QCoreApplication.translate(
                "Charts", "Tokens received over time: %1 tokens in %2 s, %3 reconnect(s)"
            )
            .replace("%1", str(timeline.tokens))
            .replace("%2", f"{timeline.end_time:.1f}")
            .replace("%3", str(len(intervals)))
        )
        return True

    def visible_regions(self) -> list[tuple[float, float]]:
        """The shaded intervals as drawn (for tests and exports)."""
        return [tuple(r.getRegion()) for r in self.regions if r.isVisible()]

    def _shade(self, intervals: tuple[tuple[float, float | None], ...], now: float) -> None:
        while len(self.regions) < len(intervals):
            region = pg.LinearRegionItem(movable=False, brush=_RECONNECT_BRUSH)
            region.setZValue(-10)
            self.plot_item.addItem(region, ignoreBounds=True)
            self.regions.append(region)
        for i, region in enumerate(self.regions):
            if i < len(intervals):
                start, end = intervals[i]
                region.setRegion((start, max(start, now) if end is None else end))
            region.setVisible(i < len(intervals))
