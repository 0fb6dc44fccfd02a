"""The window against scripted sources: order of panels, stop, regenerate, errors, keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Connecting, Rejected, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.settings import Settings
from desktop.streaming.session import Outcome
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.widgets.banner import TokenPrompt
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import active_timers, next_emission, settle, wait_until
from tests.helpers.scripted import ANSWER, answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource

Script = Callable[[ChatRequest], list[StreamEvent]]


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., tuple[MainWindow, ScriptedFactory]]]:
    windows: list[MainWindow] = []

    def make(
        script: Script = lambda r: answer_events(), delay: float = 0.0
    ) -> tuple[MainWindow, ScriptedFactory]:
        factory = ScriptedFactory(lambda r: ScriptedSource(script(r), delay=delay))
        window = MainWindow(StreamBridge(factory), Settings(theme="light"))
        qtbot.addWidget(window)
        window.resize(900, 700)
        window.show()
        windows.append(window)
        return window, factory

    yield make
    for window in windows:
        window.bridge.close()


async def ask(window: MainWindow, text: str) -> Outcome:
    window.controller.send(text)
    (outcome,) = await next_emission(window.controller.answer_finished)
    answer = window.transcript.last_answer()
    await wait_until(lambda: answer is None or answer.finalized)
    await settle()
    return outcome


def test_thinking_then_tools_then_the_exact_answer(make_window: Any, run_async: Any) -> None:
    window, _ = make_window()
    run_async(ask(window, "Wie exportiere ich?"))
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == ANSWER
    assert answer.state is AnswerStatus.DONE
    assert answer.thinking is not None
    assert answer.tools is not None
    layout_order = [answer.thinking.y(), answer.tools.y()]
    assert layout_order == sorted(layout_order)
    assert not answer.thinking.expanded  # folded away when the answer started
    assert answer.thinking.status_lines == ["Analysiere Ihre Anfrage..."]
    (card,) = answer.tools.cards
    assert card.tool == "document_search"
    assert card.status == "completed"
    assert "Unterhaltungen exportieren" in card.output_text
    assert window.progress.status_text.startswith("Done")
    assert window.connection.state == "done"


def test_stop_keeps_the_partial_text_marked_stopped(make_window: Any, run_async: Any) -> None:
    window, factory = make_window(delay=0.01)

    async def scenario() -> Outcome:
        window.controller.send("q")
        await wait_until(lambda: window.progress.tokens >= 5)
        window.stop_action.trigger()
        (outcome,) = await next_emission(window.controller.answer_finished)
        await settle()
        return outcome

    run_async(scenario())
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.state is AnswerStatus.STOPPED
    assert answer.text
    assert ANSWER.startswith(answer.text)
    assert "kept" in answer.note
    assert factory.sources[0].cancelled
    assert window.progress.status_text.startswith("Stopped")


def test_regenerate_asks_the_same_question_again(make_window: Any, run_async: Any) -> None:
    window, factory = make_window()

    async def scenario() -> None:
        await ask(window, "first")
        await ask(window, "second")
        window.controller.regenerate()
        await next_emission(window.controller.answer_finished)

    run_async(scenario())
    assert [r.message for r in factory.requests] == ["first", "second", "second"]
    assert factory.requests[2].history == factory.requests[1].history
    kinds = [type(m) for m in window.transcript.messages]
    assert kinds == [UserMessageView, AssistantMessageView] * 2


def test_new_conversation_can_be_undone(make_window: Any, run_async: Any) -> None:
    window, _ = make_window()
    run_async(ask(window, "q"))
    window.controller.new_conversation()
    assert window.transcript.messages == []
    (banner,) = window.banners.banners
    window.controller.undo_new_conversation()
    assert len(window.transcript.messages) == 2
    assert banner.isHidden()


def test_a_401_asks_for_the_token_in_place(make_window: Any, run_async: Any) -> None:
    refused: list[StreamEvent] = [
        Connecting("u", 0, False),
        Rejected("unauthorized", "missing or wrong bearer token", 401),
    ]
    window, _ = make_window(lambda r: refused)
    entered: list[str] = []
    window.controller.token_entered.connect(entered.append)
    outcome = run_async(ask(window, "q"))
    assert outcome.exit_code == 3
    prompts = [b for b in window.banners.banners if isinstance(b, TokenPrompt)]
    assert len(prompts) == 1
    prompts[0].field.setText("secret")
    prompts[0].field.returnPressed.emit()
    assert entered == ["secret"]


def test_a_web_page_instead_of_a_stream_gives_a_clear_error(
    make_window: Any, run_async: Any
) -> None:
    html: list[StreamEvent] = [
        Connecting("u", 0, False),
        Rejected("not_event_stream", "HTTP 200 with content type text/html", 200),
    ]
    window, _ = make_window(lambda r: html)
    run_async(ask(window, "q"))
    (banner,) = window.banners.banners
    assert banner.kind == "error"
    assert "event stream" in banner.text
    assert "text/html" in banner.text
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.state is AnswerStatus.FAILED


def test_enter_sends_and_shift_enter_adds_a_line(make_window: Any, qtbot: QtBot) -> None:
    window, _factory = make_window(lambda r: [])
    editor = window.input_box.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "line one")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "line two")
    assert editor.toPlainText() == "line one\nline two"
    sent: list[str] = []
    window.input_box.send_requested.connect(sent.append)
    window.input_box.send_requested.disconnect(window.controller.send)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert sent == ["line one\nline two"]
    assert editor.toPlainText() == ""


def test_the_view_follows_the_end_only_while_the_user_is_there(
    make_window: Any, run_async: Any
) -> None:
    long_answer = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(40))
    window, _ = make_window(
        lambda r: answer_events(long_answer, thinking=False, tools=False), delay=0.001
    )
    bar = window.transcript.verticalScrollBar()

    async def scenario() -> None:
        window.controller.send("q")
        await wait_until(lambda: bar.maximum() > 200)
        assert window.transcript.following
        assert bar.value() >= bar.maximum() - 30
        bar.setValue(0)  # the user scrolls up to read
        assert not window.transcript.following
        await next_emission(window.controller.answer_finished)
        await settle()

    run_async(scenario())
    assert bar.value() == 0  # the reader was not dragged down
    bar.setValue(bar.maximum())
    assert window.transcript.following


def test_a_long_answer_is_frozen_into_bounded_segments(make_window: Any, run_async: Any) -> None:
    long_answer = "\n\n".join(f"Paragraph {i} " + "word " * 40 for i in range(200))
    window, _ = make_window(lambda r: answer_events(long_answer, thinking=False, tools=False))
    run_async(ask(window, "q"))
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.text == long_answer
    assert answer.markdown.segment_count >= len(long_answer) // 4000
    assert answer.markdown.flush_count < 200  # one flush per frame, not per token
    assert answer.finalized


def test_closing_leaves_no_running_timers_or_tasks(
    make_window: Any, run_async: Any, qapp: QApplication
) -> None:
    window, _ = make_window(delay=0.01)

    async def scenario() -> None:
        window.controller.send("q")
        await wait_until(lambda: window.progress.tokens >= 3)
        window.close()
        await settle(100)

    run_async(scenario())
    assert window.bridge.task_count == 0
    assert active_timers(window) == []


def test_simulate_drop_cuts_the_live_connection(make_window: Any, run_async: Any) -> None:
    window, factory = make_window(delay=0.01)

    async def scenario() -> None:
        window.controller.send("q")
        await wait_until(lambda: window.progress.tokens >= 2)
        window.drop_action.trigger()
        window.stop_action.trigger()
        await next_emission(window.controller.answer_finished)

    run_async(scenario())
    assert factory.sources[0].dropped == 1


def test_a_refused_certificate_points_to_the_server_settings_not_to_a_retry(
    make_window: Any, run_async: Any
) -> None:
    message = "The certificate of assist.example.org (issued by O=Intranet CA) is not trusted"
    refused: list[StreamEvent] = [
        Connecting("u", 0, False),
        Rejected("untrusted_certificate", message),
    ]
    window, _ = make_window(lambda r: refused)
    asked: list[bool] = []
    window.controller.settings_requested.connect(lambda: asked.append(True))
    outcome = run_async(ask(window, "q"))
    assert outcome.exit_code == 3
    (banner,) = window.banners.banners
    assert (banner.kind, banner.text) == ("error", message)
    (action,) = [b for b in banner.findChildren(QPushButton) if b.objectName() == "bannerAction"]
    assert action.text() == "Server settings…"
    action.click()
    assert asked == [True]
