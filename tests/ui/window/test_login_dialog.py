"""The login dialog and the way from a 401 back to the answer, with real logins at the fake
nscale-assist on loopback and scripted answer streams.

Keyboard only, names for screen readers, German texts; a wrong password is said in the dialog
and costs nothing; after the login the refused question goes out again and every earlier
question and partial answer is still on screen; Cancel keeps the question and says it was not
sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from servers.nscale import EMAIL, PASSWORD, RunningNscale, start_fake_nscale

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Connecting, Rejected, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.settings import Settings
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.login import Login, log_in
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.i18n import Translations
from desktop.ui.window.login_dialog import LoginDialog
from desktop.ui.window.login_prompt import LoginPrompt
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission, settle, wait_until
from tests.helpers.scripted import answer_events, split_tokens
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource

SERVER = "https://assist.example.org"
PARTIAL = "Eine Akte legen Sie über das Menü „Neu“ an"


@pytest.fixture(scope="module")
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale() as running:
        yield running


def open_dialog(qtbot: QtBot, email: str = "") -> LoginDialog:
    dialog = LoginDialog(SERVER, email)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_the_dialog_is_used_with_the_keyboard_alone(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    sent: list[tuple[str, str]] = []
    dialog.submitted.connect(lambda email, password: sent.append((email, password)))
    qtbot.waitUntil(dialog.email.hasFocus)
    qtbot.keyClicks(dialog.email, EMAIL)
    qtbot.keyClick(dialog.email, Qt.Key.Key_Tab)
    assert dialog.password.hasFocus()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert sent == [(EMAIL, PASSWORD)]
    assert not dialog.password.isEnabled()  # busy: nothing is sent twice
    assert dialog.cancel_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.password.text() == ""


def test_a_known_email_puts_the_cursor_in_the_password(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, EMAIL)
    qtbot.waitUntil(dialog.password.hasFocus)
    assert not dialog.login_button.isEnabled()  # an empty password is never sent


def test_every_field_has_a_name_for_screen_readers_and_a_mnemonic(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot)
    assert dialog.email.accessibleName() == "E-mail address"
    assert dialog.password.accessibleName() == "Password"
    assert dialog.password.echoMode() is dialog.password.EchoMode.Password
    buddies = {label.buddy(): label.text() for label in dialog.findChildren(QLabel)}
    assert buddies[dialog.email] == "&E-mail"
    assert buddies[dialog.password] == "&Password"
    assert dialog.heading.text() == f"Log in to {SERVER}"


def test_the_dialog_speaks_german(qtbot: QtBot, qapp: QApplication) -> None:
    translations = Translations(qapp)
    translations.set_language("de")
    try:
        dialog = open_dialog(qtbot)
        assert dialog.windowTitle() == "Anmelden"
        assert dialog.login_button.text() == "Anmelden"
        assert dialog.cancel_button.text() == "Abbrechen"
        assert dialog.password.accessibleName() == "Passwort"
        assert "Ihre Frage bleibt erhalten" in dialog.intro.text()
    finally:
        translations.set_language("en")


# --- the way back to the answer ------------------------------------------------------------

REFUSED: list[StreamEvent] = [
    Connecting("u", 0, False),
    Rejected("unauthorized", "Ungültiges oder abgelaufenes Token", 401),
]


class Server:
    """Scripted answers that need a login, and a real login at the fake nscale-assist."""

    def __init__(self, nscale: RunningNscale) -> None:
        self.nscale = nscale
        self.token: str | None = None
        self.logins: list[Login] = []
        self.scripts: list[list[StreamEvent]] = []

    def script(self, request: ChatRequest) -> list[StreamEvent]:
        if self.token is None:
            return REFUSED
        return self.scripts.pop(0) if self.scripts else answer_events(f"Antwort: {request.message}")

    async def log_in(self, email: str, password: str) -> Login:
        config = ClientConfig(self.nscale.url)
        async with make_client(config) as client:
            return await log_in(client, config, email, password)

    def on_logged_in(self, login: Login) -> None:
        self.logins.append(login)
        self.token = login.token


Setup = tuple[MainWindow, ScriptedFactory, Server, LoginPrompt]


@pytest.fixture
def login_window(qtbot: QtBot, nscale: RunningNscale) -> Iterator[Callable[[], Setup]]:
    windows: list[MainWindow] = []

    def make() -> Setup:
        server = Server(nscale)
        factory = ScriptedFactory(lambda r: ScriptedSource(server.script(r)))
        window = MainWindow(StreamBridge(factory), Settings(theme="light"))
        qtbot.addWidget(window)
        window.resize(900, 700)
        window.show()
        window.controller.on_unauthorized = "login"
        prompt = LoginPrompt(nscale.url, server.log_in, window.controller, window)
        prompt.logged_in.connect(server.on_logged_in)
        windows.append(window)
        return window, factory, server, prompt

    yield make
    for window in windows:
        window.bridge.close()


async def log_in_with(prompt: LoginPrompt, password: str) -> LoginDialog:
    await wait_until(lambda: prompt.dialog is not None and prompt.dialog.isVisible())
    dialog = prompt.dialog
    assert dialog is not None
    dialog.email.setText(EMAIL)
    dialog.password.setText(password)
    dialog.login_button.click()
    return dialog


def test_a_401_opens_the_dialog_and_the_same_question_is_answered_after_the_login(
    login_window: Callable[[], Setup], run_async: Any, caplog: pytest.LogCaptureFixture
) -> None:
    window, factory, server, prompt = login_window()
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        window.controller.send("Wie lege ich eine Akte an?")
        (refused,) = await next_emission(window.controller.answer_finished)
        assert refused.kind == "rejected"
        dialog = await log_in_with(prompt, "falsch")
        await wait_until(dialog.problem.isVisible)
        assert dialog.problem.text() == "Ungültige Anmeldedaten"
        assert dialog.password.text() == ""
        assert dialog.password.isEnabled()
        assert len(factory.requests) == 1  # nothing re-sent on a failed login
        answered = next_emission(window.controller.answer_finished)
        await log_in_with(prompt, PASSWORD)
        (outcome,) = await answered
        assert outcome.exit_code == 0
        await settle()

    run_async(scenario())
    assert [r.message for r in factory.requests] == ["Wie lege ich eine Akte an?"] * 2
    assert len(server.logins) == 1
    assert server.logins[0].user == EMAIL
    messages = window.transcript.messages
    assert [m.text for m in messages] == [
        "Wie lege ich eine Akte an?",
        "Antwort: Wie lege ich eine Akte an?",
    ]
    assert prompt.dialog is None
    assert PASSWORD not in caplog.text


def test_an_expired_login_mid_conversation_keeps_the_earlier_partial_answer(
    login_window: Callable[[], Setup], run_async: Any
) -> None:
    window, factory, server, prompt = login_window()
    server.token = "still-valid"
    cut = answer_events(PARTIAL, thinking=False, tools=False)
    cut = [*cut[:-1], Rejected("not_resumable", "the connection was lost; no resume")]
    server.scripts.append(cut)

    async def scenario() -> None:
        window.controller.send("Wie lege ich eine Akte an?")
        (first,) = await next_emission(window.controller.answer_finished)
        assert first.kind == "interrupted"  # lost where the backend cannot resume
        server.token = None  # the server now calls the token expired
        window.controller.send("Und wie lösche ich sie?")
        await next_emission(window.controller.answer_finished)
        answered = next_emission(window.controller.answer_finished)
        await log_in_with(prompt, PASSWORD)
        (outcome,) = await answered
        assert outcome.exit_code == 0
        await settle()

    run_async(scenario())
    texts = [m.text for m in window.transcript.messages]
    assert texts == [
        "Wie lege ich eine Akte an?",
        PARTIAL,
        "Und wie lösche ich sie?",
        "Antwort: Und wie lösche ich sie?",
    ]
    assert "".join(split_tokens(PARTIAL)) == texts[1]
    partial = window.transcript.messages[1]
    assert getattr(partial, "state", None) is AnswerStatus.INTERRUPTED
    assert [r.message for r in factory.requests][-2:] == ["Und wie lösche ich sie?"] * 2


def test_cancel_keeps_the_question_and_says_it_was_not_sent(
    login_window: Callable[[], Setup], run_async: Any
) -> None:
    window, factory, _server, prompt = login_window()

    async def scenario() -> None:
        window.controller.send("Wie lege ich eine Akte an?")
        await next_emission(window.controller.answer_finished)
        await wait_until(lambda: prompt.dialog is not None and prompt.dialog.isVisible())
        assert prompt.dialog is not None
        prompt.dialog.reject()
        await settle()

    run_async(scenario())
    assert window.transcript.messages[0].text == "Wie lege ich eine Akte an?"
    (banner,) = [b for b in window.banners.banners if b.objectName() == "loginCancelledBanner"]
    assert banner.text.startswith("Not sent: you are not logged in")
    assert len(factory.requests) == 1
    (again,) = [b for b in banner.findChildren(QPushButton) if b.text() == "Log in…"]
    again.click()
    assert prompt.dialog is not None
    assert prompt.question_waiting  # a login now still sends the kept question


def test_switching_servers_closes_an_open_login_without_a_not_sent_banner(
    login_window: Callable[[], Setup], qtbot: QtBot
) -> None:
    window, _factory, _server, prompt = login_window()
    dialog = prompt.ask()
    qtbot.waitExposed(dialog)
    prompt.detach()
    assert not dialog.isVisible()
    assert not [b for b in window.banners.banners if b.objectName() == "loginCancelledBanner"]
    window.controller.login_required.emit()  # a 401 from the next server: not this prompt's
    assert prompt.dialog is None
