"""One message of the transcript: the user's question or the assistant's streamed answer.

An answer streams into a short live tail; every block the stream finishes is rendered as
Markdown once and frozen into a segment of bounded size. A flush therefore touches the tail and
at most the newest segment, whatever the length of the answer or of the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.conversation.emitter import Emitter
from desktop.conversation.model import Answer, AnswerEnded
from desktop.markdown.render import MarkdownColors
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Thinking, ToolUse
from desktop.ui.conversation.markdown_view import StreamingMarkdownView
from desktop.ui.conversation.thinking_panel import ThinkingPanel
from desktop.ui.conversation.tool_panel import ToolPanel


class UserMessageView(QFrame):
    """The user's question, as sent."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userMessage")
        self.text = text
        label = QLabel(text, self)
        label.setObjectName("userText")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(text)
        bubble = QVBoxLayout(self)
        bubble.setContentsMargins(12, 8, 12, 8)
        bubble.addWidget(label)


class AssistantMessageView(QFrame):
    """The answer card: role, status badge and note, the thinking and tool panels, and the text.

    The text is a :class:`StreamingMarkdownView`; the card knows how the answer stands, the
    renderer how its Markdown streams. The card follows its model answer (:meth:`follow`).

    Signals:
        alternative_requested(int): the reader asked for the previous (-1) or next (+1)
            alternative of this answer (the "‹ 2 / 3 ›" switcher).
    """

    alternative_requested = Signal(int)

    def __init__(self, colors: MarkdownColors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantMessage")
        self.state = AnswerStatus.STREAMING
        self._note = ""
        self._restarted = False
        self._alternative = (0, 1)  # (index from 0, count)
        self.thinking: ThinkingPanel | None = None
        self.tools: ToolPanel | None = None
        self.markdown = StreamingMarkdownView(colors, self)
        self._role = QLabel(self)
        self._role.setObjectName("roleLabel")
        self._badge = QLabel(self)
        self._badge.setObjectName("stateBadge")
        self._badge.hide()
        self.previous_button = QToolButton(self)
        self.previous_button.setObjectName("previousAlternative")
        self.previous_button.setText("‹")
        self.alternative_label = QLabel(self)
        self.alternative_label.setObjectName("alternativeLabel")
        self.next_button = QToolButton(self)
        self.next_button.setObjectName("nextAlternative")
        self.next_button.setText("›")
        self.previous_button.clicked.connect(lambda: self.alternative_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.alternative_requested.emit(1))
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self._role)
        header.addWidget(self._badge)
        header.addStretch(1)
        for widget in (self.previous_button, self.alternative_label, self.next_button):
            header.addWidget(widget)
            widget.hide()
        self._extras = QVBoxLayout()
        self._extras.setSpacing(4)
        self._note_label = QLabel(self)
        self._note_label.setObjectName("answerNote")
        self._note_label.setWordWrap(True)
        self._note_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addLayout(self._extras)
        layout.addWidget(self.markdown)
        layout.addWidget(self._note_label)
        self._retranslate()

    # --- reading ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The answer text received so far (pending tokens included)."""
        return self.markdown.text

    @property
    def note(self) -> str:
        """How the answer ended, else whether the server started it over."""
        if self._note or not self._restarted:
            return self._note
        return self.tr("The server started the answer over.")

    @property
    def finalized(self) -> bool:
        """Whether everything received is rendered and frozen."""
        return self.markdown.finalized

    @property
    def alternative(self) -> tuple[int, int]:
        """Which alternative the card shows: (index from 0, count)."""
        return self._alternative

    def set_alternative(self, index: int, count: int) -> None:
        """Show the switcher for answer ``index`` (from 0) of ``count``; hidden for one answer."""
        self._alternative = (index, count)
        for widget in (self.previous_button, self.alternative_label, self.next_button):
            widget.setVisible(count > 1)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        self._retranslate()

    def show_answer(self, answer: Answer) -> None:
        """Show an answer that already ended (an alternative switched to), then follow it."""
        for event in answer.thinking:
            self.add_thinking(event)
        for tool in answer.tools.values():
            self.add_tool(tool)
        if answer.text:
            self.push_token(answer.text)
        if answer.status is not AnswerStatus.STREAMING:
            self.finish(answer.status, answer.note)
        self.follow(answer)

    # --- following the model -----------------------------------------------------------------

    def follow(self, answer: Answer) -> None:
        """Show ``answer`` as it changes (napari-style: the view subscribes to the model)."""
        events = answer.events
        subscriptions: list[tuple[Emitter[Any], Callable[[Any], object]]] = [
            (events.text_appended, self.push_token),
            (events.thinking_added, self.add_thinking),
            (events.tool_changed, self.add_tool),
            (events.ended, self._on_answer_ended),
            (events.reopened, self._on_answer_reopened),
            (events.restarted, self._on_answer_restarted),
        ]
        for emitter, callback in subscriptions:
            emitter.connect(callback)

        def unfollow() -> None:
            for emitter, callback in subscriptions:
                emitter.disconnect(callback)

        # A view may go before its answer (another conversation opened): stop following then.
        self.destroyed.connect(unfollow)

    def _on_answer_ended(self, ended: AnswerEnded) -> None:
        self.finish(ended.status, ended.note)

    def _on_answer_reopened(self, _: None) -> None:
        self.reopen()

    def _on_answer_restarted(self, _: None) -> None:
        self.restart()

    def focus_text(self) -> None:
        """Give the keyboard focus to the answer's first text block (read on from there)."""
        self.markdown.focus_text()

    # --- streaming --------------------------------------------------------------------------

    def push_token(self, text: str) -> None:
        """Queue streamed text; it reaches the screen with the next frame."""
        if self.thinking is not None and not self.markdown.has_text:
            self.thinking.end(collapse=True)
        self.markdown.append(text)

    def add_thinking(self, event: Thinking) -> None:
        if self.thinking is None:
            self.thinking = ThinkingPanel(self)
            self._extras.insertWidget(0, self.thinking)
        self.thinking.add(event)

    def add_tool(self, event: ToolUse) -> None:
        if self.tools is None:
            self.tools = ToolPanel(self)
            self._extras.addWidget(self.tools)
        self.tools.add(event)

    def flush(self) -> None:
        """Deliver pending text now."""
        self.markdown.flush()

    def finish(self, state: AnswerStatus, note: str = "") -> None:
        """End the answer: show how it ended, then (once any backlog has drained in bounded
        slices) render the rest and freeze it."""
        self.state = state
        self._note = note
        self._retranslate()
        if self.tools is not None and state is not AnswerStatus.DONE:
            self.tools.interrupt()
        self.markdown.finish(self._on_text_finalized)

    def reopen(self) -> None:
        """The answer continues (Retry resumed the same stream)."""
        self.state = AnswerStatus.STREAMING
        self._note = ""
        self.markdown.reopen()
        self._retranslate()

    def restart(self) -> None:
        """The server started the answer over: clear the text and say so in a small note.

        Thinking and tool calls stay; the earlier attempt's tokens stay in the event record.
        """
        self.markdown.clear()
        self._restarted = True
        self._retranslate()

    def set_colors(self, colors: MarkdownColors) -> None:
        """Re-render everything in a new theme's colours (rare: a theme switch)."""
        self.markdown.set_colors(colors, streaming=self.state is AnswerStatus.STREAMING)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_text_finalized(self) -> None:
        if self.thinking is not None:
            self.thinking.end(collapse=self.markdown.shown_text)

    def _retranslate(self) -> None:
        self._role.setText(self.tr("Assistant"))
        badges = {
            AnswerStatus.STREAMING: "",
            AnswerStatus.DONE: "",
            AnswerStatus.STOPPED: self.tr("Stopped"),
            AnswerStatus.INTERRUPTED: self.tr("Interrupted"),
            AnswerStatus.FAILED: (
                self.tr("Interrupted") if self.markdown.shown_text else self.tr("Failed")
            ),
        }
        badge = badges[self.state]
        self._badge.setText(badge)
        self._badge.setVisible(bool(badge))
        # Styled as a failure: the text ended early either way.
        shown = AnswerStatus.FAILED if self.state is AnswerStatus.INTERRUPTED else self.state
        self._badge.setProperty("state", shown.value)
        self._badge.style().unpolish(self._badge)
        self._badge.style().polish(self._badge)
        note = self.note
        self._note_label.setText(note)
        self._note_label.setVisible(bool(note))
        # The state a sighted user reads from the badge, in the name a screen reader says.
        index, count = self._alternative
        position = (
            self.tr("Answer %1 of %2").replace("%1", str(index + 1)).replace("%2", str(count))
        )
        self.alternative_label.setText(f"{index + 1} / {count}")
        self.alternative_label.setAccessibleName(position)
        self.previous_button.setAccessibleName(self.tr("Previous answer"))
        self.previous_button.setToolTip(self.tr("Previous answer"))
        self.next_button.setAccessibleName(self.tr("Next answer"))
        self.next_button.setToolTip(self.tr("Next answer"))
        name = self.tr("Answer of the assistant")
        if count > 1:
            name = f"{name}, {position}"
        self.setAccessibleName(f"{name}, {badge}" if badge else name)
        self.setAccessibleDescription(note)
