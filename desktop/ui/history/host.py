"""What the history feature needs from the window that hosts it, so it never imports the shell.

The main window satisfies :class:`HistoryHost` structurally; a test may host the history in
anything else that offers these parts. ``window()`` is ``QWidget.window``: the parent for the
history's dialogs and objects.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.answer_controller import AnswerController
from desktop.ui.conversation.offline_queue import OfflineQueue
from desktop.ui.conversation.transcript_view import TranscriptView
from desktop.ui.widgets.banner import BannerArea


class HistoryHost(Protocol):
    """The conversation parts and the sidebar slot of a window."""

    @property
    def bridge(self) -> StreamBridge: ...

    @property
    def controller(self) -> AnswerController: ...

    @property
    def transcript(self) -> TranscriptView: ...

    @property
    def offline_queue(self) -> OfflineQueue: ...

    @property
    def banners(self) -> BannerArea: ...

    @property
    def replay_requested(self) -> SignalInstance:
        """Emitted with a speed factor when the user asks to replay the open answer."""
        ...

    def window(self) -> QWidget: ...

    def set_sidebar(self, widget: QWidget, search: QWidget | None = None) -> None: ...
