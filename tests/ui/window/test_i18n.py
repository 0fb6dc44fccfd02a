"""German translations: complete, compiled, and switchable while the window is open."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.markdown.render import MarkdownColors
from desktop.settings import Settings
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.window.i18n import Translations
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.resources import resource
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource

TS = resource("translations", "assist_de.ts")
QM = resource("translations", "assist_de.qm")


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    yield translations
    translations.set_language("en")


def test_every_german_text_is_translated() -> None:
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 80
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")  # type: ignore[union-attr]
    ]
    assert unfinished == []


def test_the_compiled_file_matches_the_source(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    binary = str(lrelease) if lrelease.exists() else shutil.which("pyside6-lrelease")
    assert binary is not None
    fresh = tmp_path / "fresh.qm"
    subprocess.run([binary, "-silent", str(TS), "-qm", str(fresh)], check=True, timeout=60)
    assert fresh.read_bytes() == QM.read_bytes()


def test_switching_language_retranslates_the_open_window(
    qtbot: QtBot, translations: Translations
) -> None:
    window = MainWindow(StreamBridge(ScriptedFactory(lambda r: ScriptedSource([]))), Settings())
    qtbot.addWidget(window)
    assert window.input_box.send_button.text() == "Send"
    assert translations.set_language("de") == "de"
    qtbot.waitUntil(lambda: window.input_box.send_button.text() == "Senden")
    assert window.stop_action.text() == "Antwort anhalten"
    assert window.connection.text == "Bereit"
    translations.set_language("en")
    qtbot.waitUntil(lambda: window.input_box.send_button.text() == "Send")


def test_the_alternative_switcher_speaks_german(qtbot: QtBot, translations: Translations) -> None:
    card = AssistantMessageView(MarkdownColors())
    qtbot.addWidget(card)
    card.set_alternative(1, 3)
    assert card.alternative_label.accessibleName() == "Answer 2 of 3"
    assert translations.set_language("de") == "de"
    qtbot.waitUntil(lambda: card.alternative_label.accessibleName() == "Antwort 2 von 3")
    assert card.alternative_label.text() == "2 / 3"
    assert card.previous_button.accessibleName() == "Vorherige Antwort"
    assert card.next_button.accessibleName() == "Nächste Antwort"
    assert "Antwort 2 von 3" in card.accessibleName()
