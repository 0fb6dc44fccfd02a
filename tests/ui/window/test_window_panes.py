"""The window's panes without a server: routing to the pane in view, and bounded memory."""

from __future__ import annotations

import asyncio
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.main_window import MAX_IDLE_BACKGROUND, MainWindow
from tests.helpers.qt import next_emission, wait_until
from tests.helpers.scripted import answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource


def held_factory() -> ScriptedFactory:
    def make(_request: Any) -> ScriptedSource:
        source = ScriptedSource(answer_events())
        source.paused.clear()  # holds until the test lets it go
        return source

    return ScriptedFactory(make)


def test_finished_background_conversations_beyond_the_limit_are_dropped(
    qtbot: QtBot, run_async: Any
) -> None:
    factory = held_factory()
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    qtbot.addWidget(window)
    count = MAX_IDLE_BACKGROUND + 3

    async def scenario() -> None:
        for i in range(count):
            pane = window.current_pane if i == 0 else window.pane_for(None, show=True)
            pane.controller.send(f"question {i}")
        assert len(window.panes) == count
        assert all(p.running for p in window.panes)
        for source in factory.sources:
            source.paused.set()
        await wait_until(lambda: not window.runners.running, 20)
        await asyncio.sleep(0)

    run_async(scenario())
    last = window.current_pane
    assert len(window.panes) == 1 + MAX_IDLE_BACKGROUND
    assert last in window.panes
    assert window.runners.task_count == 0


def test_menu_actions_act_on_the_pane_in_view(qtbot: QtBot, run_async: Any) -> None:
    factory = held_factory()
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    qtbot.addWidget(window)

    async def scenario() -> None:
        window.controller.send("first")
        first = window.current_pane
        window.new_action.trigger()  # beside a streaming answer: a new pane, nothing stopped
        second = window.current_pane
        assert second is not first
        assert first.running
        assert not window.stop_action.isEnabled()  # the pane in view has nothing to stop
        second.controller.send("second")
        assert window.stop_action.isEnabled()
        ends = asyncio.gather(
            next_emission(first.controller.answer_finished, 10),
            next_emission(second.controller.answer_finished, 10),
        )
        await asyncio.sleep(0)
        window.stop_action.trigger()
        for source in factory.sources:
            source.paused.set()
        (first_outcome,), (second_outcome,) = await ends
        assert second_outcome.kind == "stopped"
        assert first_outcome.kind == "done"  # Esc stopped only the one in view

    run_async(scenario())
    first_answer = window.panes[0].transcript.last_answer()
    assert first_answer is not None
    assert first_answer.state.value == "done"


def test_a_pane_with_a_draft_is_kept_when_switched_away_from(qtbot: QtBot, run_async: Any) -> None:
    factory = held_factory()
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    qtbot.addWidget(window)

    async def scenario() -> None:
        window.controller.send("first")
        streaming = window.current_pane
        window.new_action.trigger()
        drafting = window.current_pane
        drafting.input_box.editor.setPlainText("half a question")
        window.show_pane(streaming)
        assert drafting in window.panes  # its draft waits
        window.show_pane(drafting)
        assert drafting.input_box.editor.toPlainText() == "half a question"
        drafting.input_box.editor.clear()
        window.show_pane(streaming)
        assert drafting not in window.panes  # nothing to lose now
        for source in factory.sources:
            source.paused.set()
        await wait_until(lambda: not window.runners.running, 10)

    run_async(scenario())
