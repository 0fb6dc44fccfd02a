"""Several conversations at once: each pane streams its own answer, in view or in the background.

Real windows with the history attached, against the reference server on a loopback socket with a
scripted backend: each question's answer is known word for word and holds at a gate half way, so
the answers are provably streaming at the same time while the test switches between them (no
timing). The cache is a real SQLite file, read back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from servers.scripted_backend import ScriptedBackend, answer_words, expected_text
from servers.server_thread import ServerThread

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Reconnecting, Resumed, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.store.answer_rows import title_from
from desktop.store.repository import CacheRepository
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.history.list_items import STATE_ROLE
from desktop.ui.history.sidebar import ID_ROLE
from tests.helpers.gated_answers import HalfwayGates
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows
from tests.helpers.qt import next_emission, settle, wait_until

pytestmark = pytest.mark.e2e

TOKEN = "concurrent-token"
WORDS = 24
HALF = WORDS // 2
QUESTIONS = ("Erste Frage zum Export", "Zweite Frage zum Import", "Dritte Frage zum Drucken")


@pytest.fixture
def gates() -> Iterator[HalfwayGates]:
    made = HalfwayGates(QUESTIONS, WORDS)
    yield made
    made.open_all()  # a failed test must not leave the server's streams waiting


@pytest.fixture
def server(gates: HalfwayGates) -> Iterator[ServerThread]:
    with ServerThread(backend=ScriptedBackend(gates.script), token=TOKEN) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


def expected(question: str) -> str:
    return expected_text(ChatRequest(message=question), WORDS)


def half(question: str) -> str:
    return "".join(answer_words(ChatRequest(message=question), WORDS)[:HALF])


def answer_text(pane: ConversationPane) -> str:
    answer = pane.transcript.last_answer()
    assert answer is not None
    return answer.text


def cached_answer(db: Path, conversation_id: str) -> tuple[str, str]:
    """The last answer's text and stream state as the cache holds them."""
    with CacheRepository.open(db) as repository:
        record = repository.get_conversation(conversation_id, token_events=False)
    message = [m for m in record.messages if m.role == "assistant"][-1]
    assert message.stream is not None
    return message.text, message.stream.state


def sidebar_marks(item: HistoryWindow) -> dict[str, str]:
    """Each listed conversation's state mark ("" when plainly done)."""
    rows = item.wh.sidebar.list
    return {
        rows.item(r).data(ID_ROLE): str(rows.item(r).data(STATE_ROLE) or "")
        for r in range(rows.count())
        if rows.item(r).data(ID_ROLE) is not None
    }


async def start_in_new_pane(item: HistoryWindow, question: str) -> ConversationPane:
    """New conversation (beside whatever streams), ask, and wait until its answer holds."""
    window = item.window
    if window.transcript.messages:
        window.new_action.trigger()
    pane = window.current_pane
    pane.controller.send(question)
    await wait_until(lambda: pane.progress.tokens >= HALF, 20)
    await settle()
    return pane


@pytest.mark.parametrize("count", [2, 3])
def test_conversations_stream_at_once_and_switching_keeps_each_exact(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates,
    count: int,
) -> None:  # fmt: skip
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    window = item.window
    questions = QUESTIONS[:count]

    async def scenario() -> list[ConversationPane]:
        panes = [await start_in_new_pane(item, q) for q in questions]
        await item.written()
        # every one is streaming now, each holding at its half, each in its own pane
        assert [p.running for p in panes] == [True] * count
        assert len(set(panes)) == count
        assert window.current_pane is panes[-1]
        assert [answer_text(p) for p in panes] == [half(q) for q in questions]
        ids = [p.conversation_id for p in panes]
        marks = sidebar_marks(item)
        assert all(marks[i] for i in ids)  # every row says it is answering
        assert item.wh.sidebar.list.currentItem().data(ID_ROLE) == ids[-1]  # the row in view

        # switch to the first from the history: the same pane, exactly where it stands
        item.wh.history.open(ids[0])
        await item.idle()
        assert window.current_pane is panes[0]
        assert window.transcript is panes[0].transcript
        assert window.status_stack.currentWidget() is panes[0].connection
        assert answer_text(panes[0]) == half(questions[0])
        assert item.wh.sidebar.list.currentItem().data(ID_ROLE) == ids[0]

        # the last one ends in the background, the first one in view
        for pane, question in ((panes[-1], questions[-1]), (panes[0], questions[0])):
            finished = next_emission(pane.controller.answer_finished, 20)
            gates.open(question)
            (outcome,) = await finished
            assert outcome.status is AnswerStatus.DONE
            await item.written()
            assert not sidebar_marks(item)[pane.conversation_id]  # live: that row no more
        assert all(sidebar_marks(item)[i] for i in ids[1:-1])  # the middle still answers
        gates.open_all()
        for pane in panes[1:-1]:
            if pane.running:
                await next_emission(pane.controller.answer_finished, 20)
        await item.written()
        return panes

    panes = run_async(scenario())
    for pane, question in zip(panes, questions, strict=True):
        assert answer_text(pane) == expected(question)
        assert cached_answer(db, pane.conversation_id) == (expected(question), "done")
        assert len(pane.transcript.messages) == 2  # its own question and answer only
    assert not any(sidebar_marks(item).values())


