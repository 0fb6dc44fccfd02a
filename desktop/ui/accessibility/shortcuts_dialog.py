"""Help ▸ Keyboard shortcuts: every key the window answers to, in one list.

The window's own shortcuts are read from its actions, which hold them (so the list cannot drift
from what the keys do); the keys that act only inside one field or list are in ``FIELD_KEYS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: (where, keys, what they do) for keys handled inside one widget, not by a window action.
FIELD_KEYS: Final = (
    ("Message box", "Enter", "Send the message"),
    ("Message box", "Shift+Enter", "Start a new line"),
    ("Message box", "Esc", "Stop the answer"),
    ("History search", "Enter", "Open the first result"),
    ("History search", "Down", "Go to the results or the list"),
    ("History search", "Esc", "Clear the search"),
    ("Conversation list", "F2", "Rename the conversation"),
    ("Conversation list", "Delete", "Delete the conversation (Undo brings it back)"),
    ("Conversation list", "Menu, Shift+F10", "Open, pin, replay, export or delete"),
    ("Find bar", "Enter, Shift+Enter", "Next match, previous match"),
    ("Find bar", "Esc", "Close the find bar"),
    ("Any text", "Tab, Shift+Tab", "Move to the next or previous control"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def action_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, text) of every action that has a shortcut, in the order given."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((", ".join(keys), action.text().replace("&", "")))
    return rows


class ShortcutsDialog(QDialog):
    """A read-only table: keys, and what they do; Esc or Close closes it."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [(self.tr("Window"), keys, text) for keys, text in action_rows(actions)]
        rows += [(_tr(where), _tr(keys), _tr(what)) for where, keys, what in FIELD_KEYS]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("Keys"), self.tr("Does")])
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the Close button
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("0") * 90, 520)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row (where, keys, does)."""

        def cell(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(cell(r, 0), cell(r, 1), cell(r, 2)) for r in range(self.table.rowCount())]
