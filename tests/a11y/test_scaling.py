"""200 % scaling on a 1080p screen (960 x 540 logical pixels): the window and every control in
it stay on the screen, with the metrics dock open too."""

from __future__ import annotations

from typing import Any

from a11y.desktop_session import DesktopSession, wait_for

APP_ARGS = ("--token-rate", "0", "--ask", "How do I export a conversation?")
APP_ENV = {"QT_SCALE_FACTOR": "2"}
SCREEN = "1920x1080"
LOGICAL = (960, 540)
CONTROLS = frozenset({"push button", "text", "status bar", "menu bar", "page tab", "check box"})
#: Areas that scroll: what they hold may lie beyond the screen and is reached by scrolling.
SCROLLING = frozenset({"Conversation", "Stream metrics"})


def _outside(box: list[int], within: list[int]) -> bool:
    x, y, w, h = box
    left, top, width, height = within
    return x < left or y < top or x + w > left + width or y + h > top + height


def _off_screen(session: DesktopSession) -> list[str]:
    tree = session.probe.tree()
    frame = next(o for o in tree if o["role"] == "frame" and o["name"] == "Assist Desktop")
    screen = [0, 0, *LOGICAL]
    problems = [f"the window {frame['extents']}"] if _outside(frame["extents"], screen) else []
    scrolling = [o["path"] for o in tree if o["role"] == "filler" and o["name"] in SCROLLING]
    inside = [
        o
        for o in tree
        if o["path"][:1] == frame["path"]
        and "extents" in o
        and not any(o["path"][: len(p)] == p and o["path"] != p for p in scrolling)
    ]
    problems += [
        f"{o['role']} {o['name']!r} at {o['extents']}"
        for o in inside
        if o["role"] in CONTROLS and o["extents"][2] > 0 and _outside(o["extents"], screen)
    ]
    return problems


def _answered(session: DesktopSession) -> Any:
    return session.probe.find(role="label", name="Answer text", state="showing")


def test_the_window_and_its_controls_fit_the_screen(session: DesktopSession) -> None:
    wait_for(lambda: _answered(session), "the answer")
    problems = _off_screen(session)
    assert not problems, "\n".join(problems)


def test_with_the_metrics_dock_open_the_status_bar_stays_on_the_screen(
    session: DesktopSession,
) -> None:
    wait_for(lambda: _answered(session), "the answer")
    session.focus_window()
    session.keys("ctrl+shift+m")
    wait_for(lambda: session.probe.find(role="page tab", name="Events", state="showing"), "dock")
    session.screenshot(session.data_dir / "metrics-200.png")
    problems = _off_screen(session)
    assert not problems, "\n".join(problems)
