"""Retry, warnings, find, code copy and the keyboard, against scripted sources."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import (
    GaveUp,
    Reconnecting,
    StreamEvent,
    StreamWarning,
    Token,
    ToolUse,
)
from desktop.settings import Settings
from desktop.ui.bridge import StreamBridge
from desktop.ui.widgets.text_block import TextBlock
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission, settle, wait_until
from tests.helpers.scripted import ANSWER, answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource


def event_id(event: StreamEvent) -> int:
    return int(getattr(event, "id", 0))


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    window = MainWindow(StreamBridge(None), Settings(theme="light"))
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    yield window
    window.bridge.close()


def split_at_token(events: list[StreamEvent], n: int) -> tuple[list[StreamEvent], int]:
    seen = 0
    for i, event in enumerate(events):
        if isinstance(event, Token):
            seen += 1
            if seen == n:
                return events[: i + 1], event_id(event)
    raise AssertionError("not enough tokens")


def test_retry_now_while_reconnecting_resumes_at_once_without_duplicates(
    window: MainWindow, run_async: Any
) -> None:
    full = answer_events()
    head, last_id = split_at_token(full, 20)
    backoff = asyncio.Event()  # never set: the first source sits in a 30 s backoff

    class Waiting(ScriptedSource):
        async def events(self) -> AsyncIterator[StreamEvent]:
            async for event in super().events():
                yield event
            await backoff.wait()
            yield GaveUp(8, "never reached")

    waiting = Waiting([*head, Reconnecting(1, 8, 30.0, "connection reset", last_id)])
    factory = ScriptedFactory(lambda r: waiting)
    factory.resume_script = lambda stream, after: ScriptedSource(
        [e for e in full if event_id(e) > after]
    )
    window.bridge.factory = factory

    async def scenario() -> None:
        window.controller.send("q")
        await wait_until(lambda: window.connection.state == "reconnecting")
        assert window.connection.retry_visible
        window.connection.retry_requested.emit()  # "Retry now"
        await next_emission(window.controller.answer_finished)
        answer = window.transcript.last_answer()
        await wait_until(lambda: answer is not None and answer.finalized)

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.state is AnswerStatus.DONE
    assert factory.resumes == [("s-1", last_id)]


def test_after_giving_up_retry_continues_the_same_answer(
    window: MainWindow, run_async: Any
) -> None:
    full = answer_events()
    head, _ = split_at_token(full, 10)
    factory = ScriptedFactory(lambda r: ScriptedSource([*head, GaveUp(8, "connection refused")]))
    factory.resume_script = lambda stream, after: ScriptedSource(
        [e for e in full if event_id(e) > after]
    )
    window.bridge.factory = factory

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)
        await settle()
        answer = window.transcript.last_answer()
        assert answer is not None
        assert answer.state is AnswerStatus.INTERRUPTED
        assert "Retry" in answer.note
        assert window.connection.state == "gave_up"
        assert window.connection.retry_visible
        window.connection.retry_requested.emit()
        await next_emission(window.controller.answer_finished)
        await wait_until(lambda: answer.finalized)

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.state is AnswerStatus.DONE
    assert len(window.transcript.messages) == 2


def test_warnings_are_non_blocking_banners(window: MainWindow, run_async: Any) -> None:
    events = answer_events()
    done = events.pop()
    warning = StreamWarning(event_id(done), "context_truncated", "Older messages were shortened.")
    events += [warning, replace(done, id=event_id(done) + 1)]  # type: ignore[type-var]
    window.bridge.factory = ScriptedFactory(lambda r: ScriptedSource(events))

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)
        await settle()

    run_async(scenario())
    (banner,) = window.banners.banners
    assert banner.kind == "warning"
    assert banner.text == "Older messages were shortened."
    assert QApplication.activeModalWidget() is None


def test_find_selects_matches_in_the_conversation(window: MainWindow, run_async: Any) -> None:
    window.bridge.factory = ScriptedFactory(lambda r: ScriptedSource(answer_events()))

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)
        answer = window.transcript.last_answer()
        await wait_until(lambda: answer is not None and answer.finalized)
        await settle()

    run_async(scenario())
    window.find_action.trigger()
    assert window.find_bar.isVisible()
    window.find_bar.field.setText("Metadaten")
    assert window.find_bar.find_next()
    selected = [
        b.textCursor().selectedText()
        for b in window.transcript.findChildren(TextBlock)
        if b.textCursor().hasSelection()
    ]
    assert selected == ["Metadaten"]
    window.find_bar.field.setText("no such words anywhere")
    assert not window.find_bar.find_next()


def test_code_blocks_copy_their_text_and_remote_images_are_not_loaded(
    window: MainWindow, run_async: Any
) -> None:
    text = "Run this:\n\n```sh\necho hello\n```\n\n![tracker](https://example.com/t.png)\n"
    window.bridge.factory = ScriptedFactory(
        lambda r: ScriptedSource(answer_events(text, thinking=False, tools=False))
    )

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)
        answer = window.transcript.last_answer()
        await wait_until(lambda: answer is not None and answer.finalized)

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    blocks = answer.findChildren(TextBlock)
    with_code = next(b for b in blocks if "echo hello" in b.toPlainText())
    with_code.anchorClicked.emit(QUrl("copy:0"))
    assert QGuiApplication.clipboard().text() == "echo hello\n"
    html = "".join(b.toHtml() for b in blocks)
    assert "<img" not in html
    assert with_code.loadResource(2, QUrl("https://example.com/t.png")) is None


def test_keyboard_shortcuts_reach_their_actions(window: MainWindow) -> None:
    assert window.send_action.shortcut() == QKeySequence("Ctrl+Return")
    assert window.stop_action.shortcut() == QKeySequence("Esc")
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert not window.stop_action.isEnabled()  # Esc does nothing while no answer runs
    window.focus_action.trigger()
    assert window.input_box.editor.hasFocus() or QGuiApplication.focusWindow() is None
    names = [
        window.input_box.editor.accessibleName(),
        window.input_box.send_button.accessibleName(),
        window.input_box.stop_button.accessibleName(),
    ]
    assert all(names)


def test_stop_during_a_stalled_start_still_ends_the_run(window: MainWindow, run_async: Any) -> None:
    class Stuck(ScriptedSource):
        async def cancel(self) -> None:  # the server never confirms
            await asyncio.sleep(3600)

    stuck = Stuck(answer_events(), delay=0.01)
    window.bridge.factory = ScriptedFactory(lambda r: stuck)

    window.bridge.stop_timeout = 0.2

    async def scenario() -> None:
        window.controller.send("q")
        await wait_until(lambda: window.progress.tokens >= 3)
        stuck.paused.clear()
        window.stop_action.trigger()
        (outcome,) = await next_emission(window.controller.answer_finished)
        assert outcome.status.value == "stopped"

    run_async(scenario())
    assert window.bridge.task_count == 0


class LinkRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_links_open_in_the_browser_only_when_clicked_and_only_safe_ones(qtbot: QtBot) -> None:
    recorder = LinkRecorder()
    for scheme in ("https", "javascript", "file"):
        QDesktopServices.setUrlHandler(scheme, recorder, "open")
    try:
        block = TextBlock()
        qtbot.addWidget(block)
        block.setHtml('<a href="https://example.com/doc">doc</a>')
        assert recorder.opened == []  # rendering a link opens nothing
        block.anchorClicked.emit(QUrl("https://example.com/doc"))
        block.anchorClicked.emit(QUrl("javascript:alert(1)"))
        block.anchorClicked.emit(QUrl("file:///etc/passwd"))
        assert recorder.opened == ["https://example.com/doc"]
    finally:
        for scheme in ("https", "javascript", "file"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_a_tool_call_cut_off_by_a_failure_reads_interrupted(
    window: MainWindow, run_async: Any
) -> None:
    head = [e for e in answer_events() if not isinstance(e, Token)][:6]  # ends with a started call
    assert isinstance(head[-1], ToolUse)
    head[-1] = replace(head[-1], status="started", output=None, duration_ms=None)
    window.bridge.factory = ScriptedFactory(
        lambda r: ScriptedSource([*head, GaveUp(8, "connect timeout")])
    )

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.tools is not None
    (card,) = answer.tools.cards
    assert card.state_text == "interrupted"


def test_copy_answer_puts_the_exact_text_on_the_clipboard(
    window: MainWindow, run_async: Any, qtbot: QtBot
) -> None:
    window.bridge.factory = ScriptedFactory(lambda r: ScriptedSource(answer_events()))

    async def scenario() -> None:
        window.controller.send("q")
        await next_emission(window.controller.answer_finished)

    run_async(scenario())
    window.input_box.copy_button.click()
    assert QGuiApplication.clipboard().text() == ANSWER
    assert window.input_box.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: window.input_box.copy_button.text() == "Copy answer", timeout=3000)
