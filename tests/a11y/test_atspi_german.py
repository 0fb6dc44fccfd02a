"""The same tree in German: every name is translated, none is missing."""

from __future__ import annotations

from a11y.desktop_session import DesktopSession
from a11y.tree_checks import unnamed

APP_ARGS = ("--token-rate", "60", "--lang", "de")


def test_every_actionable_object_is_named_in_german(session: DesktopSession) -> None:
    tree = session.probe.tree()
    found = unnamed(tree)
    assert not found, "\n".join(found)
    names = {(o["role"], o["name"]) for o in tree}
    for part in (
        ("text", "Nachricht"),
        ("filler", "Unterhaltung"),
        ("progress bar", "Fortschritt der Antwort"),
        ("menu item", "Stand der Antwort vorlesen"),
        ("menu item", "Tastenkürzel"),
        ("push button", "Suchleiste schließen"),
    ):
        assert part in names, part
