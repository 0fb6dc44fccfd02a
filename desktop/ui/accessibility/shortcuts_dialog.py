"""Help ▸ Keyboard shortcuts: every key the window answers to, in one list.

The window's own shortcuts are read from its actions, which hold them (so the list cannot drift
from what the keys do); the keys that act only inside one field or list are in ``FIELD_KEYS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
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
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Message box"),
        QT_TRANSLATE_NOOP("Shortcuts", "Enter"),
        QT_TRANSLATE_NOOP("Shortcuts", "Send the message"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Message box"),
        QT_TRANSLATE_NOOP("Shortcuts", "Shift+Enter"),
        QT_TRANSLATE_NOOP("Shortcuts", "Start a new line"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Message box"),
        QT_TRANSLATE_NOOP("Shortcuts", "Esc"),
        QT_TRANSLATE_NOOP("Shortcuts", "Stop the answer"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "History search"),
        QT_TRANSLATE_NOOP("Shortcuts", "Enter"),
        QT_TRANSLATE_NOOP("Shortcuts", "Open the first result"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "History search"),
        QT_TRANSLATE_NOOP("Shortcuts", "Down"),
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the results or the list"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "History search"),
        QT_TRANSLATE_NOOP("Shortcuts", "Esc"),
        QT_TRANSLATE_NOOP("Shortcuts", "Clear the search"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Conversation list"),
        QT_TRANSLATE_NOOP("Shortcuts", "F2"),
        QT_TRANSLATE_NOOP("Shortcuts", "Rename the conversation"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Conversation list"),
        QT_TRANSLATE_NOOP("Shortcuts", "Delete"),
        QT_TRANSLATE_NOOP("Shortcuts", "Delete the conversation (Undo brings it back)"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Conversation list"),
        QT_TRANSLATE_NOOP("Shortcuts", "Menu, Shift+F10"),
        QT_TRANSLATE_NOOP("Shortcuts", "Open, pin, replay, export or delete"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Find bar"),
        QT_TRANSLATE_NOOP("Shortcuts", "Enter, Shift+Enter"),
        QT_TRANSLATE_NOOP("Shortcuts", "Next match, previous match"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Find bar"),
        QT_TRANSLATE_NOOP("Shortcuts", "Esc"),
        QT_TRANSLATE_NOOP("Shortcuts", "Close the find bar"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Any button"),
        QT_TRANSLATE_NOOP("Shortcuts", "Space"),
        QT_TRANSLATE_NOOP("Shortcuts", "Press the focused button"),
    ),
    (
        QT_TRANSLATE_NOOP("Shortcuts", "Any text"),
        QT_TRANSLATE_NOOP("Shortcuts", "Tab, Shift+Tab"),
        QT_TRANSLATE_NOOP("Shortcuts", "Move to the next or previous control"),
    ),
)


def _tr(text: object) -> str:
    return QCoreApplication.translate("Shortcuts", str(text))


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
