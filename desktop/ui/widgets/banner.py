"""Non-blocking banners above the transcript: warnings, errors with an action, a token prompt.

A banner never takes focus by itself and never blocks the window; it stays until the user closes
it or the next answer starts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class Banner(QFrame):
    """One message with an optional action and a close button."""

    closed = Signal()

    def __init__(self, kind: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", kind)
        self.kind = kind
        self._label = QLabel(text, self)
        self._label.setObjectName("bannerText")
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QToolButton(self)
        self._close.setObjectName("bannerClose")
        self._close.setText("✕")
        self._close.setAccessibleName(self.tr("Close"))
        self._close.clicked.connect(self.dismiss)
        #: The action buttons, in order (what the keyboard reaches first).
        self.action_buttons: list[QPushButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(12, 6, 6, 6)
        self._row.setSpacing(8)
        self._row.addWidget(self._label, 1)
        self._row.addWidget(self._close)
        self.setAccessibleName(text)

    @property
    def text(self) -> str:
        return self._label.text()

    @property
    def close_button(self) -> QToolButton:
        return self._close

    def add_action(self, label: str, callback: Callable[[], None]) -> QPushButton:
        button = QPushButton(label, self)
        button.setObjectName("bannerAction")
        self.action_buttons.append(button)
        button.clicked.connect(callback)
        self._row.insertWidget(self._row.count() - 1, button)
        return button

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit()
        self.deleteLater()


class TokenPrompt(Banner):
    """An error banner that asks for the access token in place (a 401 or 403)."""

    token_entered = Signal(str)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__("error", text, parent)
        self.setObjectName("tokenPrompt")
        self.field = QLineEdit(self)
        self.field.setObjectName("tokenField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText(self.tr("Access token"))
        self.field.setAccessibleName(self.tr("Access token"))
        self.field.setMinimumWidth(220)
        self.field.returnPressed.connect(self._submit)
        self._row.insertWidget(self._row.count() - 1, self.field)
        self.add_action(self.tr("Save and retry"), self._submit)

    def _submit(self) -> None:
        token = self.field.text().strip()
        if token:
            self.token_entered.emit(token)
            self.dismiss()


class BannerArea(QWidget):
    """A column of banners, newest at the bottom.

    Signals:
        banner_shown(str, str): a new banner's kind and text (a screen reader is told them).
    """

    banner_shown = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bannerArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 6, 16, 0)
        self._layout.setSpacing(4)
        self._banners: list[Banner] = []
        self.hide()

    @property
    def banners(self) -> list[Banner]:
        return [b for b in self._banners if not b.isHidden()]

    def show_message(self, kind: str, text: str) -> Banner:
        """Show a warning/error/info banner (an identical visible one is reused)."""
        for banner in self.banners:
            if banner.kind == kind and banner.text == text:
                return banner
        return self.add(Banner(kind, text, self))

    def ask_token(self, text: str) -> TokenPrompt:
        for banner in self.banners:
            if isinstance(banner, TokenPrompt):
                banner.dismiss()
        prompt = TokenPrompt(text, self)
        self.add(prompt)
        prompt.field.setFocus()
        return prompt

    def add(self, banner: Banner) -> Banner:
        self._banners.append(banner)
        banner.closed.connect(self._on_banner_closed)
        self._layout.addWidget(banner)
        self.show()
        self.banner_shown.emit(banner.kind, banner.text)
        return banner

    def focus_newest(self) -> bool:
        """Put the keyboard focus on the newest banner's first action (Undo, Retry, …), or on
        its close button; False when no banner is shown."""
        shown = self.banners
        if not shown:
            return False
        newest = shown[-1]
        target = newest.action_buttons[0] if newest.action_buttons else newest.close_button
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def clear(self) -> None:
        for banner in list(self._banners):
            banner.dismiss()

    def _on_banner_closed(self) -> None:
        self._banners = [b for b in self._banners if not b.isHidden()]
        self.setVisible(bool(self._banners))
