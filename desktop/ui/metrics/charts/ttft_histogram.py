"""Time to first token over many cached streams, with the 500 ms target marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from desktop.metrics.analytics import TTFT_TARGET_MS
from desktop.ui.metrics.charts.base_chart import BaseChart, nice_ceiling

BINS: Final = 30
_BRUSH: Any = pg.mkBrush(255, 190, 60, 120)
_TARGET_PEN: Any = pg.mkPen((255, 80, 80), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)


class TtftHistogram(BaseChart):
    def __init__(self) -> None:
        super().__init__("Time to first token, all cached streams", "streams", "ms")
        self.plot_item.setDownsampling(auto=False)
        self.plot_item.setClipToView(False)  # clipping would cut step-mode edges apart
        self.bars = self.plot_item.plot(
            stepMode="center", fillLevel=0, brush=_BRUSH, pen=pg.mkPen((255, 190, 60))
        )
        target = pg.InfiniteLine(
            TTFT_TARGET_MS, angle=90, movable=False, pen=_TARGET_PEN, label="target"
        )
        self.plot_item.addItem(target)
        self.counts: list[int] = []

    def draw(self, ttft_ms: Sequence[float]) -> bool:
        if not self.is_dirty(tuple(ttft_ms)):
            return False
        values = np.asarray(ttft_ms, dtype=np.float64)
        upper = nice_ceiling(max(float(values.max()) if values.size else 0.0, TTFT_TARGET_MS))
        counts, edges = np.histogram(values, bins=BINS, range=(0.0, upper))
        self.counts = [int(c) for c in counts]
        self.bars.setData(edges, counts)
        self.x_limit = self.y_limit = 0.0
        self.fit(upper, float(max(self.counts, default=0)))
        within = int((values <= TTFT_TARGET_MS).sum())
        self.describe(
            QCoreApplication.translate(
                "Charts", "Time to first token of %1 cached streams; %2 within the %3 ms target"
            )
            .replace("%1", str(values.size))
            .replace("%2", str(within))
            .replace("%3", f"{TTFT_TARGET_MS:.0f}")
        )
        return True
