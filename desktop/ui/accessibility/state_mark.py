"""A small mark whose shape, and not only its colour, shows a state.

It is decorative for assistive technology: the sentence beside it says the same in words, so the
mark is a plain painted widget (an unnamed filler that screen readers skip), not a label whose
symbol a screen reader would read out as "black circle".
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

#: One shape per kind of state: filled is fine, hollow is on its way, a triangle needs
#: attention, a cross has failed. Read in a colourless screenshot as in colour.
SHAPES: Final = {
    "ok": "●",
    "pending": "◌",
    "warning": "▲",
    "failed": "✖",
    "idle": "○",
}


class StateMark(QWidget):
    """Paints the shape of ``kind`` in the colour the stylesheet gives its ``state``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = "idle"
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def shape(self) -> str:
        return SHAPES[self._kind]

    def set_kind(self, kind: str) -> None:
        if kind not in SHAPES:
            raise ValueError(f"unknown state kind {kind!r}")
        if kind != self._kind:
            self._kind = kind
            self.update()

    def sizeHint(self) -> QSize:
        size = self.fontMetrics().height()
        return QSize(size, size)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.shape)
