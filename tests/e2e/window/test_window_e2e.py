"""The window against the real reference server on loopback, with faults switched on."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Reconnecting, Resumed, StreamEvent, Thinking, Token, ToolUse
from desktop.server.embedded import EmbeddedServer
from desktop.settings import Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.session import Outcome
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import StreamBridge
from desktop.ui.widgets.banner import TokenPrompt
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import active_timers, next_emission, settle, wait_until

pytestmark = pytest.mark.e2e

QUESTION = "Wie exportiere ich eine Unterhaltung?"


@pytest.fixture(scope="module")
def fast_server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(token_rate=0, allow_faults=True) as server:
        yield server


@pytest.fixture(scope="module")
def slow_server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(token_rate=60, allow_faults=True) as server:
        yield server


@pytest.fixture
def html_server() -> Iterator[str]:
    class Page(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"<html><body>Please log in</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


WindowMaker = Callable[..., tuple[MainWindow, StreamingSourceFactory]]


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[WindowMaker]:
    made: list[tuple[MainWindow, StreamingSourceFactory]] = []

    def make(
        url: str, token: str | None, **headers: str
    ) -> tuple[MainWindow, StreamingSourceFactory]:
        config = ClientConfig(base_url=url, token=token, idle_timeout=10.0, max_attempts=4)
        factory = StreamingSourceFactory(config)
        factory.extra_headers = dict(headers)
        window = MainWindow(StreamBridge(factory), Settings(theme="light"))
        qtbot.addWidget(window)
        window.resize(900, 700)
        window.show()
        made.append((window, factory))
        return window, factory

    yield make

    async def close_all() -> None:
        for window, factory in made:
            await window.bridge.aclose()
            await factory.aclose()

    run_async(close_all())


def record(window: MainWindow) -> list[StreamEvent]:
    events: list[StreamEvent] = []
    window.bridge.event_received.connect(events.append)
    return events


async def ask(window: MainWindow, text: str = QUESTION) -> Outcome:
    window.controller.send(text)
    (outcome,) = await next_emission(window.controller.answer_finished, 30)
    await settle()
    return outcome


def test_a_dropped_connection_reconnects_to_the_exact_text(
    make_window: WindowMaker, run_async: Any, fast_server: EmbeddedServer
) -> None:
    clean, _ = make_window(fast_server.url, fast_server.token)
    faulty, _ = make_window(fast_server.url, fast_server.token, **{"X-Fault-Drop-Mid": "25"})
    events = record(faulty)
    states: list[str] = []
    faulty.bridge.event_received.connect(lambda e: states.append(faulty.connection.state))

    async def scenario() -> tuple[Outcome, Outcome]:
        return await ask(clean), await ask(faulty)

    first, second = run_async(scenario())
    assert first.exit_code == 0
    assert second.exit_code == 0
    assert any(isinstance(e, Reconnecting) for e in events)
    assert any(isinstance(e, Resumed) for e in events)
    assert "reconnecting" in states
    expected = clean.transcript.last_answer()
    got = faulty.transcript.last_answer()
    assert expected is not None
    assert got is not None
    assert got.text == expected.text
    assert got.text == "".join(e.content for e in events if isinstance(e, Token))


def test_stop_cancels_on_the_server_and_keeps_the_text(
    make_window: WindowMaker, run_async: Any, slow_server: EmbeddedServer
) -> None:
    window, _ = make_window(slow_server.url, slow_server.token)

    async def scenario() -> Outcome:
        window.controller.send(QUESTION)
        await wait_until(lambda: window.progress.tokens >= 5, 20)
        window.input_box.stop_button.click()
        (outcome,) = await next_emission(window.controller.answer_finished, 20)
        await settle()
        return outcome

    outcome = run_async(scenario())
    answer = window.transcript.last_answer()
    assert outcome.kind == "stopped"
    assert answer is not None
    assert answer.state is AnswerStatus.STOPPED
    assert len(answer.text) > 0
    assert window.connection.state == "stopped"


def test_regenerate_streams_a_second_complete_answer(
    make_window: WindowMaker, run_async: Any, fast_server: EmbeddedServer
) -> None:
    window, _ = make_window(fast_server.url, fast_server.token)

    async def scenario() -> Outcome:
        await ask(window)
        first = window.transcript.last_answer()
        assert first is not None
        window.input_box.regenerate_button.click()
        (outcome,) = await next_emission(window.controller.answer_finished, 30)
        return outcome

    outcome = run_async(scenario())
    assert outcome.exit_code == 0
    assert len(window.transcript.messages) == 2
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.state is AnswerStatus.DONE
    assert answer.text


def test_a_401_asks_for_the_token_and_then_answers(
    make_window: WindowMaker, run_async: Any, fast_server: EmbeddedServer
) -> None:
    window, factory = make_window(fast_server.url, "wrong-token")

    def use_token(token: str) -> None:
        factory.set_token(token)
        window.controller.regenerate()

    window.controller.token_entered.connect(use_token)

    async def scenario() -> tuple[Outcome, Outcome]:
        refused = await ask(window)
        prompts = [b for b in window.banners.banners if isinstance(b, TokenPrompt)]
        assert len(prompts) == 1
        prompts[0].field.setText(fast_server.token)
        prompts[0].field.returnPressed.emit()
        (answered,) = await next_emission(window.controller.answer_finished, 30)
        return refused, answered

    refused, answered = run_async(scenario())
    assert refused.kind == "rejected"
    assert answered.exit_code == 0
    assert not any(isinstance(b, TokenPrompt) for b in window.banners.banners)


def test_an_html_page_gives_a_clear_error(
    make_window: WindowMaker, run_async: Any, html_server: str
) -> None:
    window, _ = make_window(html_server, None)
    outcome = run_async(ask(window))
    assert outcome.kind == "rejected"
    (banner,) = window.banners.banners
    assert banner.kind == "error"
    assert "event stream" in banner.text
    assert "text/html" in banner.text


def test_thinking_and_tool_cards_appear_in_order(
    make_window: WindowMaker, run_async: Any, fast_server: EmbeddedServer
) -> None:
    window, _ = make_window(fast_server.url, fast_server.token)
    events = record(window)
    run_async(ask(window))
    kinds = [type(e) for e in events if isinstance(e, Thinking | ToolUse | Token)]
    first_tool, first_token = kinds.index(ToolUse), kinds.index(Token)
    assert kinds.index(Thinking) < first_tool < first_token
    answer = window.transcript.last_answer()
    assert answer is not None
    assert answer.thinking is not None
    assert answer.tools is not None
    assert answer.thinking.y() < answer.tools.y()
    cards = answer.tools.cards
    assert [c.call_id for c in cards] == list(
        dict.fromkeys(e.call_id for e in events if isinstance(e, ToolUse))
    )
    assert all(c.status == "completed" for c in cards)


def test_closing_mid_stream_cancels_every_task(
    make_window: WindowMaker, run_async: Any, slow_server: EmbeddedServer
) -> None:
    window, factory = make_window(slow_server.url, slow_server.token)

    async def scenario() -> None:
        window.controller.send(QUESTION)
        await wait_until(lambda: window.progress.tokens >= 3, 20)
        window.close()
        await asyncio.sleep(0.1)
        await factory.aclose()

    run_async(scenario())
    assert window.bridge.task_count == 0
    assert not window.bridge.running
    assert active_timers(window) == []
