"""Streams an answer's Markdown: finished blocks frozen into bounded segments, a short live tail.

Tokens arrive through a per-frame :class:`TokenCoalescer`. Each flush feeds the
:class:`BlockSplitter`; a finished block is rendered once into the current :class:`Segment`
(one ``setHtml`` per touched segment), and only the unfinished last block, the tail, is drawn
again. So a flush costs the same at 100 tokens as at 100,000: the work per token does not grow
with the answer (STYLE.md, fact 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.markdown.blocks import BlockSplitter
from desktop.markdown.render import MarkdownColors, render_markdown
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
    if tail[tail.rfind("\n") + 1 :].lstrip().startswith("|"):
        return False  # a table row: the words belong in its cell, which an append would miss
    body = tail[: len(tail) - len(appended)].rstrip(" ")
    return _ends_plain(body) and _MARKDOWN_SYNTAX.isdisjoint(appended)


def _ends_plain(text: str) -> bool:
    return bool(text) and not text[-1].isspace() and text[-1] not in _MARKDOWN_SYNTAX


@dataclass(slots=True)
class Segment:
    """Frozen blocks rendered into one text block: its Markdown length and its HTML."""

    block: TextBlock
    chars: int = 0
    html: str = ""


class StreamingMarkdownView(QWidget):
    """The text of one answer, streamed as Markdown."""

    def __init__(self, colors: MarkdownColors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colors = colors
        self._parts: list[str] = []
        self._text_cache: str | None = ""
        self._codes: list[str] = []
        self._splitter = BlockSplitter()
        self._segments: list[Segment] = []
        self._chunks: list[QVBoxLayout] = []
        self._tail_plain = False
        self._finalized = False
        self._coalescer = TokenCoalescer(self._append, self)
        self._content = QVBoxLayout(self)
        self._content.setContentsMargins(0, 0, 0, 0)
        self._content.setSpacing(0)
        self._tail = self._new_text_block()
        self._content.addWidget(self._tail)

    # --- reading ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text received so far (pending tokens included)."""
        if self._text_cache is None:
            self._text_cache = "".join(self._parts)
        return self._text_cache + self._coalescer.pending_text

    @property
    def has_text(self) -> bool:
        """Whether any text arrived (shown or still pending)."""
        return bool(self._parts) or self._coalescer.pending

    @property
    def shown_text(self) -> bool:
        """Whether any text reached the screen."""
        return bool(self._parts)

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
    def finalized(self) -> bool:
        """Whether everything received is rendered and frozen."""
        return self._finalized

    def code_block(self, index: int) -> str:
        return self._codes[index]

    def focus_text(self) -> None:
        """Give the keyboard focus to the first text block (read on from there)."""
        blocks = [s.block for s in self._segments] + [self._tail]
        shown = [b for b in blocks if not b.isHidden()]
        if shown:
            shown[0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- streaming --------------------------------------------------------------------------

    def append(self, text: str) -> None:
        """Queue streamed text; it reaches the screen with the next frame."""
        self._coalescer.push(text)

    def flush(self) -> None:
        """Deliver pending text now."""
        self._coalescer.flush()

    def finish(self, then: Callable[[], None]) -> None:
        """Render the rest and freeze it once any backlog has drained in bounded slices."""

        def finalize() -> None:
            self._finalize()
            then()

        if self._coalescer.pending:
            self._coalescer.drained = finalize
        else:
            finalize()

    def reopen(self) -> None:
        """More text follows (Retry resumed the same stream)."""
        self._finalized = False
        self._splitter = BlockSplitter()
        self._tail_plain = False
        self._tail.show()

    def clear(self) -> None:
        """Drop all text, shown and pending (the server started the answer over)."""
        self._coalescer.discard()
        self._parts.clear()
        self._text_cache = ""
        self._clear_rendered()
        self._render_tail(None)

    def set_colors(self, colors: MarkdownColors, *, streaming: bool) -> None:
        """Re-render everything in a new theme's colours (rare: a theme switch)."""
        self._colors = colors
        self._tail.set_background(colors.background)
        text = "".join(self._parts)
        self._clear_rendered()
        blocks = self._splitter.feed(text)
        if not streaming:
            blocks += self._splitter.finish()
        if blocks:
            self._freeze(blocks)
        self._render_tail(None)

    # --- rendering --------------------------------------------------------------------------

    def _clear_rendered(self) -> None:
        for chunk in self._chunks:
            widget = chunk.parentWidget()
            if widget is not None:
                self._content.removeWidget(widget)
                widget.deleteLater()
        self._chunks.clear()
        self._segments.clear()
        self._codes.clear()
        self._splitter = BlockSplitter()

    def _finalize(self) -> None:
        self._coalescer.drained = None
        self._coalescer.flush()
        self._finalized = True
        rest = self._splitter.finish()
        if rest:
            self._freeze(rest)
        self._tail.clear()
        self._tail.hide()

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._text_cache = None
        blocks = self._splitter.feed(text)
        if blocks:
            self._freeze(blocks)
        self._render_tail(None if blocks else text)

    def _freeze(self, blocks: list[str]) -> None:
        """Render finished blocks once; each touched segment gets one ``setHtml``."""
        touched: set[int] = set()
        copy_label = self.tr("Copy")
        for block in blocks:
            if not self._segments or self._segments[-1].chars > SEGMENT_CHARS:
                block_view = self._new_text_block()
                block_view.copy_requested.connect(self._copy_code)
                self._current_chunk().addWidget(block_view)
                self._segments.append(Segment(block_view))
            segment = self._segments[-1]
            segment.chars += len(block)
            segment.html += render_markdown(block, self._codes, self._colors, copy_label)
            touched.add(len(self._segments) - 1)
        for index in sorted(touched):
            segment = self._segments[index]
            segment.block.setHtml(segment.html)

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
