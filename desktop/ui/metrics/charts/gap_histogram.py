"""The distribution of inter-token gaps: where a stream's time goes between tokens."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from desktop.metrics.timeline import StreamTimeline
from desktop.ui.metrics.charts.base_chart import EDGE, BaseChart, nice_ceiling

BINS: Final = 40
_BRUSH: Any = pg.mkBrush(120, 170, 255, 120)


class GapHistogram(BaseChart):
    """Gaps in milliseconds; the range ends at the 99th percentile (the rest lands in the last
    bin), so one stall does not squash every other bar into the first."""

    def __init__(self) -> None:
        super().__init__("Inter-token gaps", "tokens", "ms")
        self.plot_item.setDownsampling(auto=False)
        self.plot_item.setClipToView(False)  # clipping would cut step-mode edges apart
        self.bars = self.plot_item.plot(
            stepMode="center", fillLevel=0, brush=_BRUSH, pen=pg.mkPen((120, 170, 255))
        )

    def draw(self, timeline: StreamTimeline) -> bool:
        if not self.is_dirty((id(timeline), timeline.gaps.total)):
            return False
        gaps_ms = timeline.gap_values() * 1000.0
        if gaps_ms.size == 0:
            self.bars.setData([0.0, 1.0], [0.0])
            return True
        # A "nice" upper end changes rarely, so the axis keeps still while the bars grow.
        upper = nice_ceiling(float(np.percentile(gaps_ms, 99)) * 1.05)
        counts, edges = np.histogram(np.minimum(gaps_ms, upper), bins=BINS, range=(0.0, upper))
        self.bars.setData(edges, counts)
        if upper != self.x_limit:
            self.x_limit = upper
            self.plot_item.setXRange(-upper * EDGE, upper, padding=0)
        self.fit(upper, float(counts.max()))
        self.describe(
            QCoreApplication.translate(
                "Charts", "Gaps between tokens: %1 gaps, median %2 ms, 99th percentile %3 ms"
            )
            .replace("%1", str(gaps_ms.size))
            .replace("%2", f"{float(np.median(gaps_ms)):.0f}")
            .replace("%3", f"{float(np.percentile(gaps_ms, 99)):.0f}")
        )
        return True
