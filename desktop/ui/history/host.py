"""What the history feature needs from the window that hosts it, so it never imports the shell.

The main window satisfies :class:`HistoryHost` structurally; a test may host the history in
anything else that offers these parts. ``window()`` is ``QWidget.window``: the parent for the
history's dialogs and objects. ``bridge``, ``controller``, ``transcript`` and ``banners`` are
the parts of the conversation in view; the window holds one :class:`ConversationPane` per open
conversation (several may stream at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.answer_controller import AnswerController
from desktop.ui.conversation.offline_queue import OfflineQueue
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.conversation.transcript_view import TranscriptView
from desktop.ui.widgets.banner import BannerArea


class HistoryHost(Protocol):
    """The conversation parts and the sidebar slot of a window."""

    #: Puts a cached conversation into a pane at once (the history provides it).
    pane_loader: Callable[[ConversationPane, str], None] | None
    #: A conversation's title by id, as the history lists it (the history provides it).
    title_lookup: Callable[[str], str | None] | None

    @property
    def current_pane(self) -> ConversationPane: ...

    @property
    def offline_queue(self) -> OfflineQueue: ...

    @property
    def panes(self) -> list[ConversationPane]: ...

    @property
    def pane_added(self) -> SignalInstance:
        """Emitted with each new :class:`ConversationPane` (the first one exists already)."""
        ...

    @property
    def pane_shown(self) -> SignalInstance:
        """Emitted with the pane now in view."""
        ...

    @property
    def pane_removed(self) -> SignalInstance:
        """Emitted with a pane about to be dropped (idle, switched away from)."""
        ...

    @property
    def answer_finished(self) -> SignalInstance:
        """Emitted with the pane and the :class:`Outcome` when any pane's answer ends."""
        ...

    def live_pane(self, conversation_id: str) -> ConversationPane | None: ...

    def spare_pane(self) -> ConversationPane:
        """The pane in view if idle (to take another conversation), else a new one, shown."""
        ...

    def show_pane(self, pane: ConversationPane) -> None: ...

    def drop_pane(self, pane: ConversationPane) -> None: ...

    @property
    def bridge(self) -> StreamBridge: ...

    @property
    def controller(self) -> AnswerController: ...

    @property
    def transcript(self) -> TranscriptView: ...

    @property
    def banners(self) -> BannerArea: ...

    @property
    def replay_requested(self) -> SignalInstance:
        """Emitted with a speed factor when the user asks to replay the open answer."""
        ...

    def window(self) -> QWidget: ...

    def set_sidebar(self, widget: QWidget, search: QWidget | None = None) -> None: ...
