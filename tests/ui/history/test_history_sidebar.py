"""The history sidebar over a real cache file: groups, rename, pin, delete with undo, search."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, StreamStarted, Token
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import ConversationSummary
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter
from desktop.ui.conversation.cached_views import FIRST_MESSAGES
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.history.controller import LIST_LIMIT
from desktop.ui.history.list_items import MARK_AFTER, MARK_BEFORE, group_of, snippet_html
from desktop.ui.history.sidebar import ID_ROLE, TITLE_ROLE, HistorySidebar
from tests.helpers.history_kit import (
    HistoryWindow,
    Maker,
    history_windows,
    record_answer,
    wait_idle,
)

DAY = 86_400.0


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


@pytest.fixture
def filled(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> tuple[HistoryWindow, dict[str, str], Path]:
    """A window over a cache filled by :func:`fill`, idle; the ids by title; the cache file."""
    db = tmp_path / "cache.sqlite3"
    ids = fill(db)
    item = make_window(db)
    wait_idle(qtbot, item)
    return item, ids, db


def answer(text: str) -> list[object]:
    words = text.split(" ")
    tokens = [Token(2 + n, w + (" " if n < len(words) - 1 else ""), n) for n, w in enumerate(words)]
    return [StreamStarted(1, "s-" + str(abs(hash(text)))), *tokens, Done(len(words) + 2, "stop")]


def fill(db: Path) -> dict[str, str]:
    """Four conversations: today, yesterday, last week, long ago; returns title -> id."""
    now = time.time()
    ids = {}
    with CacheWriter(db) as writer:
        for title, age in (
            ("Drucker im dritten Stock", 0.0),
            ("Passwort zurücksetzen", DAY),
            ("VPN auf dem Laptop", 3 * DAY),
            ("Alte Rechnung finden", 40 * DAY),
        ):
            recorder = record_answer(
                writer,
                title,
                answer(f"Antwort zu {title} mit Zebrastreifen" if age == DAY else f"Zu {title}."),
                final_state="done",
                updated=now - age,
            )
            ids[title] = recorder.conversation_id
    return ids


def rows(item: HistoryWindow) -> list[str]:
    side = item.wh.sidebar.list
    return [side.item(n).text() for n in range(side.count())]


def test_conversations_are_grouped_by_date_with_pinned_first(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    ids = fill(db)
    with CacheRepository.open(db) as repository:
        repository.set_pinned(ids["Alte Rechnung finden"], True)
    item = make_window(db)
    wait_idle(qtbot, item)
    assert rows(item) == [
        "Pinned",
        "Alte Rechnung finden",
        "Today",
        "Drucker im dritten Stock",
        "Yesterday",
        "Passwort zurücksetzen",
        "Previous 7 days",
        "VPN auf dem Laptop",
    ]
    assert item.window.sidebar_visible
    assert item.wh.sidebar.list.item(0).flags() == Qt.ItemFlag.NoItemFlags


def test_date_groups_follow_the_calendar_day() -> None:
    today = date(2026, 3, 10)
    noon = time.mktime((2026, 3, 10, 12, 0, 0, 0, 0, -1))
    assert group_of(noon, False, today) == "today"
    assert group_of(noon - DAY, False, today) == "yesterday"
    assert group_of(noon - 6 * DAY, False, today) == "week"
    assert group_of(noon - 7 * DAY, False, today) == "older"
    assert group_of(noon - 70 * DAY, True, today) == "pinned"


def test_a_title_is_renamed_in_place_with_f2(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, db = filled
    side = item.wh.sidebar
    row = side.item_for(ids["VPN auf dem Laptop"])
    assert row is not None
    side.list.setCurrentItem(row)
    side.list.setFocus()
    qtbot.keyClick(side.list, Qt.Key.Key_F2)
    editor = side.list.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.setText("VPN einrichten (Windows)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, item)
    with CacheRepository.open(db) as repository:
        assert repository.get_conversation(ids["VPN auf dem Laptop"]).title == (
            "VPN einrichten (Windows)"
        )
    assert "VPN einrichten (Windows)" in rows(item)


def test_pinning_from_the_context_menu_moves_the_conversation_up(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, _db = filled
    cid = ids["Passwort zurücksetzen"]
    menu = item.wh.sidebar.context_menu(cid, pinned=False)
    (pin,) = [a for a in menu.actions() if a.text() == "Pin to top"]
    pin.trigger()
    wait_idle(qtbot, item)
    assert rows(item)[:2] == ["Pinned", "Passwort zurücksetzen"]
    menu = item.wh.sidebar.context_menu(cid, pinned=True)
    (unpin,) = [a for a in menu.actions() if a.text() == "Unpin"]
    unpin.trigger()
    wait_idle(qtbot, item)
    assert "Pinned" not in rows(item)


def test_delete_in_the_list_can_be_undone_from_the_banner(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, db = filled
    side = item.wh.sidebar
    row = side.item_for(ids["Drucker im dritten Stock"])
    assert row is not None
    side.list.setCurrentItem(row)
    qtbot.keyClick(side.list, Qt.Key.Key_Delete)
    wait_idle(qtbot, item)
    assert "Drucker im dritten Stock" not in rows(item)
    (banner,) = item.window.banners.banners
    assert banner.text == "Deleted “Drucker im dritten Stock”."
    (undo,) = [b for b in banner.findChildren(QPushButton) if b.text() == "Undo"]
    undo.click()
    wait_idle(qtbot, item)
    assert "Drucker im dritten Stock" in rows(item)
    assert item.window.banners.banners == []
    with CacheRepository.open(db) as repository:
        assert (
            repository.get_conversation(ids["Drucker im dritten Stock"]).summary.deleted_at is None
        )


def test_a_deleted_conversation_is_purged_at_the_next_start(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    ids = fill(db)
    with CacheRepository.open(db) as repository:
        repository.delete(ids["Drucker im dritten Stock"])
    item = make_window(db)
    wait_idle(qtbot, item)
    with CacheRepository.open(db) as repository:
        assert ids["Drucker im dritten Stock"] not in {
            s.id for s in repository.list_conversations(include_deleted=True)
        }


def test_snippets_show_matches_bold_and_escape_everything_else() -> None:
    snippet = f"a <script>x</script> & {MARK_BEFORE}Zebra{MARK_AFTER}streifen\nweiter"
    assert snippet_html(snippet) == (
        "a &lt;script&gt;x&lt;/script&gt; &amp; <b>Zebra</b>streifen weiter"
    )
    assert snippet_html(f"{MARK_BEFORE}offen") == "<b>offen</b>"


def test_search_opens_the_conversation_at_the_matching_message(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, _db = filled
    item.window.search_history()
    side = item.wh.sidebar
    assert side.search_field.hasFocus() or not item.window.isActiveWindow()
    qtbot.keyClicks(side.search_field, "zebra*")
    qtbot.waitUntil(lambda: side.results.count() == 1, timeout=5000)
    assert not side.list.isVisible()
    hit = side.results.item(0)
    assert "<b>Zebrastreifen</b>" in hit.data(Qt.ItemDataRole.UserRole + 10)
    side.results.itemClicked.emit(hit)
    wait_idle(qtbot, item)
    controller = item.window.controller
    assert controller.conversation_id == ids["Passwort zurücksetzen"]
    messages = item.window.transcript.messages
    assert [type(m) for m in messages] == [UserMessageView, AssistantMessageView]
    target = item.wh.history.highlighted
    assert target is messages[1]
    assert target.property("highlighted") is True
    assert isinstance(target, AssistantMessageView)
    qtbot.waitUntil(lambda: target.finalized)
    assert target.state is AnswerStatus.DONE
    assert "Zebrastreifen" in target.text
    assert side.current_id() == ids["Passwort zurücksetzen"]
    assert side.list.currentItem().data(TITLE_ROLE) == "Passwort zurücksetzen"
    assert side.list.currentItem().data(ID_ROLE) == ids["Passwort zurücksetzen"]
    qtbot.keyClick(side.search_field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: side.list.isVisible())


def test_a_long_history_lists_the_newest_and_points_older_ones_to_the_search(
    qtbot: QtBot,
) -> None:
    side = HistorySidebar()
    qtbot.addWidget(side)
    now = time.time()
    summaries = [
        ConversationSummary(f"c{n}", f"Frage {n}", now - n, now - n, False, None, 2)
        for n in range(LIST_LIMIT)
    ]
    side.set_conversations(summaries, more=True)
    last = side.list.item(side.list.count() - 1)
    assert last.text() == "Older conversations are found by the search."
    assert last.flags() == Qt.ItemFlag.NoItemFlags
    first_row = side.list.item(1)
    side.set_conversations(list(summaries), more=True)  # an unchanged refresh
    assert side.list.item(1) is first_row  # not rebuilt


def test_undoing_the_delete_of_the_open_conversation_shows_it_again(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, _db = filled
    cid = ids["VPN auf dem Laptop"]
    item.wh.sidebar.open_requested.emit(cid)
    wait_idle(qtbot, item)
    assert len(item.window.transcript.messages) == 2
    item.wh.sidebar.delete_requested.emit(cid)
    wait_idle(qtbot, item)
    assert item.window.transcript.messages == []
    assert item.window.controller.conversation_id != cid
    (banner,) = item.window.banners.banners
    (undo,) = [b for b in banner.findChildren(QPushButton) if b.text() == "Undo"]
    undo.click()
    wait_idle(qtbot, item)
    assert item.window.controller.conversation_id == cid
    assert item.window.transcript.messages[0].text == "VPN auf dem Laptop"


def record_long_conversation(db: Path, first_question: str, *, exchanges: int) -> AnswerRecorder:
    """One conversation of ``exchanges`` finished question-and-answer pairs; the first's record."""
    with CacheWriter(db) as writer:
        first = record_answer(writer, first_question, answer("Antwort 0"), final_state="done")
        for n in range(1, exchanges):
            record_answer(
                writer,
                f"Frage {n}",
                answer(f"Antwort {n}"),
                conversation_id=first.conversation_id,
                final_state="done",
            )
    return first


