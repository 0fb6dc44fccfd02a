"""The offline queue in real windows: the server is down at the ask and up later.

The server is the reference server with a scripted backend on a loopback socket that is bound
but not listening until the test starts it (connections are refused, as from a server that is
down); the health probe's backoff waits on a gate the test opens, so nothing depends on timing.
The cache is a real file that a second window opens, as a restarted app would.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot
from servers.scripted_backend import ScriptedBackend, Step
from servers.server_thread import ServerThread

from desktop.protocol.events import Done, Token, Usage
from desktop.protocol.request import ChatRequest
from desktop.store.queued_rows import load_queued
from desktop.store.repository import CacheRepository
from desktop.streaming.health_probe import HealthProbe
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.conversation.network_watch import Reachability
from desktop.ui.history.list_items import STATE_ROLE
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows, record_answer
from tests.helpers.qt import next_emission, wait_until

pytestmark = pytest.mark.e2e

TOKEN = "queue-token"
QUESTION = "Wie exportiere ich eine Unterhaltung?"


def answer_of(message: str) -> str:
    return f"Antwort auf {message}"


def script(request: ChatRequest, _attempt: int) -> list[Step]:
    words = answer_of(request.message).split(" ")
    steps = [Step(Token(0, w if i == 0 else " " + w, 0)) for i, w in enumerate(words)]
    return [*steps, Step(Done(0, "stop", Usage(1, len(words))))]


class Gate:
    """The probe's backoff sleep: it returns only when the test opens the gate."""

    def __init__(self) -> None:
        self.sleeping = 0
        self._open = asyncio.Event()

    async def sleep(self, _delay: float) -> None:
        self.sleeping += 1
        await self._open.wait()

    def open(self) -> None:
        self._open.set()


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


@pytest.fixture
def down_url() -> Iterator[str]:
    """A loopback address where nothing listens: bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def watch(item: HistoryWindow, gate: Gate) -> None:
    factory = item.factory
    item.window.offline_queue.set_probe(
        HealthProbe(factory.client, factory.config, sleep=gate.sleep)
    )


def cached(db: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The messages (role, text) of every conversation, and the queued questions' texts."""
    with CacheRepository.open(db) as repository:
        messages = [
            (m.role, m.text)
            for summary in repository.list_conversations()
            for m in repository.get_conversation(summary.id).messages
        ]
        queued = [q.text for q in repository.queued_questions()]
    return messages, queued


class Offline(NamedTuple):
    db: Path
    server: ServerThread
    item: HistoryWindow
    gate: Gate


def before_its_server(tmp_path: Path, make_window: Maker) -> Offline:
    """A window (with its cache) on a server that is not listening yet, the probe's backoff
    held at a gate the test opens."""
    db = tmp_path / "cache.sqlite3"
    server = ServerThread(backend=ScriptedBackend(script), token=TOKEN)
    item = make_window(db, url=server.url, token=TOKEN)
    gate = Gate()
    watch(item, gate)
    return Offline(db, server, item, gate)


async def queue_one(item: HistoryWindow, text: str) -> None:
    queued = asyncio.ensure_future(next_emission(item.window.offline_queue.queued, 30))
    await asyncio.sleep(0)
    item.window.controller.send(text)
    await queued
    await asyncio.sleep(0.05)  # the withdrawal is written after the queued signal's event
    await item.written()


