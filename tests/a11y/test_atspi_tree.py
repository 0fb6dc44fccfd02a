"""The window as a screen reader finds it on the AT-SPI bus: names, roles, the answer's text."""

from __future__ import annotations

from typing import Any

import pytest
from a11y.desktop_session import DesktopSession, wait_for
from a11y.tree_checks import READABLE, unnamed


def test_the_app_registers_its_window_on_the_atspi_bus(session: DesktopSession) -> None:
    assert session.probe.call("apps") == ["Assist Desktop"]
    assert len(session.probe.find(role="frame", name="Assist Desktop")) == 1


def test_no_focusable_or_actionable_object_is_unnamed(session: DesktopSession) -> None:
    found = unnamed(session.probe.tree())
    assert not found, "\n".join(found)


def test_decorative_symbols_stay_out_of_the_tree(session: DesktopSession) -> None:
    """A name of symbols only ("●", "✕", "–") is a decoration a screen reader would read out."""
    symbols = [
        f"{o['role']} {o['name']!r} at {o['path']}"
        for o in session.probe.tree()
        if o["name"] and not READABLE.search(o["name"])
    ]
    assert not symbols, "\n".join(symbols)


def test_the_main_parts_have_their_roles(session: DesktopSession) -> None:
    roles = {(o["role"], o["name"]) for o in session.probe.tree()}
    for part in (
        ("frame", "Assist Desktop"),
        ("menu bar", ""),
        ("status bar", ""),
        ("text", "Message"),
        ("push button", "Send"),
        ("filler", "Conversation"),  # Qt maps a scroll area to a plain client area
        ("list", "Conversations"),
        ("text", "Search all conversations"),
        ("progress bar", "Progress of the answer"),
        ("page tab", "Events"),
        ("menu item", "Simulate connection drop"),
    ):
        assert part in roles, part


@pytest.mark.parametrize(
    ("keys", "title"),
    [
        (("F1",), "Keyboard shortcuts"),
        (("ctrl+comma",), "Settings"),
        (("alt+h", "Down", "Return"), "About Assist Desktop"),
    ],
)
def test_every_dialog_names_its_controls(
    session: DesktopSession, keys: tuple[str, ...], title: str
) -> None:
    dialog = _open_dialog(session, keys, title)
    try:
        assert dialog["name"] == title
        inside = [
            o for o in session.probe.tree() if o["path"][: len(dialog["path"])] == dialog["path"]
        ]
        found = unnamed(inside)
        assert not found, "\n".join(found)
    finally:
        session.keys("Escape")
        wait_for(lambda: not session.probe.find(role="dialog", state="showing"), "it to close")


def _open_dialog(session: DesktopSession, keys: tuple[str, ...], title: str) -> dict[str, Any]:
    """Press ``keys`` until the dialog shows, as a user would press them again.

    On a loaded machine a menu's pop-up can take its keyboard grab only after the next key has
    already gone to the window, so one press of a menu path may open nothing; Escape first
    closes whatever half-opened menu that left.
    """
    for attempt in range(3):
        session.focus_window()
        session.keys(*keys)
        try:
            return wait_for(
                lambda: [d for d in session.probe.find(role="dialog", state="showing")],
                f"the dialog {title!r}",
                limit=20.0,
            )[0]
        except AssertionError:
            if attempt == 2:
                raise
            session.keys("Escape")
    raise AssertionError("unreachable")
