"""Light and dark themes: one palette feeds the Qt palette, the stylesheet and the Markdown HTML.

"system" follows the desktop's colour scheme (Qt 6.5+ reports it) and switches live when the
desktop does.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop.markdown.render import MarkdownColors
from desktop.ui.window.resources import resource

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Palette:
    window: str
    surface: str
    subtle: str
    border: str
    text: str
    muted: str
    accent: str
    on_accent: str
    user_bubble: str
    user_border: str
    success: str
    warning: str
    error: str
    info_bg: str
    warning_bg: str
    error_bg: str
    badge_text: str
    code_background: str
    code_header: str
    link: str

    def markdown_colors(self) -> MarkdownColors:
        return MarkdownColors(
            code_background=self.code_background,
            code_header=self.code_header,
            code_text=self.text,
            muted=self.muted,
            link=self.link,
            table_border=self.border,
            background=self.surface,
        )


LIGHT = Palette(
    window="#f6f7f9",
    surface="#ffffff",
    subtle="#eef0f3",
    border="#d9dde3",
    text="#1f2328",
    muted="#667085",
    accent="#2563eb",
    on_accent="#ffffff",
    user_bubble="#e8f0fe",
    user_border="#c9d9fb",
    success="#16a34a",
    warning="#d97706",
    error="#dc2626",
    info_bg="#e8f0fe",
    warning_bg="#fdf0d5",
    error_bg="#fde2e1",
    badge_text="#1f2328",
    code_background="#f3f4f6",
    code_header="#e5e7eb",
    link="#1d4ed8",
)

DARK = Palette(
    window="#17191d",
    surface="#212429",
    subtle="#2a2e34",
    border="#3a3f47",
    text="#e6e8eb",
    muted="#9aa3ae",
    accent="#3b82f6",
    on_accent="#ffffff",
    user_bubble="#1e3a5f",
    user_border="#2c4f7c",
    success="#22c55e",
    warning="#f59e0b",
    error="#ef4444",
    info_bg="#1e3a5f",
    warning_bg="#4a3512",
    error_bg="#5a1f1f",
    badge_text="#f3f4f6",
    code_background="#2b2f36",
    code_header="#353a42",
    link="#7ab0ff",
)


def resolve(theme: str) -> Palette:
    """The palette for ``light``, ``dark`` or ``system`` (the desktop's current scheme)."""
    if theme == "dark":
        return DARK
    if theme == "light":
        return LIGHT
    scheme = QGuiApplication.styleHints().colorScheme()
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def apply(app: QApplication, palette: Palette, font_size: int = 0) -> None:
    """Style the whole application with ``palette`` (and a base font size, 0 = system)."""
    app.setStyle("Fusion")
    app.setPalette(_qt_palette(palette))
    default_size = app.property("assistDefaultPointSize")
    if default_size is None:
        default_size = app.font().pointSize()
        app.setProperty("assistDefaultPointSize", default_size)
    font = QFont(app.font())
    font.setPointSize(font_size or int(default_size))
    if font != app.font():
        app.setFont(font)
    app.setStyleSheet(stylesheet(palette))


def stylesheet(palette: Palette) -> str:
    try:
        template = resource("styles", "app.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("the stylesheet is missing; using Qt's defaults")
        return ""
    return Template(template).safe_substitute(asdict(palette))


def _qt_palette(p: Palette) -> QPalette:
    qp = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, p.window),
        (role.WindowText, p.text),
        (role.Base, p.surface),
        (role.AlternateBase, p.subtle),
        (role.Text, p.text),
        (role.Button, p.surface),
        (role.ButtonText, p.text),
        (role.ToolTipBase, p.surface),
        (role.ToolTipText, p.text),
        (role.PlaceholderText, p.muted),
        (role.Highlight, p.accent),
        (role.HighlightedText, p.on_accent),
        (role.Link, p.link),
        (role.BrightText, p.error),
    ):
        qp.setColor(r, QColor(value))
    qp.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(p.muted))
    qp.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(p.muted))
    qp.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(p.muted))
    return qp