def test_a_question_asked_while_the_server_is_down_is_answered_when_it_is_back(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db, server, item, gate = before_its_server(tmp_path, make_window)
    seen: dict[str, Any] = {}

    async def scenario() -> None:
        await queue_one(item, QUESTION)
        seen["while_down"] = cached(db)
        seen["cards"] = [v.question.text for v in item.window.transcript.queued]
        seen["messages"] = len(item.window.transcript.messages)
        seen["status"] = item.window.connection.state
        await wait_until(lambda: gate.sleeping == 1)  # the probe found no server either
        await asyncio.to_thread(server.start)
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished))
        gate.open()
        await finished
        await item.written()

    try:
        run_async(scenario())
    finally:
        server.stop()
    assert seen["while_down"] == ([], [QUESTION])
    assert (seen["cards"], seen["messages"], seen["status"]) == ([QUESTION], 0, "queued")
    views = item.window.transcript.messages
    assert [type(v) for v in views] == [UserMessageView, AssistantMessageView]
    answer = views[1]
    assert isinstance(answer, AssistantMessageView)
    assert answer.text == answer_of(QUESTION)
    assert item.window.transcript.queued == []
    assert cached(db) == ([("user", QUESTION), ("assistant", answer_of(QUESTION))], [])


def test_a_queued_question_survives_a_restart_and_goes_out_after_it(
    tmp_path: Path, make_window: Maker, run_async: Any, down_url: str
) -> None:
    db = tmp_path / "cache.sqlite3"
    first = make_window(db, url=down_url, token=TOKEN)
    run_async(queue_one(first, QUESTION))
    conversation_id = first.window.controller.conversation_id
    first.wh.close()  # the app quits with the question queued
    first.history = None
    with load_queued_connection(db) as rows:
        assert [(q.conversation_id, q.text) for q in rows] == [(conversation_id, QUESTION)]

    with ServerThread(backend=ScriptedBackend(script), token=TOKEN) as server:
        second = make_window(db, url=server.url, token=TOKEN)

        async def scenario() -> Any:
            finished = asyncio.ensure_future(next_emission(second.window.answer_finished, 30))
            await asyncio.sleep(0)
            watch(second, Gate())  # in the loop, as the app connects: the probe runs in it
            (pane, _outcome) = await finished
            await second.written()
            return pane

        pane = run_async(scenario())
    assert pane.conversation_id == conversation_id
    answer = pane.transcript.last_answer()
    assert answer is not None
    assert answer.text == answer_of(QUESTION)
    assert cached(db) == ([("user", QUESTION), ("assistant", answer_of(QUESTION))], [])


class load_queued_connection:
    def __init__(self, db: Path) -> None:
        self._repository = CacheRepository.open(db)

    def __enter__(self) -> list[Any]:
        return load_queued(self._repository.opened.connection)

    def __exit__(self, *exc: object) -> None:
        self._repository.close()


def test_queued_questions_can_be_edited_and_cancelled_and_new_ones_wait_without_a_try(
    tmp_path: Path, make_window: Maker, run_async: Any, down_url: str
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=down_url, token=TOKEN)
    started: list[ChatRequest] = []
    item.window.bridge.answer_started.connect(started.append)

    async def scenario() -> None:
        await queue_one(item, QUESTION)
        await queue_one(item, "Und als HTML?")
        first, second = item.window.transcript.queued
        first.begin_edit()
        first.editor.setPlainText("Wie drucke ich?")
        first.save_button.click()
        second.cancel_button.click()
        await item.written()

    run_async(scenario())
    assert len(started) == 1  # the second question was queued at once, without a try
    (card,) = item.window.transcript.queued
    assert card.text_label.text() == "Wie drucke ich?"
    assert card.accessibleName() == "Queued question: Wie drucke ich?, waiting for the server"
    assert cached(db) == ([], ["Wie drucke ich?"])
    row = item.wh.sidebar.list.item(1)  # under the "Today" heading
    assert row.data(STATE_ROLE) == "◌ queued"  # a shape and a word, not colour alone


def test_a_bounded_wait_gives_up_and_keeps_the_question_queued(
    tmp_path: Path, make_window: Maker, run_async: Any, down_url: str
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=down_url, token=TOKEN)
    queue = item.window.offline_queue
    queue.give_up_after = 2  # as --quit-when-done sets it (to the profile's attempts)

    async def no_wait(_delay: float) -> None:
        return None

    factory = item.factory
    queue.set_probe(HealthProbe(factory.client, factory.config, sleep=no_wait))

    async def scenario() -> tuple[Any, ...]:
        gave_up = asyncio.ensure_future(next_emission(queue.gave_up, 30))
        await queue_one(item, QUESTION)
        return await gave_up

    assert run_async(scenario()) == (2,)
    assert cached(db) == ([], [QUESTION])


