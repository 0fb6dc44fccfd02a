"""The harness's start-up: one launcher of its own, one accessibility bus, a second start once.

These guard the start-up that used to time out on a busy machine (see ``desktop_session.py``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import a11y.desktop_session as harness
import pytest
from a11y.desktop_session import (
    A11Y_BUS_NAME,
    APP_NAME,
    DesktopSession,
    StartupError,
    _gdbus,
    desktop_session,
)


def _owner_pid(env: dict[str, str], name: str) -> int:
    reply = _gdbus(
        env, "call", "--session", "--dest", "org.freedesktop.DBus",
        "--object-path", "/org/freedesktop/DBus",
        "--method", "org.freedesktop.DBus.GetConnectionUnixProcessID", name,
    )  # fmt: skip
    return int(reply.strip("(),").removeprefix("uint32 "))


def test_the_session_bus_starts_no_launcher_on_demand(session: DesktopSession) -> None:
    """A client asking before our launcher owns the name must not get a second launcher."""
    reply = _gdbus(
        session.env, "call", "--session", "--dest", "org.freedesktop.DBus",
        "--object-path", "/org/freedesktop/DBus",
        "--method", "org.freedesktop.DBus.ListActivatableNames",
    )  # fmt: skip
    assert A11Y_BUS_NAME not in reply


def test_the_app_and_the_probe_are_given_the_launchers_bus(session: DesktopSession) -> None:
    reply = _gdbus(
        session.env, "call", "--session", "--dest", A11Y_BUS_NAME,
        "--object-path", "/org/a11y/bus", "--method", f"{A11Y_BUS_NAME}.GetAddress",
    )  # fmt: skip
    assert session.env["AT_SPI_BUS_ADDRESS"] == reply.removeprefix("('").removesuffix("',)")


def test_a_late_launcher_is_waited_for_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe starts while the launcher is still asleep: the session waits for the name."""
    harness.skip_without_tools()
    late = tmp_path / "late-launcher"
    late.write_text(f'#!/bin/sh\nsleep 2\nexec {harness.BUS_LAUNCHER} "$@"\n')
    late.chmod(0o755)
    monkeypatch.setattr(harness, "BUS_LAUNCHER", str(late))
    with desktop_session(tmp_path / "session") as s:
        # exec keeps the pid: the name's owner is the process the harness started
        assert _owner_pid(s.env, A11Y_BUS_NAME) in _children_of_this_process()
        assert s.probe.call("apps") == [APP_NAME]


def test_a_start_up_that_fails_is_started_again_once_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    harness.skip_without_tools()
    real_start = harness._start_session
    starts: list[Path] = []

    def first_start_fails(stack: Any, workdir: Path, *args: Any) -> DesktopSession:
        starts.append(workdir)
        started = real_start(stack, workdir, *args)
        if len(starts) == 1:  # everything really came up; the stack stops it all again
            raise StartupError("the app's window did not show up")
        return started

    monkeypatch.setattr(harness, "_start_session", first_start_fails)
    with caplog.at_level(logging.WARNING), desktop_session(tmp_path / "session") as s:
        assert s.probe.call("apps") == [APP_NAME]
        assert s.data_dir == starts[1] != starts[0]
    assert "did not come up (the app's window did not show up)" in caplog.text
    assert len(starts) == 2


def _children_of_this_process() -> set[int]:
    import os

    me = str(os.getpid())
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if ppid == me:
                pids.add(int(entry.name))
    return pids
