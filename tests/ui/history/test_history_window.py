"""The cache in the window against the embedded server: recording, opening, replay, bad files."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.request import ChatRequest, HistoryItem
from desktop.server.embedded import EmbeddedServer
from desktop.store import recorder as recorder_module
from desktop.store.repository import CacheRepository
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows
from tests.helpers.qt import next_emission, settle, wait_until

pytestmark = pytest.mark.e2e

QUESTION = "Wie exportiere ich eine Unterhaltung?"
FOLLOW_UP = "Und als HTML?"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(token_rate=0) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


def live(make_window: Maker, db: Path, server: EmbeddedServer) -> HistoryWindow:
    return make_window(db, url=server.url, token=server.token)


def test_recorded_answers_appear_in_the_sidebar_and_follow_ups_stay_in_their_conversation(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = live(make_window, db, server)
    requests: list[ChatRequest] = []
    item.window.bridge.answer_started.connect(requests.append)

    async def scenario() -> None:
        await item.ask(QUESTION)
        await item.ask(FOLLOW_UP)

    run_async(scenario())
    side = item.wh.sidebar.list
    assert [side.item(n).text() for n in range(side.count())] == ["Today", QUESTION]
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        conversation = repository.get_conversation(summary.id)
    assert summary.id == item.window.controller.conversation_id
    assert [m.role for m in conversation.messages] == ["user", "assistant"] * 2
    assert [m.text for m in conversation.messages[::2]] == [QUESTION, FOLLOW_UP]
    answers = [v for v in item.window.transcript.messages if isinstance(v, AssistantMessageView)]
    assert [m.text for m in conversation.messages[1::2]] == [a.text for a in answers]
    assert all(
        m.stream is not None and m.stream.state == "done" for m in conversation.messages[1::2]
    )
    # the follow-up was sent in the same conversation, with the first exchange as history
    assert requests[1].conversation_id == summary.id
    assert requests[1].history == tuple(
        HistoryItem(m.role, m.text) for m in conversation.messages[:2]
    )


def test_opening_a_conversation_shows_it_as_it_was_even_without_a_server(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = live(make_window, db, server)
    run_async(item.ask(QUESTION))
    original = item.window.transcript.last_answer()
    assert original is not None
    assert original.tools is not None
    expected = (
        original.text,
        [(c.call_id, c.status, c.output_text) for c in original.tools.cards],
        original.thinking.status_lines if original.thinking else None,
    )
    conversation_id = item.window.controller.conversation_id

    offline = make_window(db)  # no server at all
    assert offline.window.bridge.factory is None

    async def scenario() -> None:
        await offline.idle()
        offline.wh.sidebar.open_requested.emit(conversation_id)
        await offline.idle()
        answer = offline.window.transcript.last_answer()
        assert answer is not None
        await wait_until(lambda: answer.finalized)

    run_async(scenario())
    messages = offline.window.transcript.messages
    assert [type(m) for m in messages] == [UserMessageView, AssistantMessageView]
    assert isinstance(messages[0], UserMessageView)
    assert messages[0].text == QUESTION
    answer = messages[1]
    assert isinstance(answer, AssistantMessageView)
    assert answer.state is AnswerStatus.DONE
    assert answer.thinking is not None
    assert answer.tools is not None
    assert answer.thinking.y() < answer.tools.y()
    assert (
        answer.text,
        [(c.call_id, c.status, c.output_text) for c in answer.tools.cards],
        answer.thinking.status_lines,
    ) == expected
    assert offline.window.controller.conversation_id == conversation_id


def test_a_failing_cache_write_shows_a_banner_and_the_answer_stays(
    tmp_path: Path,
    make_window: Maker,
    run_async: Any,
    server: EmbeddedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(_connection: sqlite3.Connection, _checkpoint: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(recorder_module, "write_checkpoint", disk_full)
    item = live(make_window, tmp_path / "cache.sqlite3", server)
    outcome = run_async(item.ask(QUESTION))
    assert outcome.status == "done"
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert len(answer.text) > 100
    texts = [b.text for b in item.window.banners.banners]
    assert any("database or disk is full" in t and "not saved" in t for t in texts), texts


def test_a_read_only_cache_directory_leaves_the_window_working_without_history(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o555)
    readonly_for_root = _immutable(directory, True)
    try:
        item = live(make_window, directory / "cache.sqlite3", server)
    finally:
        if readonly_for_root:
            _immutable(directory, False)
        directory.chmod(0o755)
    assert item.history is None
    assert not item.window.sidebar_visible
    (banner,) = item.window.banners.banners
    assert banner.text.startswith("Conversation history is off: The answer cache at")

    async def scenario() -> str:
        item.window.controller.send(QUESTION)
        (outcome,) = await next_emission(item.window.controller.answer_finished, 30)
        await settle()
        return str(outcome.status)

    assert run_async(scenario()) == "done"
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.state is AnswerStatus.DONE
    assert answer.text


def test_a_cache_from_a_newer_version_is_refused_with_a_banner(
    tmp_path: Path, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 9999")
    connection.close()
    item = make_window(db)
    assert item.history is None
    (banner,) = item.window.banners.banners
    assert "newer version" in banner.text
    assert db.stat().st_size > 0


def test_a_corrupt_cache_is_moved_aside_with_a_banner_and_history_works(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    db.write_bytes(b"this is not a database at all" * 200)
    item = make_window(db)
    assert item.history is not None
    (banner,) = item.window.banners.banners
    assert "moved to" in banner.text
    assert any(p.name.startswith("cache.sqlite3.corrupt-") for p in tmp_path.iterdir())
    assert item.window.sidebar_visible


def test_replay_plays_the_cached_answer_again_to_the_same_text(
    tmp_path: Path, make_window: Maker, run_async: Any, server: EmbeddedServer
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = live(make_window, db, server)
    run_async(item.ask(QUESTION))
    first = item.window.transcript.last_answer()
    assert first is not None
    text, tools = first.text, [c.call_id for c in first.tools.cards] if first.tools else []
    item.window.controller.new_conversation()
    tokens: list[object] = []
    item.window.bridge.event_received.connect(tokens.append)

    async def scenario() -> None:
        with CacheRepository.open(db) as repository:
            (summary,) = repository.list_conversations()
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished))
        await asyncio.sleep(0)
        item.wh.history.replay(summary.id, 4.0)
        await finished
        await settle()

    run_async(scenario())
    replayed = item.window.transcript.last_answer()
    assert replayed is not None
    assert replayed is not first
    assert replayed.text == text
    assert replayed.state is AnswerStatus.DONE
    assert [c.call_id for c in replayed.tools.cards] == tools if replayed.tools else not tools
    assert len(tokens) > 10
    with CacheRepository.open(db) as repository:
        assert len(repository.list_conversations()) == 1  # a replay records nothing new


def _immutable(directory: Path, on: bool) -> bool:
    """Root ignores mode bits; the immutable flag makes a directory read-only for it too."""
    if os.geteuid() != 0:
        return False
    subprocess.run(["chattr", "+i" if on else "-i", str(directory)], check=True)
    return True
