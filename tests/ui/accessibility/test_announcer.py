"""Milestone announcements: which events are said, in which words, and how they are spaced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.protocol.events import Reconnecting, Reset, Resumed, StreamStarted, Token, ToolUse
from desktop.settings import Settings
from desktop.streaming.session import Outcome
from desktop.ui.accessibility.announcer import Announcer
from desktop.ui.bridge import StreamBridge
from desktop.ui.window.main_window import MainWindow


@pytest.fixture
def announcer(qtbot: QtBot) -> Iterator[tuple[Announcer, list[str]]]:
    target = QWidget()
    qtbot.addWidget(target)
    announcer = Announcer(target)
    said: list[str] = []
    announcer.announced.connect(said.append)
    yield announcer, said
    announcer.close()


def outcome(kind: str) -> Outcome:
    return Outcome(kind, stream_id="s1", last_event_id=10)  # type: ignore[arg-type]


def test_tokens_are_never_announced_and_the_first_milestone_is_said_at_once(
    announcer: tuple[Announcer, list[str]],
) -> None:
    speaker, said = announcer
    speaker.on_event(StreamStarted(id=1, stream_id="s1"))
    for i in range(200):
        speaker.on_event(Token(id=2 + i, content="word ", index=i))
    assert said == ["Answer started."]


def test_milestones_wait_their_turn_and_keep_their_order(
    announcer: tuple[Announcer, list[str]], qtbot: QtBot
) -> None:
    speaker, said = announcer
    speaker.on_event(StreamStarted(id=1, stream_id="s1"))
    speaker.on_event(ToolUse(id=2, call_id="c", tool="document_search", status="started"))
    speaker.on_event(
        Reconnecting(attempt=1, max_attempts=8, delay=0.5, reason="x", last_event_id=2)
    )
    speaker.on_event(Resumed(last_event_id=2, attempts=1, downtime=0.1))
    assert said == ["Answer started."]  # the rest waits for the throttle
    speaker.on_finished(outcome("done"), "one two three")
    qtbot.waitUntil(lambda: len(said) == 4, timeout=15_000)
    # Three wait at most: the oldest passing milestone gave way, the final word did not.
    assert said == [
        "Answer started.",
        "Connection lost, reconnecting.",
        "Connection restored, the answer continues.",
        "Answer finished, 3 words.",
    ]


def test_an_interrupted_answer_says_why(announcer: tuple[Announcer, list[str]]) -> None:
    speaker, said = announcer
    speaker.on_finished(outcome("gave_up"), "just one", "the server is gone")
    assert said == ["Answer interrupted after 2 words: the server is gone"]
    assert speaker.status == said[-1]


def test_the_status_is_there_before_any_answer_and_follows_the_running_one(
    announcer: tuple[Announcer, list[str]],
) -> None:
    speaker, said = announcer
    assert speaker.status == "No answer yet."
    speaker.on_event(StreamStarted(id=1, stream_id="s1"))
    speaker.on_event(ToolUse(id=2, call_id="c", tool="document_search", status="started"))
    assert speaker.status == "Searching documents."
    speaker.read_status()  # on demand: not throttled
    assert said[-1] == "Searching documents."


def test_a_reset_is_said_so_the_listener_knows_the_text_starts_again(
    announcer: tuple[Announcer, list[str]],
) -> None:
    speaker, said = announcer
    speaker.on_event(Reset(id=7))
    assert said == ["The server started the answer over."]
    assert speaker.status == "The answer is being written again from the start."


def test_a_banner_is_said_and_never_dropped(
    announcer: tuple[Announcer, list[str]], qtbot: QtBot
) -> None:
    speaker, said = announcer
    speaker.on_event(StreamStarted(id=1, stream_id="s1"))
    for tool in ("a", "b", "c", "d"):
        speaker.on_event(ToolUse(id=2, call_id=tool, tool=tool, status="started"))
    speaker.notice("Deleted “Export”.")
    qtbot.waitUntil(lambda: "Deleted “Export”." in said, timeout=15_000)
    assert speaker.status == "Using the tool d."  # a notice is not the answer's status


def test_the_window_tells_a_screen_reader_of_each_new_banner(qtbot: QtBot) -> None:
    window = MainWindow(StreamBridge(None), Settings(theme="light"))
    qtbot.addWidget(window)
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    window.banners.show_message("warning", "The server is busy; retrying.")
    assert said == ["The server is busy; retrying."]
    window.bridge.close()


def test_a_background_conversation_ending_is_said_once_with_its_title(
    announcer: tuple[Announcer, list[str]],
) -> None:
    speaker, said = announcer
    speaker.on_background_finished(outcome("done"), "Export questions")
    assert said == ["Answer finished in Export questions."]
    assert speaker.status == "No answer yet."  # the status is the one in view's