def test_a_background_conversation_whose_connection_drops_resumes_there(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    window = item.window
    first_question, second_question = QUESTIONS[:2]
    events: list[StreamEvent] = []
    states: list[str] = []
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    in_background = f"Answer finished in {title_from(first_question)}."

    async def scenario() -> tuple[ConversationPane, ConversationPane]:
        first = await start_in_new_pane(item, first_question)
        first.bridge.event_received.connect(events.append)
        first.bridge.event_received.connect(lambda _e: states.append(first.connection.state))
        second = await start_in_new_pane(item, second_question)
        assert window.current_pane is second
        first.bridge.drop_connection()  # the first one, in the background, loses its socket
        await wait_until(lambda: any(isinstance(e, Reconnecting) for e in events), 20)
        assert window.connection is second.connection  # the status bar shows the one in view
        assert second.connection.state == "streaming"
        finished = next_emission(first.controller.answer_finished, 20)
        gates.open(first_question)
        (outcome,) = await finished
        assert outcome.status is AnswerStatus.DONE
        await wait_until(lambda: in_background in said, 20)  # said once the throttle lets it
        finished = next_emission(second.controller.answer_finished, 20)
        gates.open(second_question)
        await finished
        await item.written()
        return first, second

    first, second = run_async(scenario())
    assert any(isinstance(e, Resumed) for e in events)
    assert "reconnecting" in states
    assert said.count(in_background) == 1
    assert "Connection lost, reconnecting." not in said  # not the one in view: not followed
    assert answer_text(first) == expected(first_question)
    assert answer_text(second) == expected(second_question)
    assert cached_answer(db, first.conversation_id) == (expected(first_question), "done")
    assert cached_answer(db, second.conversation_id) == (expected(second_question), "done")


def test_new_conversation_while_idle_starts_over_in_place_with_undo(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates
) -> None:
    item = make_window(tmp_path / "cache.sqlite3", url=server.url, token=TOKEN)
    window = item.window
    gates.open_all()
    run_async(item.ask(QUESTIONS[0]))
    pane = window.current_pane
    window.new_action.trigger()
    assert window.current_pane is pane
    assert window.panes == [pane]
    assert not pane.transcript.messages
    pane.controller.undo_new_conversation()
    assert answer_text(pane) == expected(QUESTIONS[0])


def test_an_idle_pane_switched_away_from_is_dropped_and_reopens_from_the_cache(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    window = item.window
    gates.open(QUESTIONS[0])

    async def scenario() -> tuple[ConversationPane, str]:
        await item.ask(QUESTIONS[0])
        done_id = window.controller.conversation_id
        window.new_action.trigger()  # idle: in place
        streaming = await start_in_new_pane(item, QUESTIONS[1])
        item.wh.history.open(done_id)  # the streaming one is in view: a new pane opens
        await item.idle()
        assert window.current_pane is not streaming
        assert streaming.running
        assert answer_text(window.current_pane) == expected(QUESTIONS[0])
        reopened = window.current_pane
        window.show_pane(streaming)  # back: the idle pane goes, its conversation is cached
        assert reopened not in window.panes
        assert window.pane_for(done_id, show=False) is not reopened
        finished = next_emission(streaming.controller.answer_finished, 20)
        gates.open(QUESTIONS[1])
        await finished
        await item.written()
        return streaming, done_id

    streaming, done_id = run_async(scenario())
    background = window.live_pane(done_id)
    assert background is not None  # pane_for(..., show=False) loaded it from the cache
    assert answer_text(background) == expected(QUESTIONS[0])
    assert answer_text(streaming) == expected(QUESTIONS[1])


def test_pane_for_sends_a_follow_up_in_a_background_conversation(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, gates: HalfwayGates
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    window = item.window
    gates.open_all()
    run_async(item.ask(QUESTIONS[0]))
    first_id = window.controller.conversation_id
    window.new_action.trigger()
    run_async(item.ask(QUESTIONS[1]))
    in_view = window.current_pane
    requests: list[ChatRequest] = []

    async def follow_up() -> ConversationPane:
        pane = window.pane_for(first_id, show=False)
        pane.bridge.answer_started.connect(requests.append)
        finished = next_emission(pane.controller.answer_finished, 20)
        pane.controller.send(QUESTIONS[2])
        await finished
        await item.written()
        return pane

    pane = run_async(follow_up())
    assert window.current_pane is in_view
    assert pane.conversation_id == first_id
    assert [[(h.role, h.content) for h in r.history] for r in requests] == [
        [("user", QUESTIONS[0]), ("assistant", expected(QUESTIONS[0]))]
    ]
    assert cached_answer(db, first_id) == (expected(QUESTIONS[2]), "done")
