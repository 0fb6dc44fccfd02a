"""Settings persist as JSON without the token; tokens go to the keyring or nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from servers.keyrings import MemoryKeyring

from desktop.credentials import TokenStoreUnavailable, load_token, save_token
from desktop.settings import DEMO_PROFILE, ServerProfile, Settings
from desktop.ui.bridge import StreamBridge
from desktop.ui.window import theme
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.settings_dialog import SettingsDialog
from tests.helpers.qt import next_emission, wait_until
from tests.helpers.scripted import ANSWER, answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource


def test_settings_round_trip_through_json(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    profile = ServerProfile("Work", "https://assist.example.com", "openai", "gpt")
    settings = Settings(theme="dark", font_size=13, language="de").with_profile(profile)
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded == settings
    assert loaded.active() == profile
    assert "token" not in path.read_text(encoding="utf-8").lower()


def test_the_demo_is_the_default_and_survives_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert Settings.load(path).active() == DEMO_PROFILE
    path.write_text("{not json", encoding="utf-8")
    assert Settings.load(path) == Settings()
    path.write_text(json.dumps({"theme": "neon", "font_size": 99, "profiles": [1]}), "utf-8")
    loaded = Settings.load(path)
    assert loaded.theme == "system"
    assert loaded.font_size == 0
    assert loaded.profiles == (DEMO_PROFILE,)


def test_tokens_live_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    save_token("Work", "s3cret")
    assert load_token("Work") == "s3cret"
    save_token("Work", None)
    assert load_token("Work") is None


def test_without_a_keyring_saving_says_so_clearly(no_keyring: None) -> None:
    with pytest.raises(TokenStoreUnavailable, match="No system keyring"):
        save_token("Work", "s3cret")
    assert load_token("Work") is None


def test_the_dialog_edits_profiles_and_appearance(qtbot: QtBot, no_keyring: None) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert "No system keyring" in dialog.keyring_note.text()
    dialog.add_button.click()
    dialog.url.setText("https://assist.example.com")
    dialog.token.setText("abc")
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    result = dialog.result_settings()
    assert result.active().url == "https://assist.example.com"
    assert result.theme == "dark"
    assert result.language == "de"
    assert dialog.tokens() == {result.active_profile: "abc"}
    assert any(p.embedded for p in result.profiles)


def test_window_geometry_and_splitter_state_are_restored(qtbot: QtBot) -> None:
    def make(settings: Settings) -> MainWindow:
        bridge = StreamBridge(ScriptedFactory(lambda r: ScriptedSource([])))
        window = MainWindow(bridge, settings)
        qtbot.addWidget(window)
        return window

    first = make(Settings())
    first.resize(812, 633)
    first.show()
    saved = first.geometry_settings()
    second = make(
        Settings(
            window_geometry=saved["window_geometry"],
            window_state=saved["window_state"],
            splitter_state=saved["splitter_state"],
        )
    )
    second.show()
    # The offscreen platform plugin shifts restored frames by a few pixels; Xvfb is exact.
    assert second.height() == first.height()
    assert abs(second.width() - first.width()) <= 20
    assert second.splitter.sizes()[0] == first.splitter.sizes()[0]


def test_theme_and_font_size_apply_to_the_open_window(
    qtbot: QtBot, qapp: QApplication, run_async: Any, restore_app_style: None
) -> None:
    bridge = StreamBridge(ScriptedFactory(lambda r: ScriptedSource(answer_events())))
    window = MainWindow(bridge, Settings(theme="light"))
    qtbot.addWidget(window)
    window.show()

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)
        answer = window.transcript.last_answer()
        await wait_until(lambda: answer is not None and answer.finalized)

    run_async(scenario())
    window.apply_appearance(Settings(theme="dark", font_size=15))
    assert window.palette_in_use == theme.DARK
    assert qapp.font().pointSize() == 15
    assert theme.DARK.window in qapp.styleSheet()
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER  # re-rendered in the new colours, same text
    window.apply_appearance(Settings(theme="light"))
    assert qapp.font().pointSize() != 15


def test_a_profiles_ca_file_is_edited_in_the_dialog_and_kept_in_the_file(
    qtbot: QtBot, tmp_path: Path
) -> None:
    work = ServerProfile("Work", "https://assist.intranet.example", ca_file="/etc/ssl/intranet.pem")
    dialog = SettingsDialog(Settings().with_profile(work))
    qtbot.addWidget(dialog)
    assert dialog.ca_file.text() == "/etc/ssl/intranet.pem"
    dialog.model.setText("llama")  # editing another field keeps the CA file
    assert dialog.result_settings().active().ca_file == "/etc/ssl/intranet.pem"
    dialog.ca_file.setText("  ")
    edited = dialog.result_settings()
    assert edited.active() == ServerProfile("Work", work.url, model="llama")
    path = tmp_path / "settings.json"
    Settings().with_profile(work).save(path)
    assert Settings.load(path).active().ca_file == "/etc/ssl/intranet.pem"


def test_notifications_are_on_by_default_and_the_dialog_turns_them_off(
    qtbot: QtBot, tmp_path: Path
) -> None:
    assert Settings().notifications
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.notifications.isChecked()
    dialog.notifications.setChecked(False)
    edited = dialog.result_settings()
    edited.save(tmp_path / "settings.json")
    assert not Settings.load(tmp_path / "settings.json").notifications
