"""One open conversation: its transcript, notices, progress, message box, status and runner.

Each pane has its own :class:`StreamBridge` (from the window's :class:`AnswerRunners`) and its
own :class:`AnswerController`, so several answers stream at once, each with its own progress,
connection state, Retry and cache checkpoints, and each message box keeps its own draft and its
own Send/Stop state. The window stacks the panes and shows one; a pane whose answer streams
keeps streaming while another is in view.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.markdown.render import MarkdownColors
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.answer_controller import AnswerController
from desktop.ui.conversation.connection_status import ConnectionStatus
from desktop.ui.conversation.input_box import InputBox
from desktop.ui.conversation.progress_panel import ProgressPanel
from desktop.ui.conversation.transcript_view import TranscriptView
from desktop.ui.widgets.banner import BannerArea

#: Characters of the first question a pane's title keeps (the cache's title may be longer).
TITLE_CHARS = 60


class ConversationPane(QWidget):
    """The widgets and the behaviour of one conversation.

    The connection status is not laid out here: the window shows the pane in view's status in
    its status bar, so it is parented to the pane but placed by the window.

    Signals:
        new_conversation_requested(): the pane's New button (the window decides: a streaming
            pane stays and a new one opens, an idle one starts over in place).
    """

    new_conversation_requested = Signal()

    def __init__(
        self,
        bridge: StreamBridge,
        colors: MarkdownColors,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self.bridge = bridge
        bridge.setParent(self)
        self.banners = BannerArea(self)
        self.transcript = TranscriptView(colors, self)
        self.progress = ProgressPanel(self)
        self.input_box = InputBox(self)
        self.connection = ConnectionStatus(self)
        self.controller = AnswerController(
            bridge,
            self.transcript,
            self.input_box,
            self.progress,
            self.connection,
            self.banners,
            self,
        )
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banners)
        column.addWidget(self.transcript, 1)
        column.addWidget(self.progress)
        column.addWidget(self.input_box)
        self.input_box.new_conversation_requested.connect(self.new_conversation_requested)

    @property
    def conversation_id(self) -> str:
        return self.controller.conversation_id

    @property
    def running(self) -> bool:
        return self.bridge.running

    @property
    def disposable(self) -> bool:
        """Nothing would be lost by closing it: no answer runs and no draft waits in its box
        (the conversation itself is in the cache)."""
        return not self.running and not self.input_box.editor.toPlainText().strip()

    @property
    def title(self) -> str:
        """A short name from the first question (the history may know a renamed one)."""
        turns = self.controller.conversation.turns
        question = turns[0].question if turns else ""
        line = next((ln.strip() for ln in question.splitlines() if ln.strip()), "")
        if len(line) > TITLE_CHARS:
            line = line[: TITLE_CHARS - 1].rstrip() + "…"
        return line or self.tr("New conversation")

    def close_runner(self) -> None:
        """Cancel the pane's answer without waiting and leave the pool (the pane goes away)."""
        self.bridge.close()
        self.bridge.runners.release(self.bridge)
