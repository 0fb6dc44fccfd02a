"""Crash resume in the window: answers a dead process left ``streaming`` continue in place."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, StreamStarted, Token
from desktop.protocol.request import ChatRequest
from desktop.server.embedded import EmbeddedServer
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import EMBEDDED_PROTOCOL
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource
from desktop.ui.widgets.banner import Banner
from tests.helpers.history_kit import (
    HistoryWindow,
    Maker,
    history_windows,
    record_answer,
    wait_idle,
)
from tests.helpers.qt import next_emission, settle

pytestmark = pytest.mark.e2e

QUESTION = "Wie exportiere ich eine Unterhaltung?"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(token_rate=150) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


async def stream_until_cut(server: EmbeddedServer, db: Path, tokens: int = 8) -> int:
    """Record an answer until ``tokens`` arrived, then drop everything as a crash would.

    The recorder is never closed, so the cache keeps the stream ``streaming``; the server goes
    on writing the answer into its log. Returns the message id.
    """
    config = ClientConfig(server.url, token=server.token)
    request = ChatRequest(QUESTION)
    writer = CacheWriter(db)
    recorder = AnswerRecorder.start(
        writer, server_url=server.url, protocol="assist", request=request, checkpoint_interval=0
    )
    received = 0
    async with make_client(config) as client:
        events = ReconnectingEventSource(client, config, request).events()
        async for event in events:
            recorder(event, time.monotonic())
            received += isinstance(event, Token)
            if received >= tokens:
                break
        await events.aclose()  # type: ignore[attr-defined]
    writer.flush()
    writer.close()
    return recorder.message_id


async def whole_answer(server: EmbeddedServer, stream_id: str) -> str:
    """The answer as the server's log holds it, read from its first event."""
    config = ClientConfig(server.url, token=server.token)
    async with make_client(config) as client:
        source = ReconnectingEventSource(client, config, stream_id=stream_id)
        return "".join([e.content async for e in source.events() if isinstance(e, Token)])


def banner_action(banner: Banner, text: str) -> QPushButton:
    (button,) = [b for b in banner.findChildren(QPushButton) if b.text() == text]
    return button


async def resume_all(item: HistoryWindow) -> None:
    (banner,) = item.window.banners.banners
    finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
    await asyncio.sleep(0)
    banner_action(banner, "Resume all").click()
    await finished
    await settle()
    await item.written()


