"""Tokens per second over time: the instant rate per bin and the rolling average."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.metrics.timeline import INSTANT, ROLLING, StreamTimeline, T
from desktop.ui.metrics.charts.base_chart import (
    INSTANT_PEN,
    ROLLING_PEN,
    TIME_AXIS_START,
    BaseChart,
)


class RateChart(BaseChart):
    def __init__(self) -> None:
        super().__init__("Tokens per second", "tokens/s", initial_x=TIME_AXIS_START)
        self.plot_item.addLegend(offset=(-10, 10))
        self.instant = self.plot_item.plot(pen=INSTANT_PEN, name="instant")
        self.rolling = self.plot_item.plot(pen=ROLLING_PEN, name="rolling")

    def draw(self, timeline: StreamTimeline) -> bool:
        """Redraw if new bins arrived; returns whether it drew."""
        if not self.is_dirty((id(timeline), timeline.rates.total)):
            return False
        rows = timeline.rate_rows()
        self.instant.setData(rows[:, T], rows[:, INSTANT])
        self.rolling.setData(rows[:, T], rows[:, ROLLING])
        if len(rows):
            self.fit(timeline.end_time, float(rows[:, INSTANT : ROLLING + 1].max()))
            self.describe(
                QCoreApplication.translate(
                    "Charts", "Tokens per second over time; now %1 (rolling average %2)"
                )
                .replace("%1", f"{rows[-1, INSTANT]:.0f}")
                .replace("%2", f"{rows[-1, ROLLING]:.0f}")
            )
        return True
