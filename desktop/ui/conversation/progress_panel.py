"""How far the answer is: busy until the first token, then a bar, the rate and the time left.

Tokens per second are counted from the first token, and the wait before it is shown apart as
time to first token, so a slow start never drags the rate down. The panel ends in a clear final
state: done, stopped or failed.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Progress

#: Labels refresh at most this often while tokens stream (seconds).
REFRESH_INTERVAL = 0.25


class ProgressPanel(QWidget):
    """Progress bar, tokens/s, time to first token and time remaining of the running answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPanel")
        self._bar = QProgressBar(self)
        self._bar.setObjectName("answerProgress")
        self._bar.setTextVisible(False)
        self._bar.setFixedHeight(6)
        self._bar.setMaximumWidth(220)
        self._bar.setAccessibleName(self.tr("Progress of the answer"))
        self._status = QLabel(self)
        self._status.setObjectName("progressStatus")
        self._rate = QLabel(self)
        self._ttft = QLabel(self)
        self._remaining = QLabel(self)
        for label in (self._rate, self._ttft, self._remaining):
            label.setObjectName("progressDetail")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 2, 16, 2)
        layout.setSpacing(12)
        layout.addWidget(self._status)
        layout.addWidget(self._bar)
        layout.addWidget(self._rate)
        layout.addWidget(self._ttft)
        layout.addWidget(self._remaining)
        layout.addStretch(1)
        self._reset()
        self.hide()

    def _reset(self) -> None:
        self._started: float | None = None
        self._first_token: float | None = None
        self._last_token: float | None = None
        self._tokens = 0
        self._percentage: float | None = None
        self._remaining_s: float | None = None
        self._final: AnswerStatus | None = None
        self._refreshed = 0.0

    # --- reading ----------------------------------------------------------------------------

    @property
    def tokens(self) -> int:
        return self._tokens

    @property
    def ttft(self) -> float | None:
        """Seconds from the request to the first token."""
        if self._started is None or self._first_token is None:
            return None
        return self._first_token - self._started

    @property
    def tokens_per_second(self) -> float | None:
        """Rate from the first token to the latest one (None before two tokens)."""
        if self._first_token is None or self._last_token is None or self._tokens < 2:
            return None
        span = self._last_token - self._first_token
        return (self._tokens - 1) / span if span > 0 else None

    @property
    def busy(self) -> bool:
        return self._bar.maximum() == 0

    @property
    def status_text(self) -> str:
        return self._status.text()

    # --- updates ----------------------------------------------------------------------------

    def start(self) -> None:
        """A request went out: busy until the first token."""
        self._reset()
        self._started = time.monotonic()
        self._bar.setRange(0, 0)
        self.show()
        self._refresh()

    def resume(self) -> None:
        """Retry continued the answer: keep the counts, clear the final state."""
        self._final = None
        self._refresh()

    def on_token(self) -> None:
        now = time.monotonic()
        if self._first_token is None:
            self._first_token = now
            self._bar.setRange(0, 100)
            self._bar.setValue(0)
        self._last_token = now
        self._tokens += 1
        if now - self._refreshed >= REFRESH_INTERVAL:
            self._refresh()

    def on_progress(self, event: Progress) -> None:
        self._percentage = event.progress_percentage
        self._remaining_s = event.estimated_time_remaining
        if self._percentage is not None and self._first_token is not None:
            self._bar.setValue(round(max(0.0, min(100.0, self._percentage))))
        self._refresh()

    def finish(self, state: AnswerStatus) -> None:
        """Show how the answer ended."""
        self._final = state
        self._bar.setRange(0, 100)
        if state == "done":
            self._bar.setValue(100)
        self._remaining_s = None
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)

    def _refresh(self) -> None:
        self._refreshed = time.monotonic()
        finals = {
            "done": self.tr("Done"),
            "stopped": self.tr("Stopped"),
            "interrupted": self.tr("Interrupted"),
            "failed": self.tr("Failed"),
        }
        if self._final is not None:
            status = finals.get(self._final, self._final)
            if self._tokens:
                status += " · " + self.tr("%n token(s)", "", self._tokens)
        elif self._first_token is None:
            status = self.tr("Waiting for the first token…")
        else:
            status = self.tr("Writing…")
        self._status.setText(status)
        self._bar.setAccessibleName(self.tr("Progress of the answer"))
        self._bar.setAccessibleDescription(status)
        rate = self.tokens_per_second
        self._rate.setText(self.tr("%1 tokens/s").replace("%1", f"{rate:.0f}") if rate else "")
        ttft = self.ttft
        self._ttft.setText(
            self.tr("first token after %1 s").replace("%1", f"{ttft:.2f}")
            if ttft is not None
            else ""
        )
        remaining = self._remaining_s if self._final is None else None
        self._remaining.setText(
            self.tr("about %1 s left").replace("%1", f"{remaining:.0f}") if remaining else ""
        )
        for label in (self._rate, self._ttft, self._remaining):
            label.setVisible(bool(label.text()))
