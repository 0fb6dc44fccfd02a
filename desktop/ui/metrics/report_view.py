"""The ``assist-desktop metrics`` report in the window: targets, figures, TTFT histogram, streams.

Loading reads the whole cache, so it runs on a worker thread and the result comes back to
the GUI thread as a queued signal. Double-clicking a stream asks (``stream_activated``) for its
charts, which the metrics dock shows in its stream tab.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.metrics.analytics import (
    Aggregate,
    CachedStream,
    SuccessCheck,
    aggregate,
    success_checks,
    summarize,
)
from desktop.metrics.report_format import format_csv, format_json, stream_row
from desktop.ui.accessibility.naming import describe
from desktop.ui.metrics.charts.ttft_histogram import TtftHistogram

Loader = Callable[[], Sequence[CachedStream]]
STREAM_COLUMNS = (
    "started",
    "state",
    "tokens",
    "ttft_ms",
    "tokens_per_second",
    "reconnects",
    "downtime_ms",
    "error_types",
)
_VERDICT_COLOURS = {"pass": QColor(60, 160, 80), "fail": QColor(200, 60, 60)}


class MetricsReportView(QWidget):
    """Success targets, aggregate figures, a TTFT histogram and one row per cached stream.

    Args:
        load: reads the cached streams (called on a worker thread); without it, call
            :meth:`show_streams` yourself.

    Signals:
        stream_activated(object): a :class:`CachedStream` whose charts the user asked for.
        streams_changed(object): the list of :class:`CachedStream` now shown.
        load_failed(str): loading raised; the message.
    """

    stream_activated = Signal(object)
    streams_changed = Signal(object)
    load_failed = Signal(str)
    _loaded = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, load: Loader | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self.streams: list[CachedStream] = []
        self.total: Aggregate | None = None
        self.checks: list[SuccessCheck] = []
        self.refresh_button = QPushButton(self.tr("Reload"), self)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.refresh_button.setEnabled(load is not None)
        self.summary = QLabel(self.tr("No streams loaded."), self)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.checks_table = QTableWidget(0, 4, self)
        self.checks_table.setObjectName("successChecks")
        self.histogram = TtftHistogram()
        self.streams_table = QTableWidget(0, len(STREAM_COLUMNS), self)
        self.streams_table.setObjectName("cachedStreams")
        describe(self.checks_table, self.tr("Success checks"), self.tr("Target, goal, measured"))
        describe(self.streams_table, self.tr("Cached streams"), self.tr("Enter opens a stream"))
        self._build_layout()
        self._connect_signals()

    def _build_layout(self) -> None:
        self.checks_table.setHorizontalHeaderLabels(
            [self.tr("Target"), self.tr("Goal"), self.tr("Measured"), self.tr("Result")]
        )
        self.streams_table.setHorizontalHeaderLabels(list(STREAM_COLUMNS))
        for table in (self.checks_table, self.streams_table):
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        upper = QWidget(self)
        upper_layout = QHBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.checks_table, 1)
        upper_layout.addWidget(self.histogram.widget, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.streams_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self._loaded.connect(self.show_streams)
        self.streams_table.cellDoubleClicked.connect(self._on_streams_table_double_clicked)

    # --- public API -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the cache again, off the GUI thread."""
        load = self._load
        if load is None or not self.refresh_button.isEnabled():
            return
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("Reading the cache…"))

        def work() -> None:
            try:
                streams: list[CachedStream] | None = list(load())
                error = None
            except Exception as exc:  # shown to the user, the window stays usable
                streams, error = None, str(exc)
            try:
                if error is not None:
                    self.load_failed.emit(error)
                self._loaded.emit(streams)
            except RuntimeError:  # the view was closed while the cache was read
                pass

        threading.Thread(target=work, name="metrics-report-load", daemon=True).start()

    def show_streams(self, streams: Sequence[CachedStream] | None) -> None:
        """Compute and show the report for ``streams`` (``None`` keeps the current one)."""
        self.refresh_button.setEnabled(self._load is not None)
        if streams is None:
            self.summary.setText(self.tr("The cache could not be read."))
            return
        self.streams = list(streams)
        summaries = [summarize(s) for s in self.streams]
        self.total = total = aggregate(summaries)
        self.checks = success_checks(total)
        self._fill_checks()
        self.histogram.draw([s.ttft_ms for s in summaries if s.ttft_ms is not None])
        self._fill_streams([stream_row(s) for s in summaries])
        self.summary.setText(_summary_text(total))
        self.streams_changed.emit(self.streams)

    def export(self, path: Path) -> None:
        """Write the report by the file's suffix: ``.json`` (everything), ``.csv`` (the
        streams) or ``.png`` (the TTFT histogram)."""
        suffix = path.suffix.lower()
        if suffix == ".png":
            self.histogram.export_png(path)
            return
        summaries = [summarize(s) for s in self.streams]
        total = self.total if self.total is not None else aggregate(summaries)
        if suffix == ".json":
            text = format_json(summaries, total, self.checks or success_checks(total))
        else:
            text = format_csv(summaries)
        path.write_text(text, encoding="utf-8")

    # --- internals ------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the report"),
            "stream-metrics.json",
            self.tr("JSON (*.json);;CSV (*.csv);;TTFT histogram, PNG (*.png)"),
        )
        if path:
            self.export(Path(path))

    def _fill_checks(self) -> None:
        table = self.checks_table
        table.setRowCount(len(self.checks))
        for row, check in enumerate(self.checks):
            measured = (
                "–"
                if check.measured is None
                else (f"{check.measured:.1%}" if "%" in check.target else f"{check.measured:.1f}")
            )
            for column, text in enumerate((check.name, check.target, measured, check.verdict)):
                item = QTableWidgetItem(text)
                colour = _VERDICT_COLOURS.get(check.verdict)
                if column == 3 and colour is not None:
                    item.setForeground(QBrush(colour))
                table.setItem(row, column, item)
        table.resizeColumnsToContents()

    def _fill_streams(self, rows: list[dict[str, object]]) -> None:
        table = self.streams_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, key in enumerate(STREAM_COLUMNS):
                value = row[key]
                table.setItem(r, c, QTableWidgetItem("–" if value in (None, "") else str(value)))
        table.resizeColumnsToContents()

    def _on_streams_table_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.streams):
            self.stream_activated.emit(self.streams[row])


def _summary_text(total: Aggregate) -> str:
    def triple(p50: float | None, p95: float | None, p99: float | None) -> str:
        return " / ".join("–" if v is None else f"{v:.0f}" for v in (p50, p95, p99))

    t, r = total.ttft_ms, total.tokens_per_second
    return (
        f"{total.streams} streams, {total.completed} completed. "
        f"TTFT p50/p95/p99: {triple(t.p50, t.p95, t.p99)} ms. "
        f"Tokens/s p50/p95/p99: {triple(r.p50, r.p95, r.p99)}. "
        f"Reconnects: {total.reconnects} ({total.drops_recovered} of {total.drops} losses "
        f"recovered). Errors: "
        + (", ".join(f"{k} {v}" for k, v in total.error_types.items()) or "none")
        + "."
    )
