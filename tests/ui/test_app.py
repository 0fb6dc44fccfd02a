"""The composition root: ``--ask``, ``--screenshot`` and ``--quit-when-done`` end to end."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from servers.scripted_backend import ScriptedBackend, expected_text
from servers.server_thread import ServerThread

from desktop.app import main
from desktop.protocol.request import ChatRequest
from desktop.server.embedded import EmbeddedServer
from desktop.settings import ServerProfile, Settings
from desktop.store.repository import CacheRepository
from desktop.streaming.health_probe import HealthProbe

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


def test_a_profile_with_a_broken_address_says_so_and_the_demo_still_answers(
    tmp_path: Path, restore_app_style: None
) -> None:
    settings = tmp_path / "settings.json"
    Settings().with_profile(ServerProfile("Office", url="assist.example.com:8000")).save(settings)
    code = main(
        [
            "--settings", str(settings),
            "--ask", "Wie exportiere ich eine Unterhaltung?",
            "--quit-when-done",
            "--token-rate", "0",
        ]
    )  # fmt: skip
    assert code == 0


def test_a_server_option_that_is_no_address_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--server", "not-a-url"]) == 2
    assert "is not a server address" in capsys.readouterr().err


def test_quit_when_done_waits_for_a_question_queued_while_the_server_was_down(
    tmp_path: Path, restore_app_style: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ServerThread(backend=ScriptedBackend())  # bound, not listening: refused for now
    probes: list[bool] = []
    probe = HealthProbe.reachable

    async def then_start_the_server(self: HealthProbe) -> bool:
        """The real probe; after its first (failed) try the server comes up on that port."""
        reached = await probe(self)
        probes.append(reached)
        if len(probes) == 1:
            await asyncio.to_thread(server.start)
        return reached

    monkeypatch.setattr(HealthProbe, "reachable", then_start_the_server)
    db = tmp_path / "cache.sqlite3"
    question = "Wie exportiere ich eine Unterhaltung?"
    try:
        code = main(
            [
                "--settings", str(tmp_path / "settings.json"),
                "--server", server.url,
                "--db", str(db),
                "--ask", question,
                "--quit-when-done",
            ]
        )  # fmt: skip
    finally:
        server.stop()
    assert code == 0
    assert probes == [False, True]  # the question was queued: only then does the probe run
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        messages = repository.get_conversation(summary.id).messages
        assert repository.queued_questions() == []
    assert [(m.role, m.text) for m in messages] == [
        ("user", question),
        ("assistant", expected_text(ChatRequest(question, summary.id))),
    ]
