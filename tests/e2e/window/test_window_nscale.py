"""The window against the fake nscale-assist: the answer, a restart, a cut and Ask again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.streams import DEFAULT_ANSWER, AnswerScript, timeout_then_answer

from desktop.settings import Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import RunOutcome, StreamBridge
from desktop.ui.conversation.message_view import AnswerState
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


async def ask(window: MainWindow, text: str) -> RunOutcome:
    window.controller.send(text)
    (outcome,) = await next_emission(window.controller.answer_finished, 30)
    await settle()
    return outcome


def test_an_answer_that_started_over_shows_only_the_new_attempt(
    window: MainWindow, nscale: RunningNscale, run_async: Any
) -> None:
    nscale.fake.scripts.append(timeout_then_answer(after=3))
    outcome = run_async(ask(window, "Wie öffne ich eine Akte?"))
    assert outcome.outcome.exit_code == 0
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.note == "The server started the answer over."


def test_a_cut_answer_keeps_its_text_is_marked_interrupted_and_ask_again_answers_anew(
    window: MainWindow, nscale: RunningNscale, run_async: Any
) -> None:
    nscale.fake.scripts.append(AnswerScript(DEFAULT_ANSWER, cut_after=4))
    outcome = run_async(ask(window, "Wie öffne ich eine Akte?"))
    assert outcome.outcome.kind == "interrupted"
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == "".join(DEFAULT_ANSWER[:4])
    assert answer.state is AnswerState.FAILED
    (banner,) = window.banners.banners
    assert "cannot continue an answer" in banner.text
    buttons = banner.findChildren(QPushButton, "bannerAction")
    (ask_again,) = [b for b in buttons if b.text() == "Ask again"]

    async def again() -> RunOutcome:
        ask_again.click()
        (result,) = await next_emission(window.controller.answer_finished, 30)
        await settle()
        return result

    assert run_async(again()).outcome.exit_code == 0
    final = window.transcript.last_answer()
    assert final is not None
    assert final.text == ANSWER
    assert [g.question for g in nscale.fake.generations] == ["Wie öffne ich eine Akte?"] * 2
