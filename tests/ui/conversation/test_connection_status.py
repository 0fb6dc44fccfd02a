"""The status bar's wording for each connection state, and its Retry button."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.protocol.events import Connecting, GaveUp, Reconnecting, Rejected, Resumed
from desktop.ui.conversation.connection_status import ConnectionStatus


def make(qtbot: QtBot) -> ConnectionStatus:
    status = ConnectionStatus()
    qtbot.addWidget(status)
    return status


def test_reconnecting_shows_the_attempt_a_countdown_and_retry_now(qtbot: QtBot) -> None:
    status = make(qtbot)
    status.on_event(Reconnecting(2, 8, 4.0, "connection lost (reset)", 17))
    assert status.state == "reconnecting"
    assert "attempt 2 of 8" in status.text
    assert "next try in 4 s" in status.text
    assert status.retry_visible
    qtbot.waitUntil(lambda: "next try in 3 s" in status.text, timeout=3000)
    status.on_event(Resumed(17, 2, 1.2))
    assert status.state == "resumed"
    assert not status.retry_visible


def test_an_unreachable_server_reads_offline(qtbot: QtBot) -> None:
    status = make(qtbot)
    status.on_event(Reconnecting(1, 8, 1.0, "no route", 0, unreachable=True))
    assert status.text.startswith("Offline")


def test_offline_comes_from_the_typed_fact_not_the_reason_text(qtbot: QtBot) -> None:
    status = make(qtbot)
    status.on_event(Reconnecting(1, 8, 1.0, "cannot connect: refused, unreachable", 0))
    assert status.state == "reconnecting"


def test_giving_up_names_the_reason_and_offers_retry(qtbot: QtBot) -> None:
    status = make(qtbot)
    status.on_event(Connecting("u", 0, False))
    assert status.state == "connecting"
    status.on_event(GaveUp(8, "connect timeout"))
    assert "Gave up after 8 attempts: connect timeout" in status.text
    assert status.retry_visible
    status.on_event(Rejected("invalid_request", "message too long", 413))
    assert "message too long" in status.text
    assert not status.retry_visible
