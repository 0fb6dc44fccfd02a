"""One message of the transcript: the user's question or the assistant's streamed answer.

An answer streams into a short live tail; every block the stream finishes is rendered as
Markdown once and frozen into a segment of bounded size. A flush therefore touches the tail and
at most the newest segment, whatever the length of the answer or of the conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

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
    """

    def __init__(self, colors: MarkdownColors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantMessage")
        self.state = AnswerStatus.STREAMING
        self._note = ""
        self._restarted = False
        self.thinking: ThinkingPanel | None = None
        self.tools: ToolPanel | None = None
        self.markdown = StreamingMarkdownView(colors, self)
        self._role = QLabel(self)
        self._role.setObjectName("roleLabel")
        self._badge = QLabel(self)
        self._badge.setObjectName("stateBadge")
        self._badge.hide()
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self._role)
        header.addWidget(self._badge)
        header.addStretch(1)
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
        name = self.tr("Answer of the assistant")
        self.setAccessibleName(f"{name}, {badge}" if badge else name)
        self.setAccessibleDescription(note)
