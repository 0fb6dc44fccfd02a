"""Help ▸ Keyboard shortcuts lists every shortcut of the window and of its fields."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.ui.accessibility.shortcuts_dialog import FIELD_KEYS
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.main_window import MainWindow


def test_every_window_shortcut_and_field_key_is_listed(qtbot: QtBot) -> None:
    window = MainWindow(StreamBridge(None), Settings(theme="light"))
    qtbot.addWidget(window)
    dialog = window.show_shortcuts()
    listed = {(keys, does) for _, keys, does in dialog.rows()}
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(type(window.send_action)):
        for key in action.shortcuts():
            assert any(key.toString(native) in keys.split(", ") for keys, _ in listed), action
    for _, keys, does in FIELD_KEYS:
        assert (keys, does) in listed
    assert ("Ctrl+Shift+S", "Read the answer's status") in listed
    assert ("F1", "Keyboard shortcuts") in listed
    dialog.close()
    window.bridge.close()