def test_a_long_conversation_opens_with_its_newest_part_and_shows_earlier_on_demand(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    first = record_long_conversation(db, "Frage 0", exchanges=75)
    item = make_window(db)
    wait_idle(qtbot, item)
    item.wh.sidebar.open_requested.emit(first.conversation_id)
    wait_idle(qtbot, item)
    transcript = item.window.transcript
    assert len(transcript.messages) == FIRST_MESSAGES
    assert transcript.messages[-1].text == "Antwort 74"
    assert transcript.earlier_button.isVisible()
    assert transcript.earlier_button.text() == f"Show {150 - FIRST_MESSAGES} earlier messages"
    qtbot.mouseClick(transcript.earlier_button, Qt.MouseButton.LeftButton)
    assert len(transcript.messages) == 150
    assert transcript.messages[0].text == "Frage 0"
    assert not transcript.earlier_button.isVisible()
    assert len(item.wh.history.views) == 150


def test_a_search_hit_in_the_older_part_is_shown_too(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    db = tmp_path / "cache.sqlite3"
    record_long_conversation(db, "Frage Okapi", exchanges=60)
    item = make_window(db)
    wait_idle(qtbot, item)
    side = item.wh.sidebar
    side.search_field.setText("okapi")
    side.run_search()
    qtbot.waitUntil(lambda: side.results.count() == 1)
    side.results.itemClicked.emit(side.results.item(0))
    wait_idle(qtbot, item)
    transcript = item.window.transcript
    assert transcript.messages[0].text == "Frage Okapi"
    assert item.wh.history.highlighted is transcript.messages[0]


def test_enter_in_the_search_field_opens_the_first_result(
    qtbot: QtBot, filled: tuple[HistoryWindow, dict[str, str], Path]
) -> None:
    item, ids, _db = filled
    side = item.wh.sidebar
    qtbot.keyClicks(side.search_field, "Zebrastreifen")
    qtbot.keyClick(side.search_field, Qt.Key.Key_Return)  # before the typing pause ends
    qtbot.waitUntil(lambda: item.window.controller.conversation_id == ids["Passwort zurücksetzen"])
    wait_idle(qtbot, item)
    assert item.wh.history.highlighted is item.window.transcript.messages[1]
