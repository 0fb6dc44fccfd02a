"""Every dialog names each control a keyboard reaches, as Qt tells assistive technology.

The AT-SPI tests see the settings, about and shortcuts dialogs through the real bus; the login
dialog needs a server with a login of its own, so here every dialog is read through the same
accessible interface Qt's AT-SPI bridge reads.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.ui.accessibility.shortcuts_dialog import ShortcutsDialog
from desktop.ui.window.about_dialog import AboutDialog
from desktop.ui.window.login_dialog import LoginDialog
from desktop.ui.window.settings_dialog import SettingsDialog

DIALOGS: dict[str, Callable[[], QDialog]] = {
    "login": lambda: LoginDialog("https://assist.example.org"),
    "settings": lambda: SettingsDialog(Settings()),
    "about": lambda: AboutDialog(),
    "shortcuts": lambda: ShortcutsDialog([]),
}


def _focusable(dialog: QDialog) -> list[tuple[str, str]]:
    """(role, name) of each focusable object, walking the accessible tree as the AT-SPI bridge
    does (a spin box's inner field, say, is no object of its own there)."""
    found: list[tuple[str, str]] = []
    root = QAccessible.queryAccessibleInterface(dialog)
    assert root is not None
    stack = [root]
    while stack:
        face = stack.pop()
        if face.state().focusable:
            found.append((face.role().name, face.text(QAccessible.Text.Name).strip()))
        stack.extend(c for i in range(face.childCount()) if (c := face.child(i)) is not None)
    return found


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_each_focusable_control_of_the_dialog_has_a_name(qtbot: QtBot, name: str) -> None:
    dialog = DIALOGS[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    focusable = _focusable(dialog)
    assert len(focusable) >= 2
    assert [(role, n) for role, n in focusable if not n] == []
