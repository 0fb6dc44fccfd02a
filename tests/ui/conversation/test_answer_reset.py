"""A ``reset`` in the window: the visible answer starts over, with a small note saying so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.markdown.render import MarkdownColors
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, Reset, StreamEvent, Token
from desktop.settings import Settings
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission
from tests.helpers.scripted import ANSWER, answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource

RESTART_NOTE = "The server started the answer over."


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    window = MainWindow(StreamBridge(None), Settings(theme="light"))
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    yield window
    window.bridge.close()


def test_restart_clears_the_text_and_what_was_rendered(qtbot: QtBot) -> None:
    view = AssistantMessageView(MarkdownColors())
    qtbot.addWidget(view)
    view.push_token("# Erster Versuch\n\nAbsatz eins.\n\n")
    view.flush()
    view.push_token("noch nicht gezeigt")  # pending, not yet flushed: dropped as well
    assert view.markdown.segment_count > 0
    view.restart()
    assert (view.text, view.markdown.segment_count, view.markdown.live_tail_text) == ("", 0, "")
    assert view.note == RESTART_NOTE
    view.push_token("Zweiter Versuch.")
    view.finish(AnswerStatus.DONE)
    qtbot.waitUntil(lambda: view.finalized)
    assert view.text == "Zweiter Versuch."
    assert view.note == RESTART_NOTE  # a complete answer keeps saying it was started over


def test_the_window_shows_only_the_attempt_after_the_reset(
    window: MainWindow, run_async: Any
) -> None:
    events = answer_events(finish="")
    abandoned: list[StreamEvent] = [
        *events[:-5], Reset(900, "upstream_retry", "Zeitüberschreitung")
    ]  # fmt: skip
    again = [
        Token(901 + i, piece.content, 100 + i)
        for i, piece in enumerate(e for e in events if isinstance(e, Token))
    ]
    script = [*abandoned, *again, Done(901 + len(again), "stop")]
    window.bridge.factory = ScriptedFactory(lambda r: ScriptedSource(script))

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.note == RESTART_NOTE
    window.input_box.copy_button.click()
    assert QGuiApplication.clipboard().text() == ANSWER
