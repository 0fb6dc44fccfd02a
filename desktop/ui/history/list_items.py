"""Pieces of the history sidebar that need no window: date groups, snippet markup, delegates.

Kept apart from the sidebar so the grouping and the escaping can be tested on their own: the
snippet is the one place where cached text (anything a user pasted, or a server sent) becomes
rich text, so everything but the repository's own highlight markers is escaped.
"""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from typing import Final

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.protocol.answer_status import AnswerStatus
from desktop.ui.accessibility.state_mark import SHAPES

#: Highlight markers handed to ``CacheRepository.search``: control characters no text holds.
MARK_BEFORE: Final = "\x02"
MARK_AFTER: Final = "\x03"
#: The item role that carries an item's rich text (search results).
RICH_TEXT_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 10

#: The item role that carries a row's state mark ("● answering"); empty when plainly done.
STATE_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 11

#: Group keys in display order.
GROUPS: Final = ("pinned", "today", "yesterday", "week", "older")

#: The :data:`~desktop.ui.accessibility.state_mark.SHAPES` kind of each answer status a row
#: marks, as the connection status marks its own: answering is under way, a cut-off answer
#: needs attention, a stopped one rests. A done answer needs no mark.
STATE_KINDS: Final = {
    AnswerStatus.STREAMING: "ok",
    AnswerStatus.STOPPED: "idle",
    AnswerStatus.INTERRUPTED: "warning",
    AnswerStatus.FAILED: "failed",
}


def state_mark(status: AnswerStatus | None, word: str, *, queued: bool = False) -> str:
    """The mark a row shows: the status's shape and its word, or nothing for a done answer. A
    question waiting for the server outranks the last answer's state (it is what happens next)."""
    kind = "pending" if queued else STATE_KINDS.get(status) if status is not None else None
    return f"{SHAPES[kind]} {word}" if kind else ""


def group_of(updated: float, pinned: bool, today: date) -> str:
    """The date group of a conversation last updated at ``updated`` (Unix seconds, local)."""
    if pinned:
        return "pinned"
    day = datetime.fromtimestamp(updated).date()
    if day >= today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if day > today - timedelta(days=7):
        return "week"
    return "older"


def snippet_html(snippet: str) -> str:
    """A search snippet as rich text: the matches bold, every other character escaped."""
    parts: list[str] = []
    bold = False
    for piece in _split_marks(snippet):
        if piece == MARK_BEFORE:
            if not bold:
                parts.append("<b>")
                bold = True
        elif piece == MARK_AFTER:
            if bold:
                parts.append("</b>")
                bold = False
        else:
            parts.append(html.escape(piece).replace("\n", " "))
    if bold:
        parts.append("</b>")
    return "".join(parts)


def _split_marks(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in text:
        if char in (MARK_BEFORE, MARK_AFTER):
            if current:
                pieces.append("".join(current))
                current = []
            pieces.append(char)
        else:
            current.append(char)
    if current:
        pieces.append("".join(current))
    return pieces


class _RoleDelegate(QStyledItemDelegate):
    """Draws the items that carry a value in :attr:`ROLE` its own way, the others as Qt does."""

    ROLE: int

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(self.ROLE)
        if not value:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        self._paint_item(painter, option, style, str(value))

    def _paint_item(
        self, painter: QPainter, option: QStyleOptionViewItem, style: QStyle, value: str
    ) -> None:
        raise NotImplementedError


class RichTextDelegate(_RoleDelegate):
    """Draws items that carry :data:`RICH_TEXT_ROLE` as wrapped rich text (search results)."""

    ROLE = RICH_TEXT_ROLE
    MARGIN: Final = 6

    def _paint_item(
        self, painter: QPainter, option: QStyleOptionViewItem, style: QStyle, markup: str
    ) -> None:
        widget = option.widget
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        rect = option.rect
        document = self._document(markup, rect.width(), option.font)
        context = QAbstractTextDocumentLayout.PaintContext()
        # The stylesheet keeps selected rows light, so the text colour stays the normal one.
        context.palette.setColor(
            QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text)
        )
        painter.save()
        painter.translate(rect.left() + self.MARGIN, rect.top() + self.MARGIN / 2)
        painter.setClipRect(QRectF(0, 0, rect.width() - 2 * self.MARGIN, rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        markup = index.data(RICH_TEXT_ROLE)
        if not markup:
            return super().sizeHint(option, index)
        widget = option.widget
        viewport = getattr(widget, "viewport", None)
        width = viewport().width() if viewport is not None else 240
        document = self._document(markup, width, option.font)
        return QSize(width, int(document.size().height()) + self.MARGIN)

    def _document(self, markup: str, width: int, font: QFont) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(font)
        document.setHtml(markup)
        document.setTextWidth(max(40, width - 2 * self.MARGIN))
        return document


class ConversationDelegate(_RoleDelegate):
    """Draws a conversation's title elided on the left and its :data:`STATE_ROLE` mark at the
    visible right edge, so neither a long title nor a horizontal scroll hides the state. The mark
    is text in the row's own text colour: its shape and word say the state, no colour alone."""

    ROLE = STATE_ROLE
    GAP: Final = 8

    def _paint_item(
        self, painter: QPainter, option: QStyleOptionViewItem, style: QStyle, mark: str
    ) -> None:
        widget = option.widget
        metrics = option.fontMetrics
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        right = option.rect.right()
        viewport = getattr(widget, "viewport", None)
        if viewport is not None:  # an item can be wider than the list: keep the mark in view
            right = min(right, viewport().rect().right())
        mark_rect = QRect(option.rect)
        mark_rect.setRight(right - 2 * margin)
        # The title starts where the style puts item text (a stylesheet may pad it).
        left = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget).left()
        title_width = max(0, mark_rect.right() - left - metrics.horizontalAdvance(mark) - self.GAP)
        option.text = metrics.elidedText(option.text, Qt.TextElideMode.ElideRight, title_width)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            mark_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), mark
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        mark = index.data(STATE_ROLE)
        if mark:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(mark) + self.GAP)
        return size
