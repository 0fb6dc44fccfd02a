"""The composition root: ``--ask``, ``--screenshot`` and ``--quit-when-done`` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop.app import main
from desktop.server.embedded import EmbeddedServer
from desktop.ui.settings import Settings

pytestmark = pytest.mark.e2e


def test_ask_on_the_embedded_demo_saves_a_screenshot_and_exits_0(
    tmp_path: Path, restore_app_style: None
) -> None:
    shot = tmp_path / "window.png"
    settings = tmp_path / "settings.json"
    code = main(
        [
            "--settings", str(settings),
            "--ask", "Wie exportiere ich eine Unterhaltung?",
            "--screenshot", str(shot),
            "--quit-when-done",
            "--token-rate", "0",
            "--theme", "dark",
            "--size", "900x700",
        ]
    )  # fmt: skip
    assert code == 0
    image = QImage(str(shot))
    assert not image.isNull()
    assert image.width() == 900
    saved = Settings.load(settings)
    assert saved.window_geometry  # geometry remembered on quit
    assert saved.theme == "system"  # --theme is for this run only


def test_a_refused_token_exits_with_the_ask_code_3(tmp_path: Path, restore_app_style: None) -> None:
    with EmbeddedServer(token_rate=0) as server:
        code = main(
            [
                "--settings", str(tmp_path / "settings.json"),
                "--server", server.url,
                "--token", "wrong",
                "--ask", "Hallo",
                "--quit-when-done",
            ]
        )  # fmt: skip
    assert code == 3
