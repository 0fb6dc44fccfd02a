"""The window logs in to the fake nscale-assist on loopback: the whole app with no token, and a
login that expires mid-conversation, with the real nscale client and real logins.

The app asks for the login, keeps the token in the keyring and answers the question it was
asked; when the server later calls the token expired, the same question is answered after a new
login, and the earlier partial answer is still on screen.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from servers.keyrings import MemoryKeyring
from servers.nscale import EMAIL, PASSWORD, RunningNscale, start_fake_nscale
from servers.nscale.streams import AnswerScript, words

from desktop.app import main
from desktop.protocol.answer_status import AnswerStatus
from desktop.settings import ServerProfile, Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.login import Login, log_in
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.login_dialog import LoginDialog
from desktop.ui.window.login_prompt import LoginPrompt
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission, settle, shown, wait_until, when_found

pytestmark = pytest.mark.e2e

QUESTION = "Wie lege ich eine Akte an?"
FOLLOW_UP = "Und wie lösche ich sie wieder?"
PARTIAL = words("Öffnen Sie die Akte über Datei → Neu und tragen Sie")


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale() as running:
        yield running


@pytest.fixture
def app_keyring(
    memory_keyring: MemoryKeyring, qapp: QApplication, restore_app_style: None
) -> MemoryKeyring:
    """For a test that runs the whole app: the keyring it keeps tokens in (in memory)."""
    return memory_keyring


def fill_the_dialog_when_it_opens(password: str) -> list[LoginDialog]:
    """What the user does: wait for the dialog, type e-mail and password, press Log in.

    Returns the dialogs seen (filled in as they open).
    """
    seen: list[LoginDialog] = []

    def log_in(dialog: LoginDialog) -> None:
        seen.append(dialog)
        dialog.email.setText(EMAIL)
        dialog.password.setText(password)
        dialog.login_button.click()

    when_found(lambda: shown(LoginDialog), log_in)
    return seen


def ask_nscale_and_quit(nscale: RunningNscale, tmp_path: Path) -> int:
    """The whole app asked one question of ``nscale`` from the command line, quitting after."""
    return main(
        [
            "--settings", str(tmp_path / "settings.json"),
            "--db", str(tmp_path / "cache.sqlite3"),
            "--server", nscale.url,
            "--protocol", "nscale",
            "--ask", QUESTION,
            "--quit-when-done",
        ]
    )  # fmt: skip


def test_without_a_token_the_app_asks_for_the_login_and_answers_the_question(
    nscale: RunningNscale, app_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    seen = fill_the_dialog_when_it_opens(PASSWORD)
    code = ask_nscale_and_quit(nscale, tmp_path)
    assert code == 0
    assert len(seen) == 1
    token = app_keyring.store[("assist-desktop", nscale.url)]
    assert nscale.fake.accounts.user_of(f"Bearer {token}").email == EMAIL
    answered = [g for g in nscale.fake.generations if g.state == "complete"]
    assert [g.question for g in answered] == [QUESTION]
    for path in tmp_path.iterdir():  # settings, the cache and its journal files
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
            assert token.encode() not in path.read_bytes(), path  # the keyring's alone


def test_a_cancelled_login_ends_quit_when_done_as_the_refusal_did(
    nscale: RunningNscale, app_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    when_found(lambda: shown(LoginDialog), lambda dialog: dialog.cancel_button.click())
    code = ask_nscale_and_quit(nscale, tmp_path)
    assert code == 3
    assert app_keyring.store == {}
    assert not [g for g in nscale.fake.generations if g.state == "complete"]


@pytest.fixture
def window(
    qtbot: QtBot, nscale: RunningNscale
) -> Iterator[tuple[MainWindow, LoginPrompt, StreamingSourceFactory]]:
    """The window on the nscale client, wired to log in the way the app wires it."""
    config = ClientConfig(nscale.url, token=nscale.login_token(), idle_timeout=10, max_attempts=2)
    factory = StreamingSourceFactory(config, "nscale")
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    window.controller.on_unauthorized = "login"

    async def send_login(email: str, password: str) -> Login:
        return await log_in(factory.client, factory.config, email, password)

    prompt = LoginPrompt(nscale.url, send_login, window.controller, window)
    prompt.logged_in.connect(lambda login: factory.set_token(login.token))
    yield window, prompt, factory
    window.bridge.close()


def test_a_login_that_expires_mid_conversation_is_renewed_and_nothing_is_lost(
    nscale: RunningNscale,
    window: tuple[MainWindow, LoginPrompt, StreamingSourceFactory],
    run_async: Any,
) -> None:
    main_window, prompt, factory = window
    controller = main_window.controller
    nscale.fake.scripts.append(
        AnswerScript(PARTIAL + words("das Aktenzeichen ein."), cut_after=len(PARTIAL))
    )

    async def scenario() -> None:
        controller.send(QUESTION)
        (cut,) = await next_emission(controller.answer_finished, 30)
        assert cut.kind == "interrupted"  # nscale cannot resume: the text stays
        day_later = time.time() + 86_400 + 60
        nscale.fake.accounts.clock = lambda: day_later  # the server now calls the token expired
        controller.send(FOLLOW_UP)
        (refused,) = await next_emission(controller.answer_finished, 30)
        assert refused.kind == "rejected"
        await wait_until(lambda: prompt.dialog is not None and prompt.dialog.isVisible())
        assert prompt.dialog is not None
        answered = next_emission(controller.answer_finished, 30)
        prompt.dialog.email.setText(EMAIL)
        prompt.dialog.password.setText(PASSWORD)
        prompt.dialog.login_button.click()
        (outcome,) = await answered
        assert outcome.exit_code == 0
        await settle()
        await main_window.bridge.aclose()
        await factory.aclose()

    run_async(scenario())
    messages = main_window.transcript.messages
    texts = [m.text for m in messages]
    assert texts[:3] == [QUESTION, "".join(PARTIAL), FOLLOW_UP]
    assert len(texts) == 4
    assert texts[3].strip()
    assert getattr(messages[1], "state", None) is AnswerStatus.INTERRUPTED
    complete = [g.question for g in nscale.fake.generations if g.state == "complete"]
    assert complete == [FOLLOW_UP]  # asked once more after the login, generated once


def test_a_login_profile_without_a_token_asks_for_the_login_at_start(
    nscale: RunningNscale, app_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    seen = fill_the_dialog_when_it_opens(PASSWORD)
    logged_in = ("assist-desktop", nscale.url)
    when_found(
        lambda: shown(MainWindow) if logged_in in app_keyring.store else None,
        lambda window: window.close(),
        otherwise=lambda: [w.close() for w in QApplication.topLevelWidgets()],  # no hang
    )
    settings = tmp_path / "settings.json"
    Settings().with_profile(ServerProfile("Intranet", nscale.url, protocol="nscale")).save(settings)
    code = main(["--settings", str(settings), "--db", str(tmp_path / "cache.sqlite3")])
    assert code == 0
    assert len(seen) == 1
    assert seen[0].server == nscale.url
    assert ("assist-desktop", nscale.url) in app_keyring.store
    assert nscale.fake.generations == []  # nothing was asked, so nothing was sent
