"""The numbers beside the stream charts, from one :class:`StreamMetricsSnapshot`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from desktop.metrics.recorder import StreamMetricsSnapshot

_DASH: Final = "–"


def _ms(seconds: float | None) -> str:
    return _DASH if seconds is None else f"{seconds * 1000:.0f} ms"


def _rate(value: float | None) -> str:
    return _DASH if value is None else f"{value:.1f}"


def _bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.2f} MiB"


def _by_type(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or _DASH


#: ``(key, label, format)`` in display order; the key names the figure for tests and exports.
FIGURES: Final[tuple[tuple[str, str, Callable[[StreamMetricsSnapshot], str]], ...]] = (
    ("ttft", "Time to first token", lambda s: _ms(s.ttft_s)),
    ("gap_mean", "Gap mean", lambda s: _ms(s.gap_mean_s)),
    ("gap_p50", "Gap p50", lambda s: _ms(s.gap_p50_s)),
    ("gap_p95", "Gap p95", lambda s: _ms(s.gap_p95_s)),
    ("gap_p99", "Gap p99", lambda s: _ms(s.gap_p99_s)),
    ("tokens", "Tokens", lambda s: str(s.tokens)),
    ("rate", "Tokens/s (client)", lambda s: _rate(s.tokens_per_second)),
    ("rolling", "Tokens/s (rolling)", lambda s: _rate(s.rolling_tokens_per_second)),
    ("server_rate", "Tokens/s (server)", lambda s: _rate(s.server_tokens_per_second)),
    ("reconnects", "Reconnects", lambda s: str(s.reconnects)),
    ("downtime", "Time lost reconnecting", lambda s: _ms(s.downtime_s)),
    ("bytes", "Bytes received", lambda s: _bytes(s.bytes_received)),
    ("events", "Events by type", lambda s: _by_type(s.events_by_type)),
)


class MetricsFigures(QWidget):
    """A form of labels; a label's text is set only when it changes, so an idle stream
    repaints nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        self._captions: dict[str, str] = {}
        for key, label, _ in FIGURES:
            value = QLabel(_DASH, self)
            self._captions[key] = self.tr(label)
            value.setAccessibleName(self._spoken(key, _DASH))
            value.setObjectName(f"figure_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.values[key] = value
            layout.addRow(self.tr(label), value)

    def show_snapshot(self, snapshot: StreamMetricsSnapshot | None) -> None:
        for key, _, render in FIGURES:
            text = _DASH if snapshot is None else render(snapshot)
            label = self.values[key]
            if label.text() != text:
                label.setText(text)
                label.setAccessibleName(self._spoken(key, text))

    def _spoken(self, key: str, value: str) -> str:
        """ "Tokens: 120", or "not measured yet" for the dash a sighted user reads as such."""
        shown = self.tr("not measured yet") if value == _DASH else value
        return f"{self._captions[key]}: {shown}"

    def text(self, key: str) -> str:
        """The shown value of one figure (``FIGURES`` keys)."""
        return self.values[key].text()
