"""One card per tool call: the tool, its input, a live state, the duration and the output.

``document_search`` output gets its own rendering (title, score and snippet per hit), because
that is what support staff check when an answer looks wrong.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.protocol.events import ToolUse

MAX_OUTPUT_CHARS = 600
#: Search hits shown per card; the rest are counted.
MAX_HITS = 3


class ToolCard(QFrame):
    """The life of one tool call."""

    def __init__(self, event: ToolUse, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.call_id = event.call_id
        self.tool = event.tool
        self.status = event.status
        self._event = event
        self._interrupted = False
        self._title = QLabel(self)
        self._title.setObjectName("toolTitle")
        self._state = QLabel(self)
        self._state.setObjectName("toolState")
        self._input = QLabel(self)
        self._input.setObjectName("toolInput")
        self._input.setWordWrap(True)
        self._input.setTextFormat(Qt.TextFormat.PlainText)
        self._output = QLabel(self)
        self._output.setObjectName("toolOutput")
        self._output.setWordWrap(True)
        self._output.setTextFormat(Qt.TextFormat.RichText)
        self._output.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._output.hide()
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self._state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self._input)
        layout.addWidget(self._output)
        self.update_from(event)

    @property
    def state_text(self) -> str:
        return self._state.text()

    @property
    def output_text(self) -> str:
        return self._output.text()

    def update_from(self, event: ToolUse) -> None:
        """Apply the next step of this call's life."""
        self._event = event
        self.status = event.status
        self._title.setText(event.tool)
        if event.input:
            self._input.setText(_describe_input(event.input))
        if event.output is not None:
            self._output.setText(self._render_output(event))
            self._output.show()
        self.setProperty("state", event.status)
        self.style().unpolish(self)
        self.style().polish(self)
        self._retranslate()

    def interrupt(self) -> None:
        """The answer ended while this call was still running."""
        if self.status == "started":
            self._interrupted = True
            self.setProperty("state", "failed")
            self.style().unpolish(self)
            self.style().polish(self)
            self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._event.output is not None:
                self._output.setText(self._render_output(self._event))
        super().changeEvent(event)

    def _retranslate(self) -> None:
        event = self._event
        labels = {
            "started": self.tr("running…"),
            "completed": self.tr("done"),
            "failed": self.tr("failed"),
        }
        text = labels.get(event.status, event.status)
        if self._interrupted and event.status == "started":
            text = self.tr("interrupted")
        if event.duration_ms is not None:
            text += f" · {format_duration(event.duration_ms)}"
        self._state.setText(text)
        self.setAccessibleName(self.tr("Tool %1: %2").replace("%1", event.tool).replace("%2", text))

    def _render_output(self, event: ToolUse) -> str:
        output = event.output or {}
        hits = output.get("hits")
        if event.tool == "document_search" and isinstance(hits, list):
            shown = [hit for hit in hits if isinstance(hit, Mapping)]
            if not shown:
                empty = self.tr("No matching documents")
                return f"<i>{escape(empty)}</i>"
            html = "".join(_render_hit(hit) for hit in shown[:MAX_HITS])
            if len(shown) > MAX_HITS:
                more = self.tr("and %1 more").replace("%1", str(len(shown) - MAX_HITS))
                html += f"<p style='margin:2px 0; color:{_muted()}'>{escape(more)}</p>"
            return html
        text = json.dumps(output, ensure_ascii=False, indent=1)
        if len(text) > MAX_OUTPUT_CHARS:
            text = text[:MAX_OUTPUT_CHARS] + " …"
        return f"<pre>{escape(text)}</pre>"


def _describe_input(data: Mapping[str, Any]) -> str:
    parts = []
    for key, value in data.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)


def _muted() -> str:
    """The theme's muted text colour (a fixed grey fails WCAG contrast on the card)."""
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.PlaceholderText).name()


def _render_hit(hit: Mapping[str, Any]) -> str:
    title = escape(str(hit.get("title", "")))
    snippet = escape(str(hit.get("snippet", "")))
    score = hit.get("score")
    score_text = (
        f" <span style='color:{_muted()}'>({float(score):.2f})</span>" if score is not None else ""
    )
    return f"<p style='margin:2px 0'><b>{title}</b>{score_text}<br/>{snippet}</p>"


class ToolPanel(QWidget):
    """The cards of one answer, in the order their calls started."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolPanel")
        self._cards: dict[str, ToolCard] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    @property
    def cards(self) -> list[ToolCard]:
        return list(self._cards.values())

    def interrupt(self) -> None:
        """Mark calls that never finished (the answer stopped or failed meanwhile)."""
        for card in self._cards.values():
            card.interrupt()

    def add(self, event: ToolUse) -> ToolCard:
        """Create the call's card on first sight, update it afterwards."""
        card = self._cards.get(event.call_id)
        if card is None:
            card = ToolCard(event, self)
            self._cards[event.call_id] = card
            self._layout.addWidget(card)
            self.show()
        else:
            card.update_from(event)
        return card


def format_duration(milliseconds: float) -> str:
    """A tool call's duration as a person reads it: ``0.6 ms``, ``240 ms``, ``1.25 s``."""
    if milliseconds < 10:
        return f"{milliseconds:.1f} ms"
    if milliseconds < 1000:
        return f"{milliseconds:.0f} ms"
    return f"{milliseconds / 1000:.2f} s"
