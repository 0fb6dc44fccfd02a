"""Milestones of the running answer, said politely to screen readers, never token by token.

A growing answer changes twenty times a second; reading each change aloud would drown the user.
Instead the announcer says what matters: the answer started, documents are being searched, the
connection dropped or came back, the server started the answer over, the answer finished (with
its length) or was interrupted (and why). Announcements are at least ``MIN_GAP_MS`` apart; a
milestone that comes sooner waits its turn, a few wait at most (the oldest passing one gives
way), and the final word on an answer is never dropped.

They reach the platform as ``QAccessibleAnnouncementEvent`` (AT-SPI ``object:announcement``,
UIA notifications, VoiceOver announcements).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import (
    Reconnecting,
    Reset,
    Resumed,
    StreamEvent,
    StreamStarted,
    ToolUse,
)
from desktop.streaming.session import Outcome

#: The least time between two announcements: a screen reader finishes a short sentence in it.
MIN_GAP_MS: Final = 1500
#: Milestones waiting their turn at most; past that the oldest non-final one is dropped.
MAX_PENDING: Final = 3


class Announcer(QObject):
    """Turns the bridge's events and outcomes into throttled polite announcements.

    Args:
        target: the widget the announcements come from (the conversation).

    Signals:
        announced(str): a message went out to assistive technology (also for tests).
    """

    announced = Signal(str)

    def __init__(self, target: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self._last_at = -1e9
        self._pending: deque[tuple[str, bool]] = deque()
        self._status = ""
        self._dropped = False
        self._timer = QTimer(self)
        self._timer.setObjectName("announcement-throttle")
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def status(self) -> str:
        """The latest answer's state in a sentence (what "read the status" says)."""
        return self._status or self.tr("No answer yet.")

    # --- inputs -----------------------------------------------------------------------------

    def on_event(self, event: StreamEvent) -> None:
        """Follow the running answer (connect to ``StreamBridge.event_received``)."""
        if isinstance(event, StreamStarted) and not self._dropped:
            self._say(self.tr("Answer started."), status=self.tr("The answer is being written."))
        elif isinstance(event, ToolUse) and event.status == "started":
            if event.tool == "document_search":
                text = self.tr("Searching documents.")
            else:
                text = self.tr("Using the tool %1.").replace("%1", event.tool)
            self._say(text, status=text)
        elif isinstance(event, Reconnecting) and not self._dropped:
            self._dropped = True
            self._say(
                self.tr("Connection lost, reconnecting."),
                status=self.tr("The connection was lost; reconnecting."),
            )
        elif isinstance(event, Reset):
            self._say(
                self.tr("The server started the answer over."),
                status=self.tr("The answer is being written again from the start."),
            )
        elif isinstance(event, Resumed):
            self._dropped = False
            self._say(
                self.tr("Connection restored, the answer continues."),
                status=self.tr("The answer is being written."),
            )

    def on_finished(self, outcome: Outcome, text: str, note: str = "") -> None:
        """Say how the answer ended, with its length (connect after the view is final)."""
        self._dropped = False
        words = len(text.split())
        length = self.tr("1 word") if words == 1 else self.tr("%1 words").replace("%1", str(words))
        if outcome.status is AnswerStatus.DONE:
            message = self.tr("Answer finished, %1.").replace("%1", length)
        elif outcome.status is AnswerStatus.STOPPED:
            message = self.tr("Answer stopped after %1.").replace("%1", length)
        else:
            reason = note or self.tr("the answer ended early")
            message = (
                self.tr("Answer interrupted after %1: %2")
                .replace("%1", length)
                .replace("%2", reason)
            )
        self._say(message, status=message, final=True)

    def on_background_finished(self, outcome: Outcome, title: str) -> None:
        """Say once, briefly, that a conversation not in view ended (its milestones are not
        followed: only the one in view's are)."""
        if outcome.status is AnswerStatus.DONE:
            message = self.tr("Answer finished in %1.")
        elif outcome.status is AnswerStatus.STOPPED:
            message = self.tr("Answer stopped in %1.")
        else:
            message = self.tr("Answer interrupted in %1.")
        self._say(message.replace("%1", title), status=self._status, final=True)

    def set_target(self, target: QWidget) -> None:
        """Announce from ``target`` from now on (the conversation now in view)."""
        self._target = target
        self._dropped = False

    def notice(self, text: str) -> None:
        """Say a message the window shows beside the answer (a banner: a warning, an error, an
        undo offer); it waits its turn like a milestone but is never dropped."""
        self._say(text, status=self._status, final=True)

    def close(self) -> None:
        """Say nothing more (the window closes): stop the throttle, forget what waits."""
        self._timer.stop()
        self._pending.clear()

    def read_status(self) -> None:
        """Say the latest answer's state now, interrupting (the user asked for it)."""
        self._send(self.status, QAccessible.AnnouncementPoliteness.Assertive)

    # --- throttling -------------------------------------------------------------------------

    def _say(self, message: str, *, status: str, final: bool = False) -> None:
        self._status = status
        self._pending.append((message, final))
        while len(self._pending) > MAX_PENDING:  # the oldest passing milestone gives way
            oldest = next((i for i, (_, is_final) in enumerate(self._pending) if not is_final), 0)
            del self._pending[oldest]
        self._schedule()

    def _schedule(self) -> None:
        if not self._pending or self._timer.isActive():
            return
        wait_ms = MIN_GAP_MS - (time.monotonic() - self._last_at) * 1000
        if wait_ms <= 0:
            self._on_timer_timeout()
        else:
            self._timer.start(int(wait_ms) + 1)

    def _on_timer_timeout(self) -> None:
        if self._pending:
            message, _ = self._pending.popleft()
            self._send(message, QAccessible.AnnouncementPoliteness.Polite)
        self._schedule()

    def _send(self, message: str, politeness: QAccessible.AnnouncementPoliteness) -> None:
        self._last_at = time.monotonic()
        event = QAccessibleAnnouncementEvent(self._target, message)
        event.setPoliteness(politeness)
        QAccessible.updateAccessibility(event)
        self.announced.emit(message)
