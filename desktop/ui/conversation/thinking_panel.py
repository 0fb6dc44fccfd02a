"""What the assistant does before it answers: status lines and streamed reasoning.

The panel opens while the assistant thinks, folds itself away when the answer starts (the user
can unfold it again) and then says how long the thinking took.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.protocol.events import Thinking
from desktop.ui.widgets.text_block import TextBlock
from desktop.ui.widgets.token_coalescer import TokenCoalescer


class ThinkingPanel(QFrame):
    """Collapsible status lines and reasoning text of one answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinkingPanel")
        self._started: float | None = None
        self._ended: float | None = None
        self._status_lines: list[str] = []
        self._toggle = QToolButton(self)
        self._toggle.setObjectName("thinkingToggle")
        self._toggle.setCheckable(True)
        self._toggle.setChecked(True)
        self._toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._toggle.setArrowType(Qt.ArrowType.DownArrow)
        self._body = QWidget(self)
        self._status = QLabel(self._body)
        self._status.setObjectName("thinkingStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._reasoning = TextBlock(self._body)
        self._reasoning.setObjectName("thinkingText")
        self._reasoning.hide()
        self._coalescer = TokenCoalescer(self._append_reasoning, self)
        self._clock = QTimer(self)
        self._clock.setObjectName("thinking-clock")
        self._clock.setInterval(250)
        body_layout = QVBoxLayout(self._body)
        body_layout.setContentsMargins(18, 0, 0, 4)
        body_layout.setSpacing(2)
        body_layout.addWidget(self._status)
        body_layout.addWidget(self._reasoning)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        layout.addWidget(self._toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._body)
        self._connect_signals()
        self._retranslate()

    def _connect_signals(self) -> None:
        self._toggle.toggled.connect(self.set_expanded)
        self._clock.timeout.connect(self._retranslate)

    @property
    def expanded(self) -> bool:
        return self._toggle.isChecked()

    @property
    def reasoning_text(self) -> str:
        self._coalescer.flush()
        return self._reasoning.toPlainText()

    @property
    def status_lines(self) -> list[str]:
        return list(self._status_lines)

    def add(self, event: Thinking) -> None:
        """Show a status line and/or append reasoning text."""
        if self._started is None:
            self._started = time.monotonic()
            self._clock.start()
        if event.message:
            self._status_lines.append(event.message)
            self._status.setText("\n".join(self._status_lines[-4:]))
        if event.content:
            self._reasoning.show()
            self._coalescer.push(event.content)

    def end(self, *, collapse: bool) -> None:
        """The answer started (``collapse``) or the run ended: stop the clock."""
        self._coalescer.flush()
        if self._started is not None and self._ended is None:
            self._ended = time.monotonic()
        self._clock.stop()
        if collapse:
            self.set_expanded(False)
        self._retranslate()

    def show_duration(self, seconds: float) -> None:
        """Show a recorded thinking time (a cached answer rebuilt after the fact)."""
        self._started = self._started if self._started is not None else time.monotonic()
        self._ended = self._started + max(0.0, seconds)
        self._clock.stop()
        self._retranslate()

    def set_expanded(self, expanded: bool) -> None:
        self._toggle.blockSignals(True)
        self._toggle.setChecked(expanded)
        self._toggle.blockSignals(False)
        self._toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self._body.setVisible(expanded)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _append_reasoning(self, text: str) -> None:
        self._reasoning.append_plain(text)

    def _retranslate(self) -> None:
        if self._started is None:
            self._toggle.setText(self.tr("Thinking…"))
            return
        seconds = (self._ended or time.monotonic()) - self._started
        if self._ended is None:
            self._toggle.setText(self.tr("Thinking… %1 s").replace("%1", f"{seconds:.1f}"))
        else:
            self._toggle.setText(self.tr("Thought for %1 s").replace("%1", f"{seconds:.1f}"))
        self._toggle.setAccessibleName(self._toggle.text())
        self._reasoning.setAccessibleName(self.tr("Reasoning of the assistant"))
