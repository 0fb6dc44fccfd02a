"""State is never shown by colour alone, and the keyboard focus is always visible."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.markdown.render import MarkdownColors
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Connecting, GaveUp, Reconnecting, Resumed
from desktop.ui.accessibility.state_mark import StateMark
from desktop.ui.conversation.connection_status import ConnectionStatus
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.window import theme


def _mark(status: ConnectionStatus) -> StateMark:
    mark = status.findChild(StateMark)
    assert mark is not None
    return mark


def test_each_kind_of_connection_state_has_its_own_shape_and_words(qtbot: QtBot) -> None:
    status = ConnectionStatus()
    qtbot.addWidget(status)
    seen: dict[str, tuple[str, str]] = {}
    for name, event in (
        ("connecting", Connecting("http://127.0.0.1:1/", attempt=0, resuming=False)),
        ("reconnecting", Reconnecting(2, 8, 4.0, "connection lost (reset)", 17)),
        ("resumed", Resumed(17, 2, 1.2)),
        ("gave_up", GaveUp(8, "connection lost")),
    ):
        status.on_event(event)
        seen[name] = (_mark(status).shape, status.text)
    shapes = [shape for shape, _ in seen.values()]
    assert len(set(shapes)) == len(shapes)  # told apart in a colourless screenshot
    assert len({text for _, text in seen.values()}) == len(seen)  # and in words


def test_the_mark_is_not_read_out_by_a_screen_reader(qtbot: QtBot) -> None:
    status = ConnectionStatus()
    qtbot.addWidget(status)
    assert _mark(status).accessibleName() == ""
    assert status.accessibleName() == status.text  # the sentence is what is said


@pytest.fixture
def styled(qapp: QApplication, restore_app_style: None) -> theme.Palette:
    theme.apply(qapp, theme.LIGHT)
    return theme.LIGHT


def _accent_pixels(widget: QWidget, accent: str) -> int:
    image: QImage = widget.grab().toImage()
    target = QColor(accent)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y) == target
    )


def test_a_focused_button_shows_a_ring_in_the_accent_colour(
    qtbot: QtBot, styled: theme.Palette
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    button, other = QPushButton("New conversation", host), QPushButton("Other", host)
    other.move(0, 60)
    host.resize(300, 120)
    host.show()
    qtbot.waitExposed(host)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    unfocused = _accent_pixels(button, styled.accent)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    assert unfocused == 0
    assert _accent_pixels(button, styled.accent) > 2 * (button.width() + button.height())


def test_an_answer_says_its_state_and_why_in_its_name(qtbot: QtBot) -> None:
    view = AssistantMessageView(MarkdownColors())
    qtbot.addWidget(view)
    assert view.accessibleName() == "Answer of the assistant"
    view.push_token("Partial text")
    view.flush()
    view.finish(AnswerStatus.INTERRUPTED, "The connection could not be restored.")
    assert view.accessibleName() == "Answer of the assistant, Interrupted"
    assert view.accessibleDescription() == "The connection could not be restored."
