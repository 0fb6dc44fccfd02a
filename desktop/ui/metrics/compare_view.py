"""Two cached answers' tokens/s curves on one chart, each from its own start."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.metrics.analytics import CachedStream
from desktop.metrics.replay import replayed_metrics
from desktop.metrics.stream_labels import stream_label
from desktop.metrics.timeline import StreamTimeline
from desktop.ui.accessibility.naming import name_choice
from desktop.ui.metrics.charts.compare_chart import CompareChart


class CompareView(QWidget):
    """Pick two cached streams; their rolling tokens/s are drawn together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.streams: list[CachedStream] = []
        self._timelines: dict[int, StreamTimeline] = {}
        self.first = QComboBox(self)
        self.first.setObjectName("compareFirst")
        self.second = QComboBox(self)
        self.second.setObjectName("compareSecond")
        self.chart = CompareChart()
        self.save_button = QPushButton(self.tr("Save chart…"), self)
        name_choice(self.first, self.tr("First stream (A)"))
        name_choice(self.second, self.tr("Second stream (B)"))
        form = QFormLayout()
        form.addRow(self.tr("A"), self.first)
        form.addRow(self.tr("B"), self.second)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.chart.widget, 1)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.first.currentIndexChanged.connect(self._on_selection_changed)
        self.second.currentIndexChanged.connect(self._on_selection_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def set_streams(self, streams: Sequence[CachedStream]) -> None:
        """Offer these streams (newest last); the two newest are selected."""
        self.streams = list(streams)
        self._timelines.clear()
        labels = [stream_label(s) for s in self.streams]
        for combo, pick in ((self.first, -2), (self.second, -1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(labels)
            if labels:
                combo.setCurrentIndex(max(0, len(labels) + pick))
            combo.blockSignals(False)
        self._on_selection_changed()

    def compare(self, first: int, second: int) -> None:
        """Select streams by index into :attr:`streams` and draw them."""
        self.first.setCurrentIndex(first)
        self.second.setCurrentIndex(second)

    def export_png(self, path: Path) -> None:
        self.chart.export_png(path)

    def _timeline(self, index: int) -> StreamTimeline:
        stream = self.streams[index]
        timeline = self._timelines.get(stream.message_id)
        if timeline is None:
            _, timeline = replayed_metrics(stream.events)
            self._timelines[stream.message_id] = timeline
        return timeline

    def _on_save_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save chart"), "compare.png", self.tr("PNG image (*.png)")
        )
        if path:
            self.export_png(Path(path))

    def _on_selection_changed(self) -> None:
        a, b = self.first.currentIndex(), self.second.currentIndex()
        if a < 0 or b < 0:
            return
        names = (f"A: {self.first.currentText()}", f"B: {self.second.currentText()}")
        self.chart.draw(self._timeline(a), self._timeline(b), names)