def test_the_network_coming_back_probes_at_once_instead_of_after_the_backoff(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db, server, item, gate = before_its_server(
        tmp_path, make_window
    )  # never opened: only the network coming back ends the backoff
    queue = item.window.offline_queue

    async def scenario() -> int:
        await queue_one(item, QUESTION)
        await wait_until(lambda: gate.sleeping == 1)
        await asyncio.to_thread(server.start)
        probe = queue.probe
        assert probe is not None
        tries = probe.tries
        queue.network_changed(Reachability.Disconnected)  # still off: nothing to try
        await asyncio.sleep(0.05)
        not_woken = probe.tries - tries
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished))
        queue.network_changed(Reachability.Online)  # what the reachability backend reports
        await finished
        await item.written()
        return not_woken

    try:
        assert run_async(scenario()) == 0
    finally:
        server.stop()
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.text == answer_of(QUESTION)
    assert gate.sleeping == 1
    assert cached(db) == ([("user", QUESTION), ("assistant", answer_of(QUESTION))], [])


def test_the_window_listens_to_the_systems_reachability(
    tmp_path: Path, make_window: Maker, run_async: Any, down_url: str
) -> None:
    item = make_window(tmp_path / "cache.sqlite3", url=down_url, token=TOKEN)
    information = QNetworkInformation.instance()
    # Qt ships a reachability backend for every desktop it runs on (GLib's on Linux).
    assert information is not None, "no network reachability backend loaded"
    gate = Gate()
    watch(item, gate)
    queue = item.window.offline_queue

    async def scenario() -> int:
        await queue_one(item, QUESTION)
        await wait_until(lambda: gate.sleeping == 1)
        probe = queue.probe
        assert probe is not None
        tries = probe.tries
        information.reachabilityChanged.emit(Reachability.Site)
        await wait_until(lambda: gate.sleeping == 2)  # woken, probed (still down), backs off
        return probe.tries - tries

    assert run_async(scenario()) == 1
    assert cached(tmp_path / "cache.sqlite3") == ([], [QUESTION])


OLD_ANSWER = "Alte Antwort"


async def open_answered(item: HistoryWindow) -> str:
    """A conversation answered earlier (as a run of the app left it in the cache), shown."""
    recorder = record_answer(
        item.wh.writer,
        QUESTION,
        [Token(0, OLD_ANSWER, 0), Done(1, "stop", Usage(1, 2))],
        final_state="done",
    )
    item.wh.history.open(recorder.conversation_id)
    await wait_until(lambda: item.window.controller.conversation_id == recorder.conversation_id)
    await item.idle()
    return recorder.conversation_id


async def queue_by(item: HistoryWindow, action: Callable[[], None]) -> None:
    queued = asyncio.ensure_future(next_emission(item.window.offline_queue.queued, 30))
    await asyncio.sleep(0)
    action()
    await queued
    await asyncio.sleep(0.05)  # the withdrawal is written after the queued signal's event
    await item.written()


def chosen(db: Path) -> list[tuple[str, str, bool]]:
    with CacheRepository.open(db) as repository:
        return [
            (m.role, m.text, m.chosen)
            for summary in repository.list_conversations()
            for m in repository.get_conversation(summary.id).messages
        ]


async def back_and_answered(item: HistoryWindow, server: ServerThread, gate: Gate, n: int) -> None:
    """The server comes back; wait for ``n`` answers."""
    await wait_until(lambda: gate.sleeping >= 1)  # the probe found no server either
    await asyncio.to_thread(server.start)
    done: list[object] = []
    item.window.controller.answer_finished.connect(done.append)
    gate.open()
    await wait_until(lambda: len(done) == n, 30)
    await item.written()


