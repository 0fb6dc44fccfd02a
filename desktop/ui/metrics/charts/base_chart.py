"""What every stream chart shares: one plot, set up for cheap redraws of long series."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Final

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtWidgets import QWidget

#: Pens by series, readable on pyqtgraph's dark background; one pixel wide, the cheapest to draw.
INSTANT_PEN: Any = pg.mkPen((120, 170, 255), width=1)
ROLLING_PEN: Any = pg.mkPen((255, 190, 60), width=1)
SECOND_PEN: Any = pg.mkPen((120, 220, 140), width=1)
#: Room left below 0 on both axes, as a share of the range: a curve along y = 0 (or a bar at
#: x = 0) would otherwise overlap the axis by its pen's width, and every redraw of the curve
#: would repaint the axis too, which costs more than the curve itself.
EDGE: Final = 0.03
#: Seconds the time axes show at first: most answers fit, so the axis rarely has to widen.
TIME_AXIS_START: Final = 5.0
#: Coarse steps: each widening repaints both axes, which costs more than many curve updates.
_NICE_STEPS: Final = (1.0, 2.0, 3.0, 5.0, 7.5, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 3, 5 or 7.5 times a power of ten that is >= ``value``."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    scale = 10.0 ** math.floor(math.log10(value))
    return next(step * scale for step in _NICE_STEPS if step * scale >= value * (1 - 1e-12))


class BaseChart:
    """A titled plot whose curves are created once and fed with ``setData`` when dirty.

    Clipping to the view and peak downsampling keep a five-minute series as cheap to draw as
    the few hundred pixels it covers (pyqtgraph's ``scrollingPlots`` example does the same).

    Most of a redraw's cost is the axes (their text), not the curves. So the axes stay still:
    no auto-range, whose every new point moves the ticks, but ranges that :meth:`fit` widens
    in steps only when the data leaves them; and no grid, which pyqtgraph paints as part of
    the axes, across the whole plot, so that every curve update would repaint them too.
    """

    def __init__(self, title: str, left: str, bottom: str = "s", *, initial_x: float = 1.0) -> None:
        plot = pg.PlotWidget()
        self.widget: QWidget = plot
        #: The plot's canvas; on the AT-SPI bus it is a focusable object of its own.
        self._canvas: QWidget = plot.viewport()
        self.widget.setMinimumHeight(140)
        self.plot_item: Any = self.widget.getPlotItem()
        self.plot_item.setTitle(title)
        self.title = title
        self.widget.setAccessibleName(title)
        self._canvas.setAccessibleName(title)
        self.plot_item.setLabel("left", left)
        self.plot_item.setLabel("bottom", bottom)
        for name in ("left", "bottom"):
            # Ticks point outwards: an axis with inward ticks reaches 5 px into the plot, and
            # then every curve update along the plot's edge repaints it.
            self.plot_item.getAxis(name).setStyle(tickLength=5)
        self.plot_item.setClipToView(True)
        self.plot_item.setDownsampling(auto=True, mode="peak")
        self.plot_item.disableAutoRange()
        self._drawn_key: object = None
        self._initial_x = initial_x
        self.x_limit = self.y_limit = 0.0
        self._reset_ranges()

    def describe(self, summary: str) -> None:
        """Say in words what the chart shows now (its accessible description), for those who
        cannot see the curve; set on redraws, which the dock already throttles."""
        if self.widget.accessibleDescription() != summary:
            self.widget.setAccessibleDescription(summary)
            self._canvas.setAccessibleDescription(summary)

    def is_dirty(self, key: object) -> bool:
        """True (and remember ``key``) when ``key`` differs from the last drawn one."""
        if key == self._drawn_key:
            return False
        self._drawn_key = key
        return True

    def forget(self) -> None:
        """Make the next draw happen whatever its key (a new stream was attached)."""
        self._drawn_key = None
        self._reset_ranges()

    def _reset_ranges(self) -> None:
        self.x_limit, self.y_limit = self._initial_x, 1.0
        self.plot_item.setXRange(-self.x_limit * EDGE, self.x_limit, padding=0)
        self.plot_item.setYRange(-self.y_limit * EDGE, self.y_limit, padding=0)

    def fit(self, x_max: float, y_max: float) -> None:
        """Widen the shown ranges (from 0) to hold ``x_max`` and ``y_max``, in steps of a
        "nice" size with room to spare, so that they change rarely."""
        if x_max > self.x_limit:
            self.x_limit = nice_ceiling(x_max * 1.1)
            self.plot_item.setXRange(-self.x_limit * EDGE, self.x_limit, padding=0)
        if y_max > self.y_limit:
            self.y_limit = nice_ceiling(y_max * 1.15)
            self.plot_item.setYRange(-self.y_limit * EDGE, self.y_limit, padding=0)

    def export_png(self, path: Path, width: int = 1200) -> None:
        """Write the chart as a PNG of ``width`` pixels (height keeps the aspect ratio)."""
        exporter = ImageExporter(self.plot_item)
        exporter.parameters()["width"] = width
        exporter.export(str(path))
