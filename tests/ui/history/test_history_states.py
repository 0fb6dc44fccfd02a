"""The history list says each conversation's latest answer state, in shape, word and speech."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidgetItem
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, StreamStarted, Token
from desktop.store.records import ConversationSummary
from desktop.ui.history.list_items import STATE_ROLE
from desktop.ui.history.sidebar import HistorySidebar
from desktop.ui.window.i18n import Translations
from tests.helpers.history_kit import Maker, history_windows
from tests.helpers.qt import next_emission, wait_until
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource

TITLE = "Export nach PDF schlägt fehl"
#: What a row shows, and what its accessible text says after the title, per status.
MARKS = {
    AnswerStatus.STREAMING: ("● answering", "answering"),
    AnswerStatus.STOPPED: ("○ stopped", "stopped"),
    AnswerStatus.INTERRUPTED: ("▲ interrupted", "interrupted"),
    AnswerStatus.FAILED: ("✖ failed", "failed"),
}


def summary(
    status: AnswerStatus | None, cid: str = "c-1", title: str = TITLE
) -> ConversationSummary:
    now = time.time()
    return ConversationSummary(cid, title, now, now, False, None, 4, status)


def row(side: HistorySidebar, conversation_id: str = "c-1") -> QListWidgetItem:
    item = side.item_for(conversation_id)
    assert item is not None
    return item


def spoken(item: QListWidgetItem) -> list[str]:
    return str(item.data(Qt.ItemDataRole.AccessibleTextRole)).split(", ")


@pytest.fixture
def side(qtbot: QtBot) -> HistorySidebar:
    sidebar = HistorySidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(260, 400)
    sidebar.show()
    return sidebar


@pytest.mark.parametrize("status", list(MARKS))
def test_a_row_shows_and_says_a_state_that_is_not_plainly_done(
    side: HistorySidebar, status: AnswerStatus
) -> None:
    side.set_conversations([summary(status)])
    item = row(side)
    mark, word = MARKS[status]
    assert item.data(STATE_ROLE) == mark
    assert item.text() == TITLE  # the title alone: renaming edits it without the mark
    assert spoken(item)[:3] == [TITLE, word, "4 messages"]


@pytest.mark.parametrize("status", [AnswerStatus.DONE, None])
def test_a_done_or_unanswered_conversation_has_no_mark(
    side: HistorySidebar, status: AnswerStatus | None
) -> None:
    side.set_conversations([summary(status)])
    item = row(side)
    assert not item.data(STATE_ROLE)
    assert spoken(item)[:2] == [TITLE, "4 messages"]


def test_the_mark_is_painted_in_view_in_the_rows_text_colour(side: HistorySidebar) -> None:
    """Even a title wider than the list leaves the mark at the list's visible right edge, and
    the mark's pixels are the text colour's: its shape and word tell the state."""
    long = " ".join([TITLE] * 4)
    side.set_conversations([summary(AnswerStatus.DONE, "c-1", long), summary(None, "c-2")])
    visible = side.list.visualItemRect(row(side, "c-1")) & side.list.viewport().rect()
    plain = side.list.viewport().grab(visible).toImage()
    side.set_conversations(
        [summary(AnswerStatus.INTERRUPTED, "c-1", long), summary(AnswerStatus.DONE, "c-2")]
    )
    assert (side.list.visualItemRect(row(side, "c-1")) & side.list.viewport().rect()) == visible
    marked = side.list.viewport().grab(visible).toImage()
    changed = [
        marked.pixelColor(x, y)
        for x in range(visible.width() * 2 // 3, visible.width())
        for y in range(visible.height())
        if marked.pixelColor(x, y) != plain.pixelColor(x, y)
    ]
    assert changed, "nothing was painted at the visible right of the row"
    text = side.list.palette().color(side.list.foregroundRole())
    darkest = min(changed, key=QColor.lightness)
    assert abs(darkest.lightness() - text.lightness()) < 40


def test_the_state_is_said_in_german(qtbot: QtBot, side: HistorySidebar, qapp: Any) -> None:
    translations = Translations(qapp)
    try:
        assert translations.set_language("de") == "de"
        side.set_conversations([summary(AnswerStatus.INTERRUPTED)])
        qtbot.waitUntil(lambda: row(side).data(STATE_ROLE) == "▲ unterbrochen")
        assert spoken(row(side))[:3] == [TITLE, "unterbrochen", "4 Nachrichten"]
    finally:
        translations.set_language("en")


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


def test_a_streaming_answers_row_says_answering_until_it_finishes(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    def held(_request: object) -> ScriptedSource:
        source = ScriptedSource([StreamStarted(1, "s-1"), Token(2, "Öffnen Sie ", 0),
                                 Token(3, "das Menü.", 1), Done(4, "stop")])  # fmt: skip
        source.paused.clear()  # held before its first event until the test lets it go
        return source

    factory = ScriptedFactory(held)
    item = make_window(tmp_path / "cache.sqlite3", factory=factory)
    side = item.wh.sidebar

    def mark() -> object:
        found = side.item_for(item.window.controller.conversation_id or "")
        return None if found is None else (found.data(STATE_ROLE), spoken(found)[1])

    async def scenario() -> None:
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
        await asyncio.sleep(0)
        item.window.controller.send(TITLE)
        await wait_until(lambda: mark() == ("● answering", "answering"))
        factory.sources[0].paused.set()
        (outcome,) = await finished
        assert outcome.status is AnswerStatus.DONE
        await item.written()

    run_async(scenario())
    assert mark() == ("", "2 messages")