def test_an_answer_cut_off_by_a_crash_resumes_in_place_to_the_exact_text(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    message_id = run_async(stream_until_cut(server, db))
    with CacheRepository.open(db) as repository:
        cut = repository.stream(str(message_id))
    assert cut.state == "streaming"
    assert cut.text
    assert cut.stream_id is not None

    item = make_window(db, url=server.url, token=server.token)
    assert [s.message_id for s in item.opened.interrupted] == [message_id]
    (banner,) = item.window.banners.banners
    assert banner.text == "An answer was interrupted when the app last closed."
    run_async(resume_all(item))

    full = run_async(whole_answer(server, cut.stream_id))
    assert full.startswith(cut.text)
    assert len(full) > len(cut.text)
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.text == full
    assert answer.state is AnswerStatus.DONE
    assert item.window.transcript.messages[0].text == QUESTION
    with CacheRepository.open(db) as repository:
        done = repository.stream(str(message_id))
        assert (done.state, done.text) == ("done", full)
        assert repository.resumable_streams() == []


def test_a_stream_the_server_no_longer_holds_keeps_its_partial_text(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    message_id = run_async(stream_until_cut(server, db))
    with sqlite3.connect(db) as connection:  # as if the server had restarted without Redis
        connection.execute(
            "UPDATE streams SET stream_id = 'unknown-stream' WHERE message_id = ?", (message_id,)
        )
    connection.close()
    item = make_window(db, url=server.url, token=server.token)
    partial = item.opened.interrupted[0].text
    assert partial
    run_async(resume_all(item))

    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.text == partial
    assert answer.state is AnswerStatus.INTERRUPTED
    assert "no longer holds the rest of this answer" in answer.note
    assert any("no longer holds" in b.text for b in item.window.banners.banners)
    with CacheRepository.open(db) as repository:
        kept = repository.stream(str(message_id))
    assert (kept.state, kept.text) == ("interrupted", partial)


def test_an_answer_of_the_embedded_demo_says_plainly_it_cannot_resume(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    with CacheWriter(db) as writer:
        for question in ("Erste Frage", "Zweite Frage"):
            record_answer(
                writer,
                question,
                [StreamStarted(1, "s-" + question[0]), Token(2, "Teil", 0)],
                server_url="http://127.0.0.1:9",
                protocol=EMBEDDED_PROTOCOL,
                final_state=None,  # the app died mid-answer
            )
    item = make_window(db)
    (banner,) = item.window.banners.banners
    assert banner.text == "2 answers were interrupted when the app last closed."
    banner_action(banner, "Resume all").click()
    wait_idle(qtbot, item)
    wait_idle(qtbot, item)
    assert [b.text for b in item.window.banners.banners] == [
        "This answer cannot be resumed: it came from the built-in demo server, which keeps "
        "no answers once the window has closed. The text so far is kept."
    ]
    assert item.window.controller.conversation_id == item.opened.interrupted[1].conversation_id
    assert item.resumed == []  # no connection was even tried
    answer = item.window.transcript.last_answer()
    assert answer is not None
    qtbot.waitUntil(lambda: answer.finalized)
    assert answer.text == "Teil"
    assert answer.state is AnswerStatus.INTERRUPTED


def test_show_opens_the_first_interrupted_answer(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    with CacheWriter(db) as writer:
        first = record_answer(writer, "Erste Frage", [StreamStarted(1, "s-1"), Token(2, "A", 0)])
        record_answer(writer, "Zweite Frage", [StreamStarted(1, "s-2"), Token(2, "B", 0)])
        record_answer(
            writer,
            "Fertig",
            [StreamStarted(1, "s-3"), Token(2, "C", 0), Done(3, "stop")],
            final_state="done",
        )
    item = make_window(db)
    (banner,) = item.window.banners.banners
    assert banner.text.startswith("2 answers")
    banner_action(banner, "Show").click()
    wait_idle(qtbot, item)
    assert item.window.controller.conversation_id == first.conversation_id
    assert item.wh.history.highlighted is item.window.transcript.last_answer()


def test_embedded_demo_answers_are_offered_once_and_explain_themselves_when_opened(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    with CacheWriter(db) as writer:
        cut = record_answer(
            writer,
            "Erste Frage",
            [StreamStarted(1, "s-1"), Token(2, "Teil", 0)],
            protocol=EMBEDDED_PROTOCOL,
            final_state=None,
        )
    first = make_window(db)
    assert len(first.window.banners.banners) == 1
    first.wh.close()
    first.history = None
    again = make_window(db)
    assert again.window.banners.banners == []  # not asked again at every start
    again.wh.sidebar.open_requested.emit(cut.conversation_id)
    wait_idle(qtbot, again)
    answer = again.window.transcript.last_answer()
    assert answer is not None
    qtbot.waitUntil(lambda: answer.finalized)
    assert "built-in demo server" in answer.note
    assert again.window.banners.banners == []  # no Resume offered for it


def test_opening_an_interrupted_answer_offers_resume_in_place(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    message_id = run_async(stream_until_cut(server, db))
    item = make_window(db, url=server.url, token=server.token)
    item.window.banners.clear()  # the start-up offer, declined
    cut = item.opened.interrupted[0]
    assert cut.stream_id is not None

    async def scenario() -> None:
        item.wh.sidebar.open_requested.emit(cut.conversation_id)
        await item.idle()
        (banner,) = item.window.banners.banners
        assert banner.text == "This answer was interrupted before it was complete."
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
        await asyncio.sleep(0)
        banner_action(banner, "Resume").click()
        await finished
        await settle()
        await item.written()

    run_async(scenario())
    full = run_async(whole_answer(server, cut.stream_id))
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.text == full
    with CacheRepository.open(db) as repository:
        assert repository.stream(str(message_id)).state == "done"
