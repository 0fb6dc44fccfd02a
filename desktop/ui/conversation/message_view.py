"""One message of the transcript: the user's question or the assistant's streamed answer.

An answer streams into a short live tail; every block the stream finishes is rendered as
Markdown once and frozen into a segment of bounded size. A flush therefore touches the tail and
at most the newest segment, whatever the length of the answer or of the conversation.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.markdown.blocks import BlockSplitter
from desktop.markdown.render import MarkdownColors, render_markdown
from desktop.protocol.events import Thinking, ToolUse
from desktop.ui.conversation.thinking_panel import ThinkingPanel
from desktop.ui.conversation.tool_panel import ToolPanel
from desktop.ui.widgets.text_block import TextBlock
from desktop.ui.widgets.token_coalescer import TokenCoalescer

#: Markdown source characters per frozen segment; a new block starts a new segment past this.
SEGMENT_CHARS = 3000
#: Frozen segments per chunk widget (see ``_current_chunk``).
CHUNK_SEGMENTS = 12
#: The live tail is re-rendered as Markdown up to this size, appended as plain text beyond.
TAIL_MARKDOWN_CHARS = 1500


#: Characters that can change how the text around them renders as Markdown.
_MARKDOWN_SYNTAX = frozenset("*_`~[]()<>!&\\|#.+-=\n\r")


def _renders_as_is(tail: str, appended: str) -> bool:
    """Whether appending ``appended`` to the shown tail equals re-rendering the whole tail.

    True for plain words (no syntax characters) after a visible, non-syntax character, with at
    most spaces between: they take the format at the end of the rendered tail, which is what
    Markdown would give them.
    """
    if not appended or len(tail) <= len(appended):
        return False
    body = tail[: len(tail) - len(appended)].rstrip(" ")
    return _ends_plain(body) and _MARKDOWN_SYNTAX.isdisjoint(appended)


def _ends_plain(text: str) -> bool:
    return bool(text) and not text[-1].isspace() and text[-1] not in _MARKDOWN_SYNTAX


class AnswerState(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    STOPPED = "stopped"
    FAILED = "failed"


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
    """The assistant's answer with its thinking, tool calls and final state.

    Signals:
        content_changed(): text was flushed into the view (the transcript may follow the end).
    """

    content_changed = Signal()

    def __init__(self, colors: MarkdownColors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistantMessage")
        self.state = AnswerState.STREAMING
        self._finalized = False
        self._colors = colors
        self._parts: list[str] = []
        self._text_cache: str | None = ""
        self._codes: list[str] = []
        self._splitter = BlockSplitter()
        self._segments: list[TextBlock] = []
        self._chunks: list[QVBoxLayout] = []
        self._segment_chars: list[int] = []
        self._segment_html: list[str] = []
        self._tail_plain = False
        self._note = ""
        self._restarted = False
        self.thinking: ThinkingPanel | None = None
        self.tools: ToolPanel | None = None
        self._coalescer = TokenCoalescer(self._append, self)
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
        self._content = QVBoxLayout()
        self._content.setSpacing(0)
        self._tail = self._new_text_block()
        self._content.addWidget(self._tail)
        self._note_label = QLabel(self)
        self._note_label.setObjectName("answerNote")
        self._note_label.setWordWrap(True)
        self._note_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addLayout(self._extras)
        layout.addLayout(self._content)
        layout.addWidget(self._note_label)
        self._retranslate()

    # --- reading ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The answer text received so far (pending tokens included)."""
        if self._text_cache is None:
            self._text_cache = "".join(self._parts)
        return self._text_cache + self._coalescer.pending_text

    @property
    def flush_count(self) -> int:
        return self._coalescer.flush_count

    @property
    def segment_count(self) -> int:
        return len(self._segments)

    @property
    def live_tail_text(self) -> str:
        """What the live tail shows (the unfinished block, rendered)."""
        return self._tail.toPlainText()

    @property
    def note(self) -> str:
        """How the answer ended, else whether the server started it over."""
        if self._note or not self._restarted:
            return self._note
        return self.tr("The server started the answer over.")

    def focus_text(self) -> None:
        """Give the keyboard focus to the answer's first text block (read on from there)."""
        blocks = [b for b in (*self._segments, self._tail) if not b.isHidden()]
        if blocks:
            blocks[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def code_block(self, index: int) -> str:
        return self._codes[index]

    # --- streaming --------------------------------------------------------------------------

    def push_token(self, text: str) -> None:
        """Queue streamed text; it reaches the screen with the next frame."""
        if self.thinking is not None and not self._parts and not self._coalescer.pending:
            self.thinking.end(collapse=True)
        self._coalescer.push(text)

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
        self._coalescer.flush()

    def finish(self, state: AnswerState, note: str = "") -> None:
        """End the answer: show how it ended, then (once any backlog has drained in bounded
        slices) render the rest and freeze it."""
        self.state = state
        self._note = note
        self._retranslate()
        if self.tools is not None and state is not AnswerState.DONE:
            self.tools.interrupt()
        if self._coalescer.pending:
            self._coalescer.drained = self._finalize
        else:
            self._finalize()

    @property
    def finalized(self) -> bool:
        """Whether everything received is rendered and frozen."""
        return self._finalized

    def _finalize(self) -> None:
        self._coalescer.drained = None
        self._coalescer.flush()
        self._finalized = True
        rest = self._splitter.finish()
        if rest:
            self._freeze(rest)
        self._tail.clear()
        self._tail.hide()
        if self.thinking is not None:
            self.thinking.end(collapse=bool(self._parts))
        self.content_changed.emit()

    def reopen(self) -> None:
        """The answer continues (Retry resumed the same stream)."""
        self.state = AnswerState.STREAMING
        self._finalized = False
        self._note = ""
        self._splitter = BlockSplitter()
        self._tail_plain = False
        self._tail.show()
        self._retranslate()

    def restart(self) -> None:
        """The server started the answer over: clear the text and say so in a small note.

        Thinking and tool calls stay; the earlier attempt's tokens stay in the event record.
        """
        self._coalescer.discard()
        self._parts.clear()
        self._text_cache = ""
        self._clear_rendered()
        self._render_tail(None)
        self._restarted = True
        self._retranslate()
        self.content_changed.emit()

    def set_colors(self, colors: MarkdownColors) -> None:
        """Re-render everything in a new theme's colours (rare: a theme switch)."""
        self._colors = colors
        self._tail.set_background(colors.background)
        text = "".join(self._parts)
        self._clear_rendered()
        blocks = self._splitter.feed(text)
        if self.state is not AnswerState.STREAMING:
            blocks += self._splitter.finish()
        if blocks:
            self._freeze(blocks)
        self._render_tail(None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- rendering --------------------------------------------------------------------------

    def _clear_rendered(self) -> None:
        for chunk in self._chunks:
            widget = chunk.parentWidget()
            if widget is not None:
                self._content.removeWidget(widget)
                widget.deleteLater()
        self._chunks.clear()
        self._segments.clear()
        self._segment_chars.clear()
        self._segment_html.clear()
        self._codes.clear()
        self._splitter = BlockSplitter()

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._text_cache = None
        blocks = self._splitter.feed(text)
        if blocks:
            self._freeze(blocks)
        self._render_tail(None if blocks else text)
        self.content_changed.emit()

    def _freeze(self, blocks: list[str]) -> None:
        """Render finished blocks once; each touched segment gets one ``setHtml``."""
        touched: set[int] = set()
        copy_label = self.tr("Copy")
        for block in blocks:
            if not self._segments or self._segment_chars[-1] > SEGMENT_CHARS:
                segment = self._new_text_block()
                segment.copy_requested.connect(self._copy_code)
                self._current_chunk().addWidget(segment)
                self._segments.append(segment)
                self._segment_chars.append(0)
                self._segment_html.append("")
            self._segment_chars[-1] += len(block)
            self._segment_html[-1] += render_markdown(block, self._codes, self._colors, copy_label)
            touched.add(len(self._segments) - 1)
        for index in sorted(touched):
            self._segments[index].setHtml(self._segment_html[index])

    def _current_chunk(self) -> QVBoxLayout:
        """The layout that takes the next segment. Segments sit in chunks of a few, so that
        when the tail grows, the answer's own layout walks a few chunks, not every segment."""
        if not self._chunks or self._chunks[-1].count() >= CHUNK_SEGMENTS:
            chunk = QWidget(self)
            layout = QVBoxLayout(chunk)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(0)
            self._content.insertWidget(self._content.count() - 1, chunk)
            self._chunks.append(layout)
        return self._chunks[-1]

    def _render_tail(self, appended: str | None) -> None:
        tail = self._splitter.tail
        plain = self._splitter.in_code_fence or len(tail) > TAIL_MARKDOWN_CHARS
        if plain and self._tail_plain and appended is not None:
            self._tail.append_plain(appended)
        elif (
            appended
            and not plain
            and not self._tail_plain
            and not self._tail.document().isEmpty()
            and _renders_as_is(tail, appended)
        ):
            self._tail.append_plain(appended)  # Markdown would render the same: skip the parse
        elif plain:
            self._tail.setPlainText(tail)
        elif tail.strip():
            # Markdown drops trailing spaces, and Qt would show a trailing newline of the HTML as
            # a space: render without either, then show one space as the source has it, so the
            # next word can be appended without a parse.
            body = tail.rstrip(" ")
            html = render_markdown(body, [], self._colors, self.tr("Copy")).rstrip()
            self._tail.setHtml(html)
            if body != tail and _ends_plain(body):
                self._tail.append_plain(" ")
        else:
            self._tail.clear()
        if plain != self._tail_plain:
            self._tail_plain = plain
            if self._splitter.in_code_fence:
                self._tail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            else:
                self._tail.setFont(self.font())

    def _new_text_block(self) -> TextBlock:
        block = TextBlock(self)
        block.setAccessibleName(self.tr("Answer text"))
        block.set_background(self._colors.background)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
        block.document().setDefaultStyleSheet(
            f"pre, code {{ font-family: '{fixed}', monospace; }} "
            f"a {{ color: {self._colors.link}; }} "
            "p, ul, ol { margin-top: 2px; margin-bottom: 8px; } "
            "h1, h2, h3 { margin-top: 8px; margin-bottom: 4px; }"
        )
        return block

    def _copy_code(self, index: int) -> None:
        if 0 <= index < len(self._codes):
            QGuiApplication.clipboard().setText(self._codes[index])

    def _retranslate(self) -> None:
        self._role.setText(self.tr("Assistant"))
        badges = {
            AnswerState.STREAMING: "",
            AnswerState.DONE: "",
            AnswerState.STOPPED: self.tr("Stopped"),
            AnswerState.FAILED: self.tr("Interrupted") if self._parts else self.tr("Failed"),
        }
        badge = badges[self.state]
        self._badge.setText(badge)
        self._badge.setVisible(bool(badge))
        self._badge.setProperty("state", self.state.value)
        self._badge.style().unpolish(self._badge)
        self._badge.style().polish(self._badge)
        note = self.note
        self._note_label.setText(note)
        self._note_label.setVisible(bool(note))
        # The state a sighted user reads from the badge, in the name a screen reader says.
        name = self.tr("Answer of the assistant")
        self.setAccessibleName(f"{name}, {badge}" if badge else name)
        self.setAccessibleDescription(note)
