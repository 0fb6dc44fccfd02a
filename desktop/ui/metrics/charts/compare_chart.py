"""Two answers' rolling tokens/s on one time axis (since each answer's own start)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.metrics.timeline import ROLLING, StreamTimeline, T
from desktop.ui.metrics.charts.base_chart import (
    ROLLING_PEN,
    SECOND_PEN,
    TIME_AXIS_START,
    BaseChart,
)


class CompareChart(BaseChart):
    def __init__(self) -> None:
        super().__init__(
            "Tokens per second (rolling), compared", "tokens/s", initial_x=TIME_AXIS_START
        )
        self.legend = self.plot_item.addLegend(offset=(-10, 10))
        self.first = self.plot_item.plot(pen=ROLLING_PEN, name="A")
        self.second = self.plot_item.plot(pen=SECOND_PEN, name="B")

    def draw(
        self, first: StreamTimeline, second: StreamTimeline, names: tuple[str, str] = ("A", "B")
    ) -> bool:
        if not self.is_dirty((id(first), first.rates.total, id(second), second.rates.total, names)):
            return False
        for curve, timeline, name in (
            (self.first, first, names[0]),
            (self.second, second, names[1]),
        ):
            rows = timeline.rate_rows()
            curve.setData(rows[:, T], rows[:, ROLLING])
            self.legend.getLabel(curve).setText(name)
            if len(rows):
                self.fit(float(rows[-1, T]), float(rows[:, ROLLING].max()))
        self.describe(
            QCoreApplication.translate(
                "Charts", "Rolling tokens per second of %1 and %2, from each answer's start"
            )
            .replace("%1", names[0])
            .replace("%2", names[1])
        )
        return True
