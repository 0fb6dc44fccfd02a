"""Light, dark and high-contrast themes: one palette feeds the Qt palette, the stylesheet and
the Markdown HTML.

"system" follows the desktop's colour scheme (Qt 6.5+ reports it) and its contrast preference
(high contrast wins, Qt 6.10+), and switches live when the desktop does. Every colour pair the
stylesheet draws is listed in ``TEXT_PAIRS`` or ``NON_TEXT_PAIRS``, where a test holds each one
to WCAG AA in every theme.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from string import Template
from typing import Final

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
    #: The outline of fields and buttons: a control's edge must stand out (WCAG 1.4.11),
    #: unlike ``border``, which only separates cards and panels.
    control_border: str
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
    control_border="#7d8590",
    text="#1f2328",
    muted="#5b6474",
    accent="#2563eb",
    on_accent="#ffffff",
    user_bubble="#e8f0fe",
    user_border="#c9d9fb",
    success="#15803d",
    warning="#b45309",
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
    control_border="#7b8494",
    text="#e6e8eb",
    muted="#a3acb7",
    accent="#3b82f6",
    on_accent="#0b1220",
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


#: White on black with a yellow accent, for low vision (7:1 and more for every text pair).
HIGH_CONTRAST = Palette(
    window="#000000",
    surface="#000000",
    subtle="#141414",
    border="#ffffff",
    control_border="#ffffff",
    text="#ffffff",
    muted="#e0e0e0",
    accent="#ffd400",
    on_accent="#000000",
    user_bubble="#002b55",
    user_border="#ffffff",
    success="#5cff8a",
    warning="#ffd400",
    error="#ff7070",
    info_bg="#002b55",
    warning_bg="#3a3000",
    error_bg="#4a0000",
    badge_text="#ffffff",
    code_background="#141414",
    code_header="#262626",
    link="#66ccff",
)

PALETTES: Final = {"light": LIGHT, "dark": DARK, "high_contrast": HIGH_CONTRAST}

#: (foreground, background) of every text the stylesheet and the Markdown HTML draw: 4.5:1.
TEXT_PAIRS: Final = (
    *(("text", b) for b in ("window", "surface", "subtle", "user_bubble", "code_background")),
    *(("text", b) for b in ("code_header", "info_bg", "warning_bg", "error_bg")),
    *(("muted", b) for b in ("window", "surface", "subtle", "code_background", "code_header")),
    *(("badge_text", b) for b in ("info_bg", "warning_bg", "error_bg")),
    ("on_accent", "accent"),
    ("on_accent", "error"),
    ("link", "surface"),
    ("link", "subtle"),
    ("link", "code_background"),
)
#: (foreground, background) of meaningful marks and control edges (focus ring, state marks,
#: progress, tool status, field outlines): 3:1.
NON_TEXT_PAIRS: Final = (
    *((c, b) for c in ("accent", "success", "warning", "error") for b in ("window", "subtle")),
    *((c, "surface") for c in ("accent", "control_border")),
    ("control_border", "window"),
    ("control_border", "subtle"),
    ("accent", "user_bubble"),
)
#: Palette colours that only separate or decorate (WCAG asks no ratio of them).
DECORATIVE: Final = frozenset({"border", "user_border"})


def resolve(theme: str) -> Palette:
    """The palette for ``light``, ``dark``, ``high_contrast`` or ``system`` (the desktop's
    current scheme and contrast preference)."""
    if theme in PALETTES:
        return PALETTES[theme]
    hints = QGuiApplication.styleHints()
    if hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast:
        return HIGH_CONTRAST
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


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
