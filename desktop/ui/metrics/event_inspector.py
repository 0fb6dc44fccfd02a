"""A live, filterable table of the raw SSE messages of a stream, for checking a server.

Feed it from ``ReconnectingEventSource(on_message=inspector.feed)``: every parsed message with
its size, before deduplication, so replays after a resume show too. Rows arrive in batches
(:class:`EventTableModel`); filtering by type and text happens in a proxy model, so the rows
are kept whole and a filter can be changed at any time. Copy puts the selected rows on the
clipboard and Save writes the shown rows, both as JSON Lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.sse import SSEMessage
from desktop.ui.accessibility.naming import describe, name_choice, name_field
from desktop.ui.metrics.event_table_model import ID, SIZE, TIME, TYPE, EventRecord, EventTableModel

ALL_TYPES = ""


class EventFilterModel(QSortFilterProxyModel):
    """Shows rows of one type (or all) whose type or data contains the filter text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.event_type = ALL_TYPES
        self.text = ""

    def set_filter(self, event_type: str, text: str) -> None:
        self.beginFilterChange()
        self.event_type, self.text = event_type, text.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, EventTableModel)
        record = model.rows[source_row]
        if self.event_type and record.type != self.event_type:
            return False
        return not self.text or self.text in record.data.casefold() or self.text in record.type

    def records(self, rows: list[int] | None = None) -> list[EventRecord]:
        """The records behind the given proxy rows (all shown rows when ``None``)."""
        model = self.sourceModel()
        assert isinstance(model, EventTableModel)
        wanted = range(self.rowCount()) if rows is None else rows
        return [model.rows[self.mapToSource(self.index(row, 0)).row()] for row in wanted]


class EventInspector(QWidget):
    """The table, a type filter, a text filter, and Copy and Save actions.

    Args:
        clock: the clock for "time since start" (``time.monotonic``, like the event stamps).
    """

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.started_at: float | None = None
        self.live = True
        self.model = EventTableModel(self)
        self.model.set_paused(True)  # until shown
        self.proxy = EventFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("eventTypeFilter")
        self.type_filter.addItem(self.tr("All types"), ALL_TYPES)
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("eventTextFilter")
        self.text_filter.setPlaceholderText(self.tr("Filter by text…"))
        self.text_filter.setClearButtonEnabled(True)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.save_button = QPushButton(self.tr("Save…"), self)
        self.table = QTableView(self)
        self.copy_action = QAction(self.tr("Copy"), self.table)
        name_choice(self.type_filter, self.tr("Event type"))
        name_field(self.text_filter, self.tr("Filter events by text"))
        describe(
            self.table,
            self.tr("Received events"),
            self.tr("Every event of the stream: id, type, time, size and data"),
        )
        self._build_layout()
        self._connect_signals()

    def _build_layout(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        digits = table.fontMetrics().horizontalAdvance("0")
        for column, characters in ((ID, 8), (TYPE, 11), (TIME, 9), (SIZE, 8)):
            header.resizeSection(column, characters * digits + 12)
        bar = QHBoxLayout()
        bar.addWidget(self.type_filter)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(table, 1)
        # Ctrl+C copies rows only while the table has focus, never the chat's selected text.
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        table.addAction(self.copy_action)

    def _connect_signals(self) -> None:
        self.model.type_seen.connect(self._on_model_type_seen)
        self.model.rowsInserted.connect(self._on_model_rows_inserted)
        self.type_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.text_filter.textChanged.connect(self._on_filter_changed)
        self.copy_button.clicked.connect(self.copy_selection)
        self.copy_action.triggered.connect(self.copy_selection)
        self.save_button.clicked.connect(self._on_save_button_clicked)

    # --- public API -----------------------------------------------------------------------

    def begin(self, started_at: float | None = None, *, live: bool = True) -> None:
        """Start a new stream: clear the table; times count from ``started_at`` (now).

        With ``live`` false (a cached answer is shown), :meth:`feed` ignores the messages of
        a stream still running, until the next live ``begin``.
        """
        self.started_at = self._clock() if started_at is None else started_at
        self.live = live
        self.model.clear()
        while self.type_filter.count() > 1:
            self.type_filter.removeItem(1)

    def feed(self, message: SSEMessage, size: int) -> None:
        """The source's ``on_message`` tap; cheap, the row appears with the next batch."""
        if not self.live:
            return
        now = self._clock()
        if self.started_at is None:
            self.started_at = now
        self.model.append(
            EventRecord(message.id, message.event, now - self.started_at, size, message.data)
        )

    def add_record(self, record: EventRecord) -> None:
        """Show a record from elsewhere (a cached answer's events)."""
        self.model.append(record)

    def set_filter(self, event_type: str = ALL_TYPES, text: str = "") -> None:
        index = self.type_filter.findData(event_type)
        self.type_filter.setCurrentIndex(max(index, 0))
        self.text_filter.setText(text)

    def shown_records(self) -> list[EventRecord]:
        return self.proxy.records()

    def copy_selection(self) -> None:
        """Selected rows (all shown rows if none is selected) to the clipboard, as JSONL."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        records = self.proxy.records(rows or None)
        QGuiApplication.clipboard().setText("".join(r.to_json() + "\n" for r in records))

    def save(self, path: Path) -> int:
        """Write the shown rows as JSON Lines; returns how many."""
        records = self.shown_records()
        with path.open("w", encoding="utf-8") as out:
            out.writelines(record.to_json() + "\n" for record in records)
        return len(records)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.model.set_paused(False)

    def hideEvent(self, event: QHideEvent) -> None:
        # Hidden (another tab, a closed dock): rows only queue up, and no timer outlives it.
        self.model.set_paused(True)
        super().hideEvent(event)

    # --- handlers -------------------------------------------------------------------------

    def _on_model_type_seen(self, event_type: str) -> None:
        self.type_filter.addItem(event_type, event_type)

    def _on_model_rows_inserted(self) -> None:
        scroll = self.table.verticalScrollBar()
        if scroll.value() >= scroll.maximum() - 2:  # follow the tail unless scrolled up
            self.table.scrollToBottom()

    def _on_filter_changed(self) -> None:
        self.proxy.set_filter(str(self.type_filter.currentData()), self.text_filter.text())

    def _on_save_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save events"), "events.jsonl", self.tr("JSON Lines (*.jsonl)")
        )
        if path:
            self.save(Path(path))
