"""Keyboard-only walks through the real window: every key goes through the X server's test
extension (xdotool), no mouse event is ever sent, and AT-SPI tells where the focus is."""

from __future__ import annotations

import re
from typing import Any

from a11y.desktop_session import DesktopSession, wait_for

APP_ARGS = ("--token-rate", "0")


class Events:
    """What the probe heard so far: focus moves and announcements, in order."""

    def __init__(self, session: DesktopSession) -> None:
        self._session = session
        self.seen: list[dict[str, Any]] = []
        session.probe.call("events")  # forget what came before

    def _pull(self) -> None:
        self.seen.extend(self._session.probe.call("events"))

    def focus(self) -> tuple[str, str] | None:
        self._pull()
        moves = [e for e in self.seen if e["type"] == "focus:"]
        return (moves[-1]["source_role"], moves[-1]["source_name"]) if moves else None

    def focus_is(self, role: str, name: str) -> None:
        wait_for(lambda: self.focus() == (role, name), f"the focus on {role} {name!r}")

    def heard(self, text: str) -> bool:
        self._pull()
        return any(
            e["type"] == "object:announcement" and str(e["data"]).startswith(text)
            for e in self.seen
        )


def test_ask_search_open_and_export_with_the_keyboard_alone(session: DesktopSession) -> None:
    events = Events(session)
    session.focus_window()
    session.keys("ctrl+l")
    events.focus_is("text", "Message")
    session.type_text("How do I export a conversation?")
    session.keys("Return")
    wait_for(lambda: events.heard("Answer finished"), "the answer to finish")

    session.keys("ctrl+k")  # search the history
    events.focus_is("text", "Search all conversations")
    session.type_text("export")
    wait_for(
        lambda: session.probe.find(role="list", name="Search results", state="showing"),
        "the search results",
    )
    session.keys("Down")
    events.focus_is("list", "Search results")
    session.keys("Return")  # opens the conversation of the hit

    wait_for(
        lambda: session.probe.find(role="label", name="Answer text", state="showing"),
        "the opened conversation's answer",
    )
    session.keys("ctrl+k", "Escape", "Down")  # back to the list of conversations
    events.focus_is("list", "Conversations")
    rows = [o["name"] for o in session.probe.find(role="list item", state="showing")]
    assert any(
        re.fullmatch(r"How do I export a conversation\?, 2 messages, changed .+", r) for r in rows
    )
    # Its context menu, on the current conversation. Qt keeps pop-up menus out of the AT-SPI
    # tree; screen readers follow them by their focus events, and so does this test.
    session.keys("shift+F10", "Down")
    events.focus_is("menu item", "Open")
    session.keys("Down", "Down", "Down", "Down")
    events.focus_is("menu item", "Export")
    session.keys("Right")
    events.focus_is("menu item", "Markdown…")
    session.keys("Return")
    target = session.data_dir / "exported.md"
    wait_for(lambda: session.probe.find(role="dialog", state="showing"), "the save dialog")
    session.keys("ctrl+a")
    session.type_text(str(target))
    session.keys("Return")
    wait_for(lambda: target.exists() and target.stat().st_size > 0, "the exported file")
    assert "How do I export a conversation?" in target.read_text(encoding="utf-8")


def test_rename_delete_and_undo_with_the_keyboard_alone(session: DesktopSession) -> None:
    """Runs after the walk above, on the conversation it asked."""
    events = Events(session)
    session.focus_window()
    session.keys("ctrl+k", "Escape", "Down")
    events.focus_is("list", "Conversations")
    session.keys("F2", "ctrl+a")
    session.type_text("Exporting")
    session.keys("Return")
    wait_for(lambda: _row(session, "Exporting"), "the renamed row")
    session.keys("Delete")
    wait_for(lambda: not _row(session, "Exporting"), "the row to go")
    session.keys("F6")  # to the newest notice: its Undo
    events.focus_is("push button", "Undo")
    session.keys("space")  # a focused button's key
    wait_for(lambda: _row(session, "Exporting"), "the row to come back")


def _row(session: DesktopSession, title: str) -> list[dict[str, Any]]:
    return [
        o
        for o in session.probe.find(role="list item", state="showing")
        if o["name"].startswith(f"{title}, ")
    ]


def test_tab_moves_through_the_window_and_out_of_every_control(session: DesktopSession) -> None:
    """No keyboard trap: Tab from the message box comes back to it, visiting each part once."""
    events = Events(session)
    session.focus_window()
    session.keys("ctrl+l")
    events.focus_is("text", "Message")
    visited: list[tuple[str, str]] = []
    for _ in range(30):
        before = len(events.seen)
        session.keys("Tab")
        wait_for(lambda b=before: events.focus() and len(events.seen) > b, "the focus to move")
        focus = events.focus()
        assert focus is not None
        if focus == ("text", "Message"):
            break
        visited.append(focus)
    else:
        raise AssertionError(f"Tab never came back to the message box: {visited}")
    assert len(visited) == len(set(visited)), visited
    assert ("list", "Conversations") in visited
    assert ("text", "Search all conversations") in visited
