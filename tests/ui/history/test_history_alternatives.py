"""Regenerate keeps alternatives, in the window and the cache; an edit replaces the last question.

Real windows against the reference server on a loopback socket, with a scripted backend whose
answer says which attempt it is (so each alternative's text is known), and a real cache file that
a second window opens afterwards, as a restarted app would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from servers.scripted_backend import ScriptedBackend, Step
from servers.server_thread import ServerThread

from desktop.protocol.events import Done, Thinking, Token, ToolUse, Usage
from desktop.protocol.request import ChatRequest
from desktop.store.export import to_markdown
from desktop.store.repository import CacheRepository
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows
from tests.helpers.qt import next_emission, wait_until

pytestmark = pytest.mark.e2e

TOKEN = "alternatives-token"
QUESTION = "Wie exportiere ich?"


def attempt_text(message: str, attempt: int) -> str:
    return f"Antwort {attempt + 1} auf {message}"


def script(request: ChatRequest, attempt: int) -> list[Step]:
    """Thinking and a tool call named after the attempt, then its text in three tokens."""
    words = attempt_text(request.message, attempt).split(" ")
    steps = [
        Step(Thinking(0, message=f"Versuch {attempt + 1}")),
        Step(ToolUse(0, call_id=f"c{attempt}", tool=f"suche{attempt + 1}", status="started")),
        Step(ToolUse(0, call_id=f"c{attempt}", tool=f"suche{attempt + 1}", status="completed")),
    ]
    steps += [Step(Token(0, w if i == 0 else " " + w, 0)) for i, w in enumerate(words)]
    steps.append(Step(Done(0, "stop", Usage(1, len(words)))))
    return steps


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(backend=ScriptedBackend(script), token=TOKEN) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


async def regenerate(item: HistoryWindow) -> None:
    finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
    await asyncio.sleep(0)
    item.window.controller.regenerate()
    await finished
    await item.written()


def card(item: HistoryWindow) -> AssistantMessageView:
    answer = item.window.transcript.last_answer()
    assert answer is not None
    return answer


def shown(answer: AssistantMessageView) -> tuple[str, str, list[str], str]:
    """What the card shows: the switcher, the text, the tool cards and the thinking."""
    assert answer.tools is not None
    assert answer.thinking is not None
    return (
        answer.alternative_label.text() if answer.alternative_label.isVisible() else "",
        answer.text,
        [c.tool for c in answer.tools.cards],
        " ".join(answer.thinking.status_lines),
    )


def test_regenerate_twice_switch_back_and_a_restart_keeps_the_alternatives(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, qtbot: QtBot
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    requests: list[ChatRequest] = []
    item.window.bridge.answer_started.connect(requests.append)

    async def answer_three_times() -> None:
        await item.ask(QUESTION)
        assert shown(card(item))[0] == ""  # one answer: no switcher
        await regenerate(item)
        await regenerate(item)
        await wait_until(lambda: card(item).finalized)

    run_async(answer_three_times())
    third = card(item)
    assert shown(third) == ("3 / 3", attempt_text(QUESTION, 2), ["suche3"], "Versuch 3")
    assert third.alternative_label.accessibleName() == "Answer 3 of 3"
    assert "Answer 3 of 3" in third.accessibleName()
    assert [type(m) for m in item.window.transcript.messages] == [
        UserMessageView,
        AssistantMessageView,
    ]
    # every attempt asked the same question with the same (empty) history
    assert [(r.message, r.history) for r in requests] == [(QUESTION, ())] * 3

    # back twice with the keyboard: the previous button has the focus after each switch
    third.previous_button.setFocus()
    qtbot.keyClick(third.previous_button, Qt.Key.Key_Space)
    second = card(item)
    assert shown(second) == ("2 / 3", attempt_text(QUESTION, 1), ["suche2"], "Versuch 2")
    assert second.previous_button.hasFocus()
    qtbot.keyClick(second.previous_button, Qt.Key.Key_Space)
    first = card(item)
    assert shown(first) == ("1 / 3", attempt_text(QUESTION, 0), ["suche1"], "Versuch 1")
    assert not first.previous_button.isEnabled()
    assert first.next_button.isEnabled()
    run_async(item.idle())

    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        record = repository.get_conversation(summary.id)
    assert [(m.role, m.text, m.chosen) for m in record.messages] == [
        ("user", QUESTION, True),
        ("assistant", attempt_text(QUESTION, 0), True),
        ("assistant", attempt_text(QUESTION, 1), False),
        ("assistant", attempt_text(QUESTION, 2), False),
    ]

    # the follow-up carries the alternative shown, not the newest
    run_async(item.ask("Und dann?"))
    assert requests[-1].history[-1].content == attempt_text(QUESTION, 0)

    reopened = make_window(db, url=server.url, token=TOKEN)  # the app restarted on the file

    async def reopen() -> None:
        await reopened.idle()
        reopened.wh.sidebar.open_requested.emit(summary.id)
        await reopened.idle()
        await wait_until(lambda: all(
            v.finalized
            for v in reopened.window.transcript.messages
            if isinstance(v, AssistantMessageView)
        ))  # fmt: skip

    run_async(reopen())
    views = reopened.window.transcript.messages
    assert [type(v) for v in views] == [UserMessageView, AssistantMessageView] * 2
    assert isinstance(views[1], AssistantMessageView)
    assert shown(views[1]) == ("1 / 3", attempt_text(QUESTION, 0), ["suche1"], "Versuch 1")
    views[1].next_button.click()
    again = reopened.window.transcript.messages[1]
    assert isinstance(again, AssistantMessageView)
    assert shown(again) == ("2 / 3", attempt_text(QUESTION, 1), ["suche2"], "Versuch 2")
    assert reopened.window.transcript.messages[3].alternative_label.isHidden()  # type: ignore[union-attr]


def test_up_in_the_empty_box_edits_the_last_question_and_enter_resends_it(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, qtbot: QtBot
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    requests: list[ChatRequest] = []
    item.window.bridge.answer_started.connect(requests.append)
    box = item.window.input_box
    run_async(item.ask("Erste Frage"))
    run_async(item.ask("Zweite Frgae"))

    box.editor.setFocus()
    qtbot.keyClick(box.editor, Qt.Key.Key_Up)
    assert box.editing
    assert box.edit_label.isVisible()
    assert box.editor.toPlainText() == "Zweite Frgae"
    qtbot.keyClick(box.editor, Qt.Key.Key_Escape)  # changed their mind: nothing is sent
    assert (box.editing, box.editor.toPlainText(), len(requests)) == (False, "", 2)

    qtbot.keyClick(box.editor, Qt.Key.Key_Up)
    box.editor.setPlainText("Zweite Frage")

    async def resend() -> None:
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
        await asyncio.sleep(0)
        qtbot.keyClick(box.editor, Qt.Key.Key_Return)
        await finished
        await item.written()
        await wait_until(lambda: card(item).finalized)

    run_async(resend())
    assert requests[-1].message == "Zweite Frage"
    assert [h.content for h in requests[-1].history] == [
        "Erste Frage",
        attempt_text("Erste Frage", 0),
    ]
    views = item.window.transcript.messages
    assert [v.text for v in views] == [
        "Erste Frage",
        attempt_text("Erste Frage", 0),
        "Zweite Frage",
        attempt_text("Zweite Frage", 0),
    ]
    assert not box.editing
    seen = [v.text for v in views]
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        assert [m.text for m in repository.get_conversation(summary.id).messages] == seen
        assert repository.search("Frgae") == []  # the replaced question is gone from search
        assert {hit.conversation_id for hit in repository.search("Zweite")} == {summary.id}
        markdown = to_markdown([repository.get_conversation(summary.id)])
    assert "Frgae" not in markdown
    assert attempt_text("Zweite Frgae", 0) not in markdown

    reopened = make_window(db, url=server.url, token=TOKEN)  # the app restarted on the file

    async def reopen() -> None:
        await reopened.idle()
        reopened.wh.sidebar.open_requested.emit(summary.id)
        await reopened.idle()
        await wait_until(lambda: len(reopened.window.transcript.messages) >= 4)

    run_async(reopen())
    assert [v.text for v in reopened.window.transcript.messages] == seen


def edit_last_question(item: HistoryWindow, qtbot: QtBot, run_async: Any, text: str) -> None:
    """Up in the empty box, the new text, Enter; returns once the answer is in the cache."""
    box = item.window.input_box
    box.editor.setFocus()
    qtbot.keyClick(box.editor, Qt.Key.Key_Up)
    assert box.editing
    box.editor.setPlainText(text)

    async def resend() -> None:
        finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 30))
        await asyncio.sleep(0)
        qtbot.keyClick(box.editor, Qt.Key.Key_Return)
        await finished
        await item.written()

    run_async(resend())


def sidebar_titles(item: HistoryWindow) -> list[str]:
    side = item.wh.sidebar
    return [row.text() for row in (side.list.item(i) for i in range(side.list.count())) if row]


def cached_title(db: Path) -> str:
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
    return summary.title


def test_an_edit_of_the_only_question_retitles_the_conversation(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, qtbot: QtBot
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    run_async(item.ask("Wie exportiere ich?"))
    assert "Wie exportiere ich?" in sidebar_titles(item)

    edit_last_question(item, qtbot, run_async, "Wie importiere ich?")
    assert cached_title(db) == "Wie importiere ich?"
    titles = sidebar_titles(item)
    assert "Wie importiere ich?" in titles
    assert "Wie exportiere ich?" not in titles
    assert item.wh.sidebar.item_for(item.window.controller.conversation_id) is not None


def test_an_edit_keeps_the_title_the_user_gave_the_conversation(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread, qtbot: QtBot
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = make_window(db, url=server.url, token=TOKEN)
    run_async(item.ask("Wie exportiere ich?"))
    item.wh.history.rename(item.window.controller.conversation_id, "Export")
    run_async(item.idle())
    assert "Export" in sidebar_titles(item)

    edit_last_question(item, qtbot, run_async, "Wie importiere ich?")
    assert cached_title(db) == "Export"
    titles = sidebar_titles(item)
    assert "Export" in titles
    assert "Wie importiere ich?" not in titles
