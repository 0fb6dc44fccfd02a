"""The raw events of a stream as a table model that grows in batches, not per event.

At 2,000 events a second, one ``beginInsertRows`` per event would make the view re-layout
2,000 times a second. :class:`EventTableModel` queues incoming rows and inserts them in one
batch when its named single-shot timer fires (every ``flush_ms``), and drops the oldest rows
past ``max_rows`` the same way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

COLUMNS: Final = ("id", "type", "time", "size", "data")
ID, TYPE, TIME, SIZE, DATA = range(len(COLUMNS))
DATA_PREVIEW: Final = 300
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One SSE message as received: ``t`` in seconds since the stream started."""

    id: str | None
    type: str
    t: float
    size: int
    data: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


class EventTableModel(QAbstractTableModel):
    """Rows of :class:`EventRecord`, appended in batches.

    Signals:
        type_seen(str): the first row of an event type was inserted (for the type filter).
    """

    type_seen = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, flush_ms: int = 100, max_rows: int = 50_000
    ) -> None:
        super().__init__(parent)
        self.rows: list[EventRecord] = []
        self.max_rows = max_rows
        self.types: set[str] = set()
        self._pending: list[EventRecord] = []
        self.flush_timer = QTimer(self)
        self.flush_timer.setObjectName("eventInspectorFlushTimer")
        self.flush_timer.setSingleShot(True)
        self.flush_timer.setInterval(flush_ms)
        self.flush_timer.timeout.connect(self.flush)
        #: Batches inserted so far (tests check that rows arrive in few batches).
        self.batches = 0
        self.paused = False

    def append(self, record: EventRecord) -> None:
        """Queue one row; it appears with the next batch (or when resumed, if paused)."""
        pending = self._pending
        pending.append(record)
        if self.paused:
            if len(pending) > 2 * self.max_rows:  # only the newest max_rows could be shown
                del pending[: -self.max_rows]
        elif not self.flush_timer.isActive():
            self.flush_timer.start()

    def set_paused(self, paused: bool) -> None:
        """While paused, rows only queue up (nobody looks at them); resuming inserts them."""
        self.paused = paused
        if paused:
            self.flush_timer.stop()
        else:
            self.flush()

    def flush(self) -> None:
        """Insert every queued row now, in one batch."""
        self.flush_timer.stop()
        pending, self._pending = self._pending, []
        if not pending:
            return
        overflow = len(self.rows) + len(pending) - self.max_rows
        if overflow > 0:
            drop = min(overflow, len(self.rows))
            if drop:
                self.beginRemoveRows(QModelIndex(), 0, drop - 1)
                del self.rows[:drop]
                self.endRemoveRows()
            pending = pending[-self.max_rows :]
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(pending) - 1)
        self.rows.extend(pending)
        self.endInsertRows()
        self.batches += 1
        for record in pending:
            if record.type not in self.types:
                self.types.add(record.type)
                self.type_seen.emit(record.type)

    def clear(self) -> None:
        self.flush_timer.stop()
        self._pending = []
        self.beginResetModel()
        self.rows = []
        self.types = set()
        self.endResetModel()

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == DATA:
            return record.data[:4000]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TIME, SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(("Id", "Type", "Time (s)", "Size (B)", "Data")[section])
        return None


def _display(record: EventRecord, column: int) -> str:
    if column == ID:
        return record.id or ""
    if column == TYPE:
        return record.type
    if column == TIME:
        return f"{record.t:.3f}"
    if column == SIZE:
        return str(record.size)
    data = record.data.replace("\n", "⏎")
    return data if len(data) <= DATA_PREVIEW else data[:DATA_PREVIEW] + "…"
