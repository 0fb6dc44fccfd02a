"""The window as a screen reader finds it on the AT-SPI bus."""

from __future__ import annotations

from a11y.desktop_session import DesktopSession


def test_the_app_registers_its_window_on_the_atspi_bus(session: DesktopSession) -> None:
    frames = session.probe.find(role="frame", name="Assist Desktop")
    assert len(frames) == 1
    for obj in session.probe.tree():
        print(obj["path"], obj["role"], repr(obj["name"]), obj["states"][:6], obj["actions"])
