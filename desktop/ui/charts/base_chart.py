"""What every stream chart shares: one plot, set up for cheap redraws of long series."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtWidgets import QWidget

#: Pens by series, readable on pyqtgraph's dark background.
INSTANT_PEN: Any = pg.mkPen((120, 170, 255), width=1)
ROLLING_PEN: Any = pg.mkPen((255, 190, 60), width=2)
SECOND_PEN: Any = pg.mkPen((120, 220, 140), width=2)


class BaseChart:
    """A titled plot whose curves are created once and fed with ``setData`` when dirty.

    Clipping to the view and peak downsampling keep a five-minute series as cheap to draw as
    the few hundred pixels it covers (pyqtgraph's ``scrollingPlots`` example does the same).
    """

    def __init__(self, title: str, left: str, bottom: str = "s") -> None:
        self.widget: QWidget = pg.PlotWidget()
        self.widget.setMinimumHeight(140)
        self.plot_item: Any = self.widget.getPlotItem()
        self.plot_item.setTitle(title)
        self.plot_item.setLabel("left", left)
        self.plot_item.setLabel("bottom", bottom)
        self.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.plot_item.setClipToView(True)
        self.plot_item.setDownsampling(auto=True, mode="peak")
        self._drawn_key: object = None

    def is_dirty(self, key: object) -> bool:
        """True (and remember ``key``) when ``key`` differs from the last drawn one."""
        if key == self._drawn_key:
            return False
        self._drawn_key = key
        return True

    def forget(self) -> None:
        """Make the next draw happen whatever its key (a new stream was attached)."""
        self._drawn_key = None

    def export_png(self, path: Path, width: int = 1200) -> None:
        """Write the chart as a PNG of ``width`` pixels (height keeps the aspect ratio)."""
        exporter = ImageExporter(self.plot_item)
        exporter.parameters()["width"] = width
        exporter.export(str(path))
