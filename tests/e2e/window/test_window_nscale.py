"""The window against the fake nscale-assist: the answer, a restart, a cut and Ask again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.streams import DEFAULT_ANSWER, AnswerScript, timeout_then_answer

from desktop.protocol.answer_status import AnswerStatus
from desktop.settings import Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.session import Outcome
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission, settle

pytestmark = pytest.mark.e2e
ANSWER = "".join(DEFAULT_ANSWER)


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale(token_delay=0.001) as running:
        yield running


@pytest.fixture
def window(qtbot: QtBot, run_async: Any, nscale: RunningNscale) -> Iterator[MainWindow]:
    config = ClientConfig(nscale.url, token=nscale.login_token(), idle_timeout=10.0)
    factory = StreamingSourceFactory(config, "nscale")
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    yield window

    async def close() -> None:
        await window.bridge.aclose()
        await factory.aclose()

    run_async(close())


async def ask(window: MainWindow, text: str) -> Outcome:
    window.controller.send(text)
    (outcome,) = await next_emission(window.controller.answer_finished, 30)
    await settle()
    return outcome


def test_an_answer_that_started_over_shows_only_the_new_attempt(
    window: MainWindow, nscale: RunningNscale, run_async: Any
) -> None:
    nscale.fake.scripts.append(timeout_then_answer(after=3))
    outcome = run_async(ask(window, "Wie öffne ich eine Akte?"))
    assert outcome.exit_code == 0
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.note == "The server started the answer over."


def test_a_cut_answer_keeps_its_text_is_marked_interrupted_and_ask_again_answers_anew(
    window: MainWindow, nscale: RunningNscale, run_async: Any
) -> None:
    nscale.fake.scripts.append(AnswerScript(DEFAULT_ANSWER, cut_after=4))
    outcome = run_async(ask(window, "Wie öffne ich eine Akte?"))
    assert outcome.kind == "interrupted"
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == "".join(DEFAULT_ANSWER[:4])
    assert answer.state is AnswerStatus.INTERRUPTED
    (banner,) = window.banners.banners
    assert "cannot continue an answer" in banner.text
    buttons = banner.findChildren(QPushButton, "bannerAction")
    (ask_again,) = [b for b in buttons if b.text() == "Ask again"]

    async def again() -> Outcome:
        ask_again.click()
        (result,) = await next_emission(window.controller.answer_finished, 30)
        await settle()
        return result

    assert run_async(again()).exit_code == 0
    final = window.transcript.last_answer()
    assert final is not None
    assert final.text == ANSWER
    assert [g.question for g in nscale.fake.generations] == ["Wie öffne ich eine Akte?"] * 2


def test_the_app_asks_nscale_in_plain_language_and_keeps_the_session(
    tmp_path: Path, restore_app_style: None
) -> None:
    from desktop.app import main
    from desktop.settings import Settings
    from desktop.store.repository import CacheRepository

    settings = tmp_path / "settings.json"
    Settings(extra={"simple_language": True}).save(settings)
    db = tmp_path / "cache.sqlite3"
    with start_fake_nscale(token_delay=0.0) as nscale:
        code = main(
            [
                "--settings", str(settings), "--db", str(db),
                "--server", nscale.url, "--protocol", "nscale", "--token", nscale.login_token(),
                "--ask", "Wie öffne ich eine Akte?", "--quit-when-done",
            ]
        )  # fmt: skip
        (generation,) = nscale.fake.generations
    assert code == 0
    assert generation.simple_language
    assert Settings.load(settings).extra["simple_language"] is True
    with CacheRepository.open(db) as repo:
        (session,) = repo._c.execute("SELECT session_id FROM server_sessions").fetchone()
    assert session == str(generation.session_id)
