"""A streamed answer as a screen reader hears it: milestones, not tokens; then its text.

The answer is asked with the keyboard, searches the demo's documents (a tool call), loses its
connection halfway (the Developer menu's "Simulate connection drop", by its shortcut) and
resumes; every announcement is read from the AT-SPI bus, as Orca would receive it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from a11y.desktop_session import DesktopSession, wait_for
from a11y.tree_checks import unnamed

QUESTION = "How do I export a conversation?"
#: Slow enough that the connection drop lands while the answer is still streaming.
APP_ARGS = ("--token-rate", "20")


def _announcements(session: DesktopSession, seen: list[dict[str, Any]]) -> list[str]:
    seen.extend(e for e in session.probe.call("events") if e["type"] == "object:announcement")
    return [e["data"] for e in seen]


def _heard(session: DesktopSession, seen: list[dict[str, Any]], pattern: str) -> str | None:
    return next((a for a in _announcements(session, seen) if re.search(pattern, a)), None)


def _history_row(session: DesktopSession) -> str | None:
    """The name of the asked conversation's row in the history list, as a screen reader says it."""
    rows = [o["name"] for o in session.probe.find(role="list item")]
    return next((r for r in rows if r.startswith(QUESTION + ", ")), None)


@pytest.fixture(scope="module")
def streamed(session: DesktopSession) -> list[dict[str, Any]]:
    """Ask, drop the connection while the answer streams, and wait until it has finished."""
    seen: list[dict[str, Any]] = []
    session.probe.call("events")  # forget the start-up
    session.focus_window()
    session.keys("ctrl+l")
    session.type_text(QUESTION)
    session.keys("Return")
    wait_for(lambda: _heard(session, seen, r"^Searching documents"), "the tool announcement")
    wait_for(
        lambda: (_history_row(session) or "").startswith(f"{QUESTION}, answering, "),
        "the history row to say the conversation is answering",
    )
    session.keys("ctrl+shift+d")
    wait_for(lambda: _heard(session, seen, r"^Answer (finished|interrupted)"), "the last word")
    return seen


def test_the_milestones_are_announced_in_order(
    session: DesktopSession, streamed: list[dict[str, Any]]
) -> None:
    said = [e["data"] for e in streamed]
    expected = [
        "Answer started.",
        "Searching documents.",
        "Connection lost, reconnecting.",
        "Connection restored, the answer continues.",
    ]
    assert [s for s in said if s in expected] == expected
    assert re.fullmatch(r"Answer finished, \d+ words\.", said[-1])
    assert said.index("Connection lost, reconnecting.") < len(said) - 1


def test_the_history_row_no_longer_says_answering_once_the_answer_finished(
    session: DesktopSession, streamed: list[dict[str, Any]]
) -> None:
    """While it streamed the row said "answering" (the fixture waited for it); now it says the
    title and the length, as a done answer's row does."""
    row = wait_for(
        lambda: (r := _history_row(session)) and "answering" not in r and r,
        "the history row to drop 'answering'",
    )
    assert re.fullmatch(re.escape(QUESTION) + r", 2 messages, changed .+", row)


def test_announcements_are_polite_and_few(streamed: list[dict[str, Any]]) -> None:
    assert {e["detail1"] for e in streamed} == {1}  # ATSPI_LIVE_POLITE
    assert len(streamed) <= 6  # milestones only: the answer has hundreds of tokens


def test_the_finished_answer_is_readable_by_paragraph(
    session: DesktopSession, streamed: list[dict[str, Any]]
) -> None:
    words = int(re.search(r"(\d+) words", streamed[-1]["data"]).group(1))  # type: ignore[union-attr]
    blocks = session.probe.find(role="label", name="Answer text", state="showing")
    assert blocks
    paragraphs = [p for b in blocks for p in session.probe.call("paragraphs", path=b["path"])]
    assert len([p for p in paragraphs if p.strip()]) >= 2
    text = "".join(session.probe.call("text", path=b["path"]) for b in blocks)
    # Markdown renders away a few marks (list bullets, code fences); the words stay.
    assert abs(len(text.split()) - words) <= words * 0.1


def test_the_status_shortcut_reads_the_latest_answer(
    session: DesktopSession, streamed: list[dict[str, Any]]
) -> None:
    seen: list[dict[str, Any]] = []
    session.keys("ctrl+shift+s")
    said = wait_for(lambda: _heard(session, seen, r"^Answer finished"), "the status")
    assert said == streamed[-1]["data"]
    assert seen[-1]["detail1"] == 2  # assertive: the user asked for it


def test_after_an_answer_no_actionable_object_is_unnamed(
    session: DesktopSession, streamed: list[dict[str, Any]]
) -> None:
    """The answer adds text blocks, a thinking panel and a tool card: all named too."""
    found = unnamed(session.probe.tree())
    assert not found, "\n".join(found)
