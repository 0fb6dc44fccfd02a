"""A read-only text widget as tall as its text, for stacking inside the transcript.

It never scrolls by itself (the transcript does), never loads a resource (remote images in an
answer are never fetched) and opens links in the system browser only when they are clicked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from desktop.markdown.render import COPY_SCHEME

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


class TextBlock(QTextBrowser):
    """Auto-height rich or plain text; ``copy:N`` links are reported, not followed.

    Signals:
        copy_requested(int): the "Copy" link of code block N was clicked.
    """

    copy_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setTabChangesFocus(True)  # Tab leaves the text: no keyboard trap
        # A palette, not a per-widget stylesheet: stylesheets make every new block cost ~2 ms.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        self.setPalette(palette)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._fit_height()

    def set_background(self, color: str) -> None:
        """Paint an opaque ``color``: then a changed block repaints itself only, instead of
        every transparent ancestor behind it (the window, the transcript, the message)."""
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(color))
        self.setPalette(palette)
        self.viewport().setAutoFillBackground(True)
        self.setAutoFillBackground(True)  # the block too, not only its viewport (see above)

    def append_plain(self, text: str) -> None:
        """Insert ``text`` at the end without touching what is there (the streaming path)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Never fetch anything: images in answers stay links."""
        return None

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # let the transcript scroll

    def _fit_height(self) -> None:
        height = int(self.document().size().height()) + 2
        if height != self.height():
            self.setFixedHeight(height)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            try:
                self.copy_requested.emit(int(url.path()))
            except ValueError:
                return
        elif url.scheme().lower() in SAFE_LINK_SCHEMES:
            QDesktopServices.openUrl(url)
