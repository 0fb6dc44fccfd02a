"""The connection's state in the status bar, with the one action that helps right now.

Connecting, streaming, reconnecting (attempt, a live countdown and "Retry now"), resumed, gave up
(with the reason and Retry), offline, and questions queued for the server ("Retry now" probes).
Nothing here is ever modal: a transient fault is a line in the status bar, not a dialog.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.protocol.events import (
    Connected,
    Connecting,
    GaveUp,
    Reconnecting,
    Rejected,
    Resumed,
    StreamEvent,
)
from desktop.ui.accessibility.state_mark import StateMark

#: The shape of the mark beside the sentence, so the state shows without its colour too.
_MARK_KINDS = {
    "streaming": "ok",
    "done": "ok",
    "resumed": "ok",
    "starting": "pending",
    "connecting": "pending",
    "reconnecting": "warning",
    "offline": "warning",
    "queued": "pending",
    "stopped": "idle",
    "gave_up": "failed",
    "rejected": "failed",
    "failed": "failed",
}


class ConnectionStatus(QWidget):
    """A coloured dot, a sentence and a Retry button.

    Signals:
        retry_requested(): "Retry now" (while waiting) or "Retry" (after giving up).
    """

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionStatus")
        self._dot = StateMark(self)
        self._dot.setObjectName("connectionDot")
        self._label = QLabel(self)
        self._label.setObjectName("connectionText")
        self._retry = QPushButton(self)
        self._retry.setObjectName("retryButton")
        self._retry.setFlat(True)
        self._retry.hide()
        self._countdown = QTimer(self)
        self._countdown.setObjectName("reconnect-countdown")
        self._countdown.setInterval(250)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)
        layout.addWidget(self._retry)
        layout.addStretch(1)
        self._state = "idle"
        self._detail: dict[str, object] = {}
        self._retry_at: float | None = None
        self._connect_signals()
        self._render()

    def _connect_signals(self) -> None:
        self._retry.clicked.connect(self.retry_requested)
        self._countdown.timeout.connect(self._render)

    @property
    def state(self) -> str:
        return self._state

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def retry_visible(self) -> bool:
        return not self._retry.isHidden()

    def set_state(self, state: str, **detail: object) -> None:
        """Show ``state`` (idle, connecting, streaming, reconnecting, offline, queued, resumed,
        gave_up, rejected, done, stopped, failed) with its details."""
        self._state = state
        self._detail = detail
        delay = detail.get("delay")
        if state in ("reconnecting", "offline") and isinstance(delay, float | int):
            self._retry_at = time.monotonic() + float(delay)
            self._countdown.start()
        else:
            self._retry_at = None
            self._countdown.stop()
        self._render()

    def on_event(self, event: StreamEvent) -> None:
        """Follow the connection events of the running answer."""
        if isinstance(event, Connecting) and not event.resuming:
            self.set_state("connecting")
        elif isinstance(event, Connecting):
            self.set_state("reconnecting", attempt=event.attempt, connecting=True)
        elif isinstance(event, Connected) and not event.resumed:
            self.set_state("streaming")
        elif isinstance(event, Reconnecting):
            self.set_state(
                "offline" if event.unreachable else "reconnecting",
                attempt=event.attempt,
                max_attempts=event.max_attempts,
                delay=event.delay,
                reason=event.reason,
            )
        elif isinstance(event, Resumed):
            self.set_state("resumed", last_event_id=event.last_event_id)
        elif isinstance(event, GaveUp):
            self.set_state("gave_up", attempts=event.attempts, reason=event.reason)
        elif isinstance(event, Rejected):
            self.set_state("rejected", message=event.message)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        d = self._detail
        seconds = max(0, round((self._retry_at or 0) - time.monotonic()))
        waiting = self.tr("attempt %1 of %2, next try in %3 s")
        waiting = (
            waiting.replace("%1", str(d.get("attempt", "?")))
            .replace("%2", str(d.get("max_attempts", "?")))
            .replace("%3", str(seconds))
        )
        texts = {
            "idle": self.tr("Ready"),
            "starting": self.tr("Starting the built-in demo server…"),
            "connecting": self.tr("Connecting…"),
            "streaming": self.tr("Connected, streaming"),
            "reconnecting": self.tr("Connection lost, reconnecting: %1").replace("%1", waiting),
            "offline": self.tr("Offline: %1").replace("%1", waiting),
            "queued": self.tr("Offline: questions waiting for the server: %1").replace(
                "%1", str(d.get("count", "?"))
            ),
            "resumed": self.tr("Resumed without losing text"),
            "gave_up": self.tr("Gave up after %1 attempts: %2")
            .replace("%1", str(d.get("attempts", "?")))
            .replace("%2", str(d.get("reason", ""))),
            "rejected": self.tr("Refused: %1").replace("%1", str(d.get("message", ""))),
            "done": self.tr("Connected"),
            "stopped": self.tr("Stopped"),
            "failed": self.tr("The answer did not finish"),
        }
        if self._state == "reconnecting" and d.get("connecting"):
            texts["reconnecting"] = self.tr("Reconnecting…")
        self._label.setText(texts.get(self._state, self._state))
        self._dot.set_kind(_MARK_KINDS.get(self._state, "idle"))
        self._dot.setProperty("state", self._state)
        self._dot.style().unpolish(self._dot)
        self._dot.style().polish(self._dot)
        waiting_state = self._state in ("reconnecting", "offline", "queued")
        self._retry.setText(self.tr("Retry now") if waiting_state else self.tr("Retry"))
        self._retry.setVisible(waiting_state or self._state == "gave_up")
        self._retry.setAccessibleName(self._retry.text())
        self.setAccessibleName(self._label.text())
