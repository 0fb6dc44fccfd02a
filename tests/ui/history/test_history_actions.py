"""Recording edge cases, export, shortcuts and the whole app with its cache."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import main
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, GaveUp, StreamStarted, Thinking, Token
from desktop.settings import Settings
from desktop.store.records import EMBEDDED_PROTOCOL
from desktop.store.repository import CacheRepository
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows, wait_idle
from tests.helpers.qt import next_emission
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


def scripted(db: Path, make_window: Maker, *scripts: list[Any]) -> HistoryWindow:
    queue = list(scripts)
    factory = ScriptedFactory(lambda _request: ScriptedSource(queue.pop(0), delay=0.002))
    return make_window(db, factory=factory, url="http://127.0.0.1:9")


async def finish(item: HistoryWindow, start: Any) -> None:
    finished = asyncio.ensure_future(next_emission(item.window.controller.answer_finished, 10))
    await asyncio.sleep(0)  # listening now
    start()
    await finished
    await item.written()


def test_a_retry_after_giving_up_continues_the_same_cached_answer(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db = tmp_path / "cache.sqlite3"
    item = scripted(
        db, make_window, [StreamStarted(1, "s-1"), Token(2, "Hallo ", 0), GaveUp(4, "offline")]
    )
    item.factory.resume_script = lambda _s, _i: ScriptedSource(
        [Token(3, "Welt", 1), Done(4, "stop")]
    )

    async def scenario() -> None:
        await finish(item, lambda: item.window.controller.send("Frage"))
        await finish(item, item.window.controller.retry)

    run_async(scenario())
    assert item.factory.resumes == [("s-1", 2)]
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        messages = repository.get_conversation(summary.id).messages
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].text == "Hallo Welt"
    assert messages[1].stream is not None
    assert messages[1].stream.state == "done"


def test_a_stopped_answer_is_cached_as_stopped_with_its_text(
    tmp_path: Path, make_window: Maker, run_async: Any
) -> None:
    db = tmp_path / "cache.sqlite3"
    tokens = [Token(2 + n, f"w{n} ", n) for n in range(200)]
    item = scripted(db, make_window, [StreamStarted(1, "s-1"), *tokens, Done(300, "stop")])

    seen: list[object] = []

    def stop_after_five_tokens(event: object) -> None:
        seen.append(event)
        if len(seen) == 6:
            item.window.controller.stop()

    item.window.bridge.event_received.connect(stop_after_five_tokens)

    async def scenario() -> None:
        await finish(item, lambda: item.window.controller.send("Frage"))

    run_async(scenario())
    answer = item.window.transcript.last_answer()
    assert answer is not None
    assert answer.state is AnswerStatus.STOPPED
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        message = repository.get_conversation(summary.id).messages[1]
    assert message.stream is not None
    assert message.stream.state == "stopped"
    assert message.text == answer.text
    assert 0 < len(message.text) < len("".join(t.content for t in tokens))


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_export_from_the_context_menu_writes_the_chosen_file(
    tmp_path: Path, qtbot: QtBot, make_window: Maker, run_async: Any, fmt: str
) -> None:
    db = tmp_path / "cache.sqlite3"
    events = [
        StreamStarted(1, "s-1"),
        Thinking(2, "Suche <Handbuch>"),
        Token(3, "Antwort & mehr", 0),
    ]
    item = scripted(db, make_window, [*events, Done(4, "stop")])
    run_async(finish(item, lambda: item.window.controller.send("Wie <exportiere> ich?")))
    target = tmp_path / f"out.{fmt}"
    asked: list[tuple[str, str]] = []

    def choose(_parent: object, suggested: str, chosen_format: str) -> str:
        asked.append((suggested, chosen_format))
        return str(target)

    item.wh.history.choose_export_path = choose
    cid = item.window.controller.conversation_id
    menu = item.wh.sidebar.context_menu(cid, pinned=False)
    (export,) = [a.menu() for a in menu.actions() if a.text() == "Export"]
    label = {"md": "Markdown…", "json": "JSON…", "html": "HTML…"}[fmt]
    (action,) = [a for a in export.actions() if a.text() == label]
    action.trigger()
    wait_idle(qtbot, item)
    assert asked == [("Wie _exportiere_ ich_", fmt)]
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert "Antwort & mehr" in json.dumps(data, ensure_ascii=False)
    elif fmt == "html":
        assert "Wie &lt;exportiere&gt; ich?" in text
        assert "<script" not in text
    else:
        assert "Antwort & mehr" in text
    assert any(b.text == f"Exported to {target}." for b in item.window.banners.banners)


def test_shortcuts_focus_the_search_and_toggle_the_sidebar(
    tmp_path: Path, qtbot: QtBot, make_window: Maker
) -> None:
    item = make_window(tmp_path / "cache.sqlite3")
    window = item.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.input_box.editor.setFocus()
    for keys in ((Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier),
                 (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                  | Qt.KeyboardModifier.ShiftModifier)):  # fmt: skip
        window.input_box.editor.setFocus()
        qtbot.waitUntil(lambda: not item.wh.sidebar.search_field.hasFocus())
        qtbot.keyClick(window.input_box.editor, keys[0], keys[1])
        qtbot.waitUntil(item.wh.sidebar.search_field.hasFocus)
    qtbot.keyClick(window.input_box.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.sidebar_visible
    assert not window.history_action.isChecked()
    window.search_history()  # searching brings the sidebar back
    assert window.sidebar_visible


def test_the_app_records_its_answers_and_remembers_the_sidebar(
    tmp_path: Path, restore_app_style: None
) -> None:
    db = tmp_path / "cache.sqlite3"
    settings = tmp_path / "settings.json"
    Settings(extra={"history_visible": False}).save(settings)
    code = main(
        [
            "--settings", str(settings),
            "--db", str(db),
            "--ask", "Wie exportiere ich eine Unterhaltung?",
            "--quit-when-done",
            "--token-rate", "0",
        ]
    )  # fmt: skip
    assert code == 0
    with CacheRepository.open(db) as repository:
        (summary,) = repository.list_conversations()
        answer = repository.get_conversation(summary.id).messages[1]
    assert summary.title == "Wie exportiere ich eine Unterhaltung?"
    assert answer.stream is not None
    assert (answer.stream.state, answer.stream.protocol) == ("done", EMBEDDED_PROTOCOL)
    assert answer.text
    assert Settings.load(settings).extra["history_visible"] is False
