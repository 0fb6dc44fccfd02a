"""The conversation as a scrolling column of message views.

It follows the end of a streaming answer only while the user is at the end: scrolling up to
read stops the following, scrolling back down resumes it, so nothing jumps under the reader.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.markdown.render import MarkdownColors
from desktop.store.records import QueuedQuestion
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.conversation.queued_view import QueuedQuestionView
from desktop.ui.widgets.text_block import TextBlock

#: Pixels from the bottom that still count as "at the end".
END_SLACK = 24


class TranscriptView(QScrollArea):
    """User and assistant messages, newest at the bottom."""

    def __init__(self, colors: MarkdownColors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._colors = colors
        self._messages: list[UserMessageView | AssistantMessageView] = []
        self._follow = True
        self._column = QWidget(self)
        self._column.setObjectName("transcriptColumn")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(24, 16, 24, 16)
        self._layout.setSpacing(12)
        self._placeholder = QLabel(self._column)
        self._placeholder.setObjectName("emptyPlaceholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._layout.addWidget(self._placeholder)
        #: "Show earlier messages": a long cached conversation opens with its newest part.
        self.earlier_button = QPushButton(self._column)
        self.earlier_button.setObjectName("earlierButton")
        self.earlier_button.hide()
        self._layout.addWidget(self.earlier_button, 0, Qt.AlignmentFlag.AlignHCenter)
        #: What the button does (set by whoever filled the transcript from the cache).
        self.show_earlier: Callable[[], None] | None = None
        #: Questions waiting for the server, below the messages (they go out in this order).
        self._queued_box = QWidget(self._column)
        self._queued_box.setObjectName("queuedQuestions")
        self._queued_layout = QVBoxLayout(self._queued_box)
        self._queued_layout.setContentsMargins(0, 0, 0, 0)
        self._queued_layout.setSpacing(12)
        self._queued: dict[str, QueuedQuestionView] = {}
        self._layout.addWidget(self._queued_box)
        self._layout.addStretch(1)
        self.setWidget(self._column)
        self._connect_signals()
        self._retranslate()

    def _connect_signals(self) -> None:
        self.earlier_button.clicked.connect(self._on_earlier_clicked)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scroll_value_changed)
        bar.rangeChanged.connect(self._on_scroll_range_changed)

    # --- messages ---------------------------------------------------------------------------

    @property
    def messages(self) -> list[UserMessageView | AssistantMessageView]:
        return list(self._messages)

    @property
    def following(self) -> bool:
        """Whether new text scrolls the view (the user is at the end)."""
        return self._follow

    def last_answer(self) -> AssistantMessageView | None:
        for message in reversed(self._messages):
            if isinstance(message, AssistantMessageView):
                return message
        return None

    @property
    def queued(self) -> list[QueuedQuestionView]:
        """The queued questions shown, oldest first."""
        return list(self._queued.values())

    def add_queued(self, question: QueuedQuestion) -> QueuedQuestionView:
        """Show ``question`` waiting (below the messages, after those queued before it)."""
        view = self._queued.get(question.id)
        if view is not None:
            return view
        view = QueuedQuestionView(question, self._queued_box)
        self._queued[question.id] = view
        later = sorted(self._queued.values(), key=lambda v: (v.question.queued_at, v.question.id))
        self._queued_layout.insertWidget(later.index(view), view)
        self._placeholder.hide()
        self.scroll_to_end()
        return view

    def remove_queued(self, question_id: str) -> None:
        view = self._queued.pop(question_id, None)
        if view is not None:
            self._queued_layout.removeWidget(view)
            view.deleteLater()
        if not self._messages and not self._queued:
            self._placeholder.show()

    def clear_queued(self) -> None:
        for question_id in list(self._queued):
            self.remove_queued(question_id)

    def add_user_message(self, text: str) -> UserMessageView:
        view = UserMessageView(text, self._column)
        self._insert(view)
        return view

    def add_answer(self) -> AssistantMessageView:
        view = AssistantMessageView(self._colors, self._column)
        self._insert(view)
        return view

    def remove_last_answer(self) -> None:
        """Drop the newest answer (Regenerate replaces it)."""
        answer = self.last_answer()
        if answer is not None and self._messages and self._messages[-1] is answer:
            self._messages.pop()
            self._layout.removeWidget(answer)
            answer.deleteLater()

    def replace_answer(self, old: AssistantMessageView) -> AssistantMessageView:
        """A fresh answer view in ``old``'s place (another alternative shown there)."""
        view = AssistantMessageView(self._colors, self._column)
        index = self._messages.index(old)
        self._messages[index] = view
        self._layout.replaceWidget(old, view)
        old.deleteLater()
        view.show()
        return view

    def remove_last_question(self) -> None:
        """Drop the newest message if it is a question (an edited question replaces it)."""
        if self._messages and isinstance(self._messages[-1], UserMessageView):
            view = self._messages.pop()
            self._layout.removeWidget(view)
            view.deleteLater()

    def new_user_message(self, text: str) -> UserMessageView:
        """A view for :meth:`prepend`, not shown yet."""
        return UserMessageView(text, self._column)

    def new_answer(self) -> AssistantMessageView:
        """A view for :meth:`prepend`, not shown yet."""
        return AssistantMessageView(self._colors, self._column)

    def prepend(self, views: list[UserMessageView | AssistantMessageView]) -> None:
        """Put earlier messages above the others, keeping the reader's place."""
        self._placeholder.hide()
        self._follow = False
        bar = self.verticalScrollBar()
        below = bar.maximum() - bar.value()
        first = self._layout.indexOf(self.earlier_button) + 1
        for offset, view in enumerate(views):
            self._layout.insertWidget(first + offset, view)
            view.show()
        self._messages = list(views) + self._messages
        self._column.adjustSize()
        bar.setValue(bar.maximum() - below)

    def take_all(self) -> list[UserMessageView | AssistantMessageView]:
        """Remove every message but keep the views, so the caller can undo."""
        self.earlier_button.hide()
        self.show_earlier = None
        taken = self._messages
        for message in taken:
            self._layout.removeWidget(message)
            message.hide()
        self._messages = []
        self._placeholder.setVisible(not self._queued)
        self._follow = True
        return taken

    def restore(self, messages: list[UserMessageView | AssistantMessageView]) -> None:
        """Bring back what ``take_all`` removed."""
        for message in messages:
            self._insert(message)
            message.show()

    def set_colors(self, colors: MarkdownColors) -> None:
        self._colors = colors
        for message in self._messages:
            if isinstance(message, AssistantMessageView):
                message.set_colors(colors)

    def scroll_to_end(self) -> None:
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def reveal(self, view: QWidget) -> None:
        """Scroll ``view`` into sight and stop following the end (a search hit was opened)."""
        self._follow = False
        self.ensureWidgetVisible(view, 0, END_SLACK)

    def find_text(self, text: str, *, backward: bool = False) -> bool:
        """Select the next match of ``text`` after the current selection and show it."""
        blocks = [b for m in self._messages for b in m.findChildren(TextBlock) if b.isVisible()]
        if not text or not blocks:
            return False
        if backward:
            blocks.reverse()
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        start = next((i for i, b in enumerate(blocks) if b.textCursor().hasSelection()), 0)
        # The block with the selection first (from the selection on), then the others from
        # their start, then that first block again from its start: one full wrap-around.
        for offset in range(len(blocks) + 1):
            block = blocks[(start + offset) % len(blocks)]
            if offset > 0:
                cursor = block.textCursor()
                cursor.movePosition(
                    cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
                )
                block.setTextCursor(cursor)
            if block.find(text, flags):
                self._show_match(block, blocks)
                return True
        return False

    def _show_match(self, match: TextBlock, blocks: list[TextBlock]) -> None:
        for other in blocks:
            if other is not match:
                cursor = other.textCursor()
                cursor.clearSelection()
                other.setTextCursor(cursor)
        self._follow = False
        point = match.mapTo(self._column, match.cursorRect().center())
        self.ensureVisible(0, point.y(), 0, 80)

    def _on_earlier_clicked(self) -> None:
        if self.show_earlier is not None:
            self.show_earlier()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- internals --------------------------------------------------------------------------

    def _insert(self, view: UserMessageView | AssistantMessageView) -> None:
        self._placeholder.hide()
        self._messages.append(view)
        self._layout.insertWidget(self._layout.indexOf(self._queued_box), view)
        self.scroll_to_end()

    def _on_scroll_value_changed(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - END_SLACK

    def _on_scroll_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Conversation"))
        self.earlier_button.setAccessibleName(self.tr("Show earlier messages"))
        self._placeholder.setText(
            self.tr(
                "Ask a question below. Answers stream in as they are written; "
                "press Esc to stop one."
            )
        )
