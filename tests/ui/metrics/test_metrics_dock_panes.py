"""The metrics dock charts the conversation in view, while every conversation's answers are
recorded: switching panes shows that pane's running (or last) answer.

A real window with the history attached and the dock wired as the app wires it, against the
reference server on a loopback socket. Each scripted answer holds at a gate half way, so two
answers provably stream at the same time while the test switches between them (no timing).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from servers.scripted_backend import ScriptedBackend
from servers.server_thread import ServerThread

from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.protocol.answer_status import AnswerStatus
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.metrics.dock import MetricsDock
from tests.helpers.gated_answers import HalfwayGates
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows
from tests.helpers.qt import next_emission, settle, wait_until

pytestmark = pytest.mark.e2e

TOKEN = "metrics-panes-token"
WORDS = 20
HALF = WORDS // 2
FIRST, SECOND = "Erste Frage zum Export", "Zweite Frage zum Import"


@pytest.fixture
def gates() -> Iterator[HalfwayGates]:
    made = HalfwayGates((FIRST, SECOND), WORDS)
    yield made
    made.open_all()  # a failed test must not leave the server's streams waiting


@pytest.fixture
def server(gates: HalfwayGates) -> Iterator[ServerThread]:
    with ServerThread(backend=ScriptedBackend(gates.script), token=TOKEN) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


def with_dock(item: HistoryWindow) -> MetricsDock:
    dock = MetricsDock()
    item.window.set_metrics_widget(dock)
    dock.follow(item.window)
    return dock


def recorder_of(dock: MetricsDock, pane: ConversationPane) -> StreamMetricsRecorder:
    session = pane.bridge.session
    assert session is not None
    followed = dock.metrics_of(session)
    assert followed is not None
    return followed[0]


def shown_tokens(dock: MetricsDock) -> str:
    dock.panel.refresh(force=True)
    return dock.panel.figures.text("tokens")


async def ask_in_new_pane(item: HistoryWindow, question: str) -> ConversationPane:
    if item.window.transcript.messages:
        item.window.new_action.trigger()
    pane = item.window.current_pane
    pane.controller.send(question)
    await wait_until(lambda: pane.progress.tokens >= HALF, 20)
    await settle()
    return pane


def test_the_dock_follows_the_pane_in_view_and_keeps_recording_the_others(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates
) -> None:
    item = make_window(tmp_path / "cache.sqlite3", url=server.url, token=TOKEN)
    window = item.window
    dock = with_dock(item)

    async def scenario() -> None:
        first = await ask_in_new_pane(item, FIRST)
        assert dock.panel.recorder is recorder_of(dock, first)
        second = await ask_in_new_pane(item, SECOND)
        assert [first.running, second.running] == [True, True]
        assert dock.panel.recorder is recorder_of(dock, second)  # the one in view
        assert shown_tokens(dock) == str(HALF)

        # back to the first, which started earlier: its answer, where it stands
        item.wh.history.open(first.conversation_id)
        await item.idle()
        assert window.current_pane is first
        assert dock.panel.recorder is recorder_of(dock, first)
        assert shown_tokens(dock) == str(HALF)

        # the second ends out of view: recorded all the same, the dock stays on the first
        finished = next_emission(second.controller.answer_finished, 20)
        gates.by_question[SECOND].set()
        (outcome,) = await finished
        assert outcome.status is AnswerStatus.DONE
        assert recorder_of(dock, second).tokens == WORDS
        assert recorder_of(dock, second).finished_at is not None
        assert dock.panel.recorder is recorder_of(dock, first)
        assert shown_tokens(dock) == str(HALF)

        # and switching back shows its figures, finished
        item.wh.history.open(second.conversation_id)
        await item.idle()
        assert window.current_pane is second
        assert dock.panel.recorder is recorder_of(dock, second)
        assert shown_tokens(dock) == str(WORDS)

        # the first, still running, comes back into view; beside it, a new conversation has
        # no answer yet: nothing of another one is charted there
        item.wh.history.open(first.conversation_id)
        await item.idle()
        assert dock.panel.recorder is recorder_of(dock, first)
        window.new_action.trigger()
        await settle()
        assert window.current_pane is not first
        assert first.running
        assert dock.panel.recorder not in (recorder_of(dock, first), recorder_of(dock, second))
        assert shown_tokens(dock) == "0"

        # and the first ends in view, live
        item.wh.history.open(first.conversation_id)
        await item.idle()
        assert dock.panel.recorder is recorder_of(dock, first)
        finished = next_emission(first.controller.answer_finished, 20)
        gates.by_question[FIRST].set()
        await finished
        assert shown_tokens(dock) == str(WORDS)

    run_async(scenario())
