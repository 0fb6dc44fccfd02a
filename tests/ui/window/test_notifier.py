"""Desktop notifications for conversations that end out of view, on a real notification service.

A private ``dbus-daemon`` per test with a notification service on it (``servers.session_bus``);
the window talks to it as it would to a desktop's daemon: the test checks the ``Notify`` call's
signature and arguments as the service received them, and clicks the notification through the
service's ``ActionInvoked`` signal.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from servers.scripted_backend import ScriptedBackend, Step, answer_words
from servers.server_thread import ServerThread
from servers.session_bus import NotificationService, NotifyCall, private_session_bus

from desktop.protocol.events import Done, Token, Usage
from desktop.protocol.request import ChatRequest
from desktop.server.backend import UpstreamError
from desktop.store.answer_rows import title_from
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.window.notifier import NOTIFY_SIGNATURE, DesktopNotifier
from tests.helpers.history_kit import HistoryWindow, Maker, history_windows
from tests.helpers.qt import next_emission, wait_until

pytestmark = pytest.mark.e2e

TOKEN = "notifier-token"
FINE = "Wie exportiere ich eine Unterhaltung?"
BROKEN = "Wie drucke ich eine Unterhaltung?"
FAILURE = "the model went away"


class Held:
    """Answers hold after their first word until the test lets them end; ``BROKEN`` fails."""

    def __init__(self) -> None:
        self.gates = {FINE: threading.Event(), BROKEN: threading.Event()}

    def script(self, request: ChatRequest, _attempt: int) -> list[Step]:
        words = answer_words(request, 6)
        gate = self.gates[request.message]
        steps = [Step(Token(0, words[0], 0)), Step(Token(0, words[1], 0), gate=gate)]
        if request.message == BROKEN:
            return [*steps, Step(UpstreamError("upstream", FAILURE))]
        steps += [Step(Token(0, w, 0)) for w in words[2:]]
        return [*steps, Step(Done(0, "stop", Usage(1, len(words))))]


@pytest.fixture
def held() -> Iterator[Held]:
    made = Held()
    yield made
    for gate in made.gates.values():
        gate.set()


@pytest.fixture
def server(held: Held) -> Iterator[ServerThread]:
    with ServerThread(backend=ScriptedBackend(held.script), token=TOKEN) as running:
        yield running


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with private_session_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


@pytest.fixture
def service(bus: str) -> Iterator[NotificationService]:
    with NotificationService(bus) as running:
        yield running


@pytest.fixture
def make_window(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    yield from history_windows(qtbot, run_async)


async def received(service: NotificationService) -> NotifyCall:
    await wait_until(lambda: not service.calls.empty(), 20)
    return service.calls.get_nowait()


async def ask_in_background(item: HistoryWindow, question: str) -> ConversationPane:
    """Ask in the pane in view, then open a new conversation beside it (it streams on)."""
    pane = item.window.current_pane
    pane.controller.send(question)
    await wait_until(lambda: pane.progress.tokens >= 1, 20)
    await item.written()
    item.window.new_action.trigger()
    assert item.window.current_pane is not pane
    return pane


def test_a_conversation_ending_out_of_view_notifies_and_the_click_brings_it_up(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread,
    service: NotificationService, held: Held,
) -> None:  # fmt: skip
    item = make_window(tmp_path / "cache.sqlite3", url=server.url, token=TOKEN)
    window = item.window

    async def scenario() -> tuple[ConversationPane, NotifyCall]:
        background = await ask_in_background(item, FINE)
        finished = next_emission(background.controller.answer_finished, 20)
        held.gates[FINE].set()
        await finished
        call = await received(service)
        await wait_until(lambda: window.notifier.showing == 1, 10)  # the reply has its id
        service.click(call.notification_id)
        await wait_until(lambda: window.current_pane is background, 20)
        return background, call

    background, call = run_async(scenario())
    assert call.signature == NOTIFY_SIGNATURE
    assert call.summary == title_from(FINE)
    assert call.body == "Answer finished"
    assert call.actions[0] == "default"
    assert call.args[1] == 0  # replaces no notification (a uint32 on the wire)
    assert window.notifier.channel == "freedesktop"
    assert window.current_pane is background
    assert len(background.transcript.messages) == 2


def test_a_failure_out_of_view_notifies_with_its_reason(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread,
    service: NotificationService, held: Held,
) -> None:  # fmt: skip
    item = make_window(tmp_path / "cache.sqlite3", url=server.url, token=TOKEN)

    async def scenario() -> NotifyCall:
        background = await ask_in_background(item, BROKEN)
        finished = next_emission(background.controller.answer_finished, 20)
        held.gates[BROKEN].set()
        await finished
        return await received(service)

    call = run_async(scenario())
    assert call.summary == title_from(BROKEN)
    assert FAILURE in call.body


def test_notifications_switched_off_in_the_settings_send_nothing(
    tmp_path: Path, make_window: Maker, run_async: Any, server: ServerThread,
    service: NotificationService, held: Held,
) -> None:  # fmt: skip
    item = make_window(tmp_path / "cache.sqlite3", url=server.url, token=TOKEN)
    window = item.window
    window.settings = dataclasses.replace(window.settings, notifications=False)

    async def end_in_background(question: str) -> None:
        pane = await ask_in_background(item, question)
        finished = next_emission(pane.controller.answer_finished, 20)
        held.gates[question].set()
        await finished

    async def scenario() -> NotifyCall:
        await end_in_background(BROKEN)
        window.settings = dataclasses.replace(window.settings, notifications=True)
        await end_in_background(FINE)
        return await received(service)

    call = run_async(scenario())
    assert call.summary == title_from(FINE)  # the first call: none for the switched-off one
    assert service.calls.empty()


def test_without_a_notification_service_nothing_is_shown(qtbot: QtBot, bus: str) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    notifier = DesktopNotifier(widget, bus_address=bus)
    assert notifier.notify("c1", "Title", "Answer finished") == "none"