def test_a_regenerate_that_finds_no_server_waits_and_the_earlier_answer_stays_shown(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db, server, item, gate = before_its_server(tmp_path, make_window)
    controller = item.window.controller
    seen: dict[str, Any] = {}

    async def scenario() -> None:
        await open_answered(item)
        await queue_by(item, controller.regenerate)
        seen["queued"] = [(q.kind, q.text) for q in item.window.offline_queue.model]
        seen["shown"] = [v.text for v in item.window.transcript.messages]
        seen["card_edit"] = item.window.transcript.queued[0].edit_button.isVisibleTo(
            item.window.transcript.queued[0]
        )
        seen["cache"] = (chosen(db), cached(db)[1])
        await back_and_answered(item, server, gate, 1)

    try:
        run_async(scenario())
    finally:
        server.stop()
    assert seen["queued"] == [("regenerate", QUESTION)]
    assert seen["shown"] == [QUESTION, OLD_ANSWER]
    assert seen["card_edit"] is False  # a regenerate has no text of its own to edit
    assert seen["cache"] == (
        [("user", QUESTION, True), ("assistant", OLD_ANSWER, True)],
        [QUESTION],
    )
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.text == answer_of(QUESTION)
    assert answer.alternative_label.text() == "2 / 2"
    assert chosen(db) == [
        ("user", QUESTION, True),
        ("assistant", OLD_ANSWER, False),
        ("assistant", answer_of(QUESTION), True),
    ]
    assert cached(db)[1] == []


def test_an_edit_that_finds_no_server_waits_in_place_of_the_last_exchange(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db, server, item, gate = before_its_server(tmp_path, make_window)
    edited = "Wie drucke ich?"
    seen: dict[str, Any] = {}

    async def scenario() -> None:
        await open_answered(item)
        await queue_by(item, lambda: item.window.controller.edit_last_question(edited))
        seen["shown"] = [v.text for v in item.window.transcript.messages]
        seen["cache"] = cached(db)
        await back_and_answered(item, server, gate, 1)

    try:
        run_async(scenario())
    finally:
        server.stop()
    assert seen["shown"] == []  # the try replaced the exchange; its question waits
    assert seen["cache"] == ([], [edited])
    assert [v.text for v in item.window.transcript.messages] == [edited, answer_of(edited)]
    assert cached(db) == ([("user", edited), ("assistant", answer_of(edited))], [])


def test_while_the_server_is_down_regenerate_and_edit_wait_without_a_try_and_go_in_order(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db, server, item, gate = before_its_server(tmp_path, make_window)
    controller = item.window.controller
    started: list[ChatRequest] = []
    item.window.bridge.answer_started.connect(started.append)
    edited = "Wie drucke ich?"
    seen: dict[str, Any] = {}

    async def scenario() -> None:
        await open_answered(item)
        await queue_by(item, controller.regenerate)  # tried: the server is not known down yet
        await queue_by(item, lambda: controller.edit_last_question(edited))  # no try
        seen["tries"] = len(started)
        seen["queued"] = [(q.kind, q.text) for q in item.window.offline_queue.model]
        seen["shown"] = [v.text for v in item.window.transcript.messages]
        await back_and_answered(item, server, gate, 2)

    try:
        run_async(scenario())
    finally:
        server.stop()
    assert seen["tries"] == 1
    assert seen["queued"] == [("regenerate", QUESTION), ("edit", edited)]
    assert seen["shown"] == [QUESTION, OLD_ANSWER]  # nothing changes until they go out
    assert [v.text for v in item.window.transcript.messages] == [edited, answer_of(edited)]
    # the regenerate went out first (its answer was an alternative), then the edit replaced it all
    assert [r.message for r in started[1:]] == [QUESTION, edited]
    assert cached(db) == ([("user", edited), ("assistant", answer_of(edited))], [])
