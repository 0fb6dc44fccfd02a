"""The real window under a screen reader's eyes: Xvfb, a private D-Bus session, the AT-SPI
registry, the app on its embedded demo server, and a probe that reads the AT-SPI tree.

Everything runs as child processes with their own display and buses, so a test never touches
the machine's desktop or its accessibility bus, and every process is stopped afterwards.

Start-up is ordered by what each part announces, never by how long it usually takes:

- The session bus activates nothing. With the stock session configuration, whoever asked for
  ``org.a11y.Bus`` before our launcher owned the name (the probe, the app; on a busy machine)
  made the bus start a second launcher out of our control. Ours then lost the name and quit,
  taking its accessibility bus with it, while the display's ``AT_SPI_BUS`` property still
  named that dead bus: the app joined one bus and the probe another, or none, and the app
  never showed up.
- We wait until our launcher owns ``org.a11y.Bus``, ask it for the accessibility bus's
  address, start the registry there and wait until it owns its name; the probe and the app get
  that address in ``AT_SPI_BUS_ADDRESS``, so neither looks for a bus at all.
- The app is ready when the registry lists it, its root exposes the window by name and the
  parts that load after the first paint are enabled. An app can be listed before its tree
  answers (its main thread is still building the window), so a probe error while waiting is a
  state to wait past. The app answers every AT-SPI call on its GUI thread, so the waits look
  by role and name (fewer calls than a whole tree) and less often as time goes: polling the
  whole tree ten times a second kept a starting app busy on a loaded machine.
- If the app or the buses do not come up within the limit, the whole session is stopped and
  started again once, with a log line that says why; a second failure is the test's error.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from servers.processes import stop
from servers.session_bus import private_session_bus

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
A11Y_BUS_NAME = "org.a11y.Bus"
REGISTRY_NAME = "org.a11y.atspi.Registry"
PROBE = Path(__file__).with_name("atspi_probe.py")
APP_NAME = "Assist Desktop"
#: What start-up waits for, by the language of the window: the message box accepting input,
#: and the menu items of the parts that load after the first paint.
READY = {
    "en": {"message": "Message", "late": ("Stream metrics", "Conversation history")},
    "de": {"message": "Nachricht", "late": ("Stream-Messwerte", "Verlauf der Unterhaltungen")},
}
#: How long a process may take to come up on a busy machine (a limit, not a measurement).
START_LIMIT_S = 60.0

T = TypeVar("T")
log = logging.getLogger(__name__)


class StartupError(AssertionError):
    """What was waited for did not come (a time limit, or a process that exited).

    An ``AssertionError``: in a test's own wait it is that test's failure; at start-up the
    session is started again once (see :func:`desktop_session`).
    """


def missing_tools() -> list[str]:
    """The system parts these tests need and this machine lacks (scripts/bootstrap has them)."""
    missing = [
        tool for tool in ("Xvfb", "dbus-daemon", "gdbus", "xdotool") if shutil.which(tool) is None
    ]
    if not Path(BUS_LAUNCHER).exists():
        missing.append("at-spi2-core")
    probe = (
        subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, check=False)
        if Path(SYSTEM_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def wait_for(
    check: Callable[[], T | None],
    what: str,
    limit: float = START_LIMIT_S,
    *,
    alive: subprocess.Popen[Any] | None = None,
) -> T:
    """Poll ``check`` until it returns something true (a non-empty list, an object).

    With ``alive``, a process that exits ends the wait at once instead of at the limit.
    """
    deadline = time.monotonic() + limit
    problem = ""
    pause = 0.05
    while True:
        try:
            result = check()
        except ProbeError as exc:  # the app is still joining the bus, or an object went away
            result, problem = None, f" (last: {exc})"
        if result:
            return result
        if alive is not None and alive.poll() is not None:
            raise StartupError(f"{what}: the process exited with {alive.returncode}")
        if time.monotonic() > deadline:
            raise StartupError(f"timed out waiting for {what}{problem}")
        # each look costs the app's GUI thread a round of calls: look less often as time goes
        time.sleep(pause)
        pause = min(pause * 2, 0.8)


class ProbeError(RuntimeError):
    """What the probe could not answer; while polling, a state to wait past, not a failure."""


class AtspiProbe:
    """The test side of ``atspi_probe.py``: one request, one reply."""

    def __init__(self, env: dict[str, str]) -> None:
        self._proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(PROBE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        assert self._read() == "ready"

    def _read(self) -> Any:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the AT-SPI probe exited")
        reply = json.loads(line)
        if "error" in reply:
            raise ProbeError(reply["error"])
        return reply["ok"]

    def call(self, cmd: str, **args: Any) -> Any:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps({"cmd": cmd, "app": APP_NAME, **args}) + "\n")
        self._proc.stdin.flush()
        return self._read()

    def tree(self) -> list[dict[str, Any]]:
        return list(self.call("tree"))

    def find(self, **match: Any) -> list[dict[str, Any]]:
        """Objects whose fields equal ``match`` (``state=`` tests membership in the states).

        By role and name alone the probe looks them up itself, with fewer calls to the app.
        """
        state = match.pop("state", None)
        if match and set(match) <= {"role", "name"}:
            candidates = list(self.call("find", match=match))
        else:
            candidates = self.tree()
        return [
            obj
            for obj in candidates
            if all(obj[k] == v for k, v in match.items())
            and (state is None or state in obj["states"])
        ]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


@dataclass
class DesktopSession:
    """What a test gets: the probe, the environment of the display, and the app's files."""

    probe: AtspiProbe
    env: dict[str, str]
    data_dir: Path
    app: subprocess.Popen[bytes]

    def keys(self, *keys: str) -> None:
        """Press keys through the X server's test extension, as a keyboard does (no mouse)."""
        self._xdotool("key", "--clearmodifiers", "--delay", "60", *keys)

    def type_text(self, text: str) -> None:
        self._xdotool("type", "--clearmodifiers", "--delay", "20", text)

    def focus_window(self) -> None:
        """Give the window the keyboard focus (Xvfb has no window manager to do it)."""
        window = wait_for(
            lambda: self._xdotool("search", "--sync", "--onlyvisible", "--name", f"^{APP_NAME}$"),
            "the window on the display",
        ).split()[0]
        self._xdotool("windowfocus", "--sync", window)

    def screenshot(self, path: Path) -> Path:
        """The whole display as a PNG (through the app's own screen grab, not a window manager)."""
        subprocess.run(
            [sys.executable, "-c", _GRAB, str(path)], env=self.env, check=True, timeout=60
        )
        return path

    def _xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        return done.stdout.strip() if done.returncode == 0 else ""


_GRAB = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
app.primaryScreen().grabWindow(0).save(sys.argv[1])
"""


def _stop(proc: subprocess.Popen[Any]) -> None:
    stop(proc, grace=10)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


@contextmanager
def _process(
    args: list[str], env: dict[str, str], **kwargs: Any
) -> Iterator[subprocess.Popen[Any]]:
    proc = subprocess.Popen(args, env=env, **kwargs)
    try:
        yield proc
    finally:
        _stop(proc)


def _start_xvfb(stack: ExitStack, env: dict[str, str], size: str) -> str:
    read, write = os.pipe()
    stack.enter_context(
        _process(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
            env,
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start")
    return f":{number}"


def _start_session_bus(stack: ExitStack, env: dict[str, str]) -> str:
    return stack.enter_context(private_session_bus(env))


def _gdbus(env: dict[str, str], *args: str) -> str:
    """One ``gdbus`` command; it waits on the bus's own signals, bounded by the start limit."""
    try:
        done = subprocess.run(
            ["gdbus", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=START_LIMIT_S + 5,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StartupError(f"gdbus {args[0]} did not answer") from exc
    if done.returncode != 0:
        raise StartupError(f"gdbus {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def _start_accessibility_bus(stack: ExitStack, env: dict[str, str]) -> str:
    """Our launcher's accessibility bus, with the registry on it; returns the bus's address."""
    stack.enter_context(
        _process([BUS_LAUNCHER, "--launch-immediately"], env, stderr=subprocess.DEVNULL)
    )
    limit = str(int(START_LIMIT_S))
    _gdbus(env, "wait", "--session", "--timeout", limit, A11Y_BUS_NAME)
    reply = _gdbus(
        env, "call", "--session", "--dest", A11Y_BUS_NAME,
        "--object-path", "/org/a11y/bus", "--method", f"{A11Y_BUS_NAME}.GetAddress",
    )  # fmt: skip
    address = reply.removeprefix("('").removesuffix("',)")
    if not address.startswith("unix:"):
        raise StartupError(f"the accessibility bus's address is {reply!r}")
    _gdbus(
        env, "wait", "--address", address, "--activate", REGISTRY_NAME,
        "--timeout", limit, REGISTRY_NAME,
    )  # fmt: skip
    return address


@contextmanager
def desktop_session(
    workdir: Path,
    *,
    app_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    screen: str = "1280x900",
) -> Iterator[DesktopSession]:
    """Start the display, the buses, the AT-SPI registry and the app; stop them all after.

    A start-up that fails is retried once from scratch (new display, buses and app files).
    """
    for attempt in (1, 2):
        attempt_dir = workdir if attempt == 1 else workdir / "second-start"
        with ExitStack() as stack:
            try:
                session = _start_session(stack, attempt_dir, app_args, extra_env or {}, screen)
            except StartupError as exc:
                if attempt == 2:
                    raise
                log.warning(
                    "the desktop session did not come up (%s); stopping it and starting it "
                    "once more. The app's last lines (%s):\n%s",
                    exc,
                    attempt_dir / "app.log",
                    _tail(attempt_dir / "app.log"),
                )
                continue
            yield session
            return


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(unreadable: {exc})"


def _start_session(
    stack: ExitStack,
    workdir: Path,
    app_args: tuple[str, ...],
    extra_env: dict[str, str],
    screen: str,
) -> DesktopSession:
    language = app_args[app_args.index("--lang") + 1] if "--lang" in app_args else "en"
    ready = READY[language]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "DBUS_", "AT_SPI", "XDG_", "DISPLAY", "WAYLAND"))
    }
    for name in ("data", "config", "cache", "state", "runtime"):
        (workdir / name).mkdir(parents=True, exist_ok=True)
    (workdir / "runtime").chmod(0o700)
    env.update(
        XDG_DATA_HOME=str(workdir / "data"),
        XDG_CONFIG_HOME=str(workdir / "config"),
        XDG_CACHE_HOME=str(workdir / "cache"),
        XDG_STATE_HOME=str(workdir / "state"),
        XDG_RUNTIME_DIR=str(workdir / "runtime"),
        NO_AT_BRIDGE="0",
    )
    env["DISPLAY"] = _start_xvfb(stack, env, screen)
    env["DBUS_SESSION_BUS_ADDRESS"] = _start_session_bus(stack, env)
    env["AT_SPI_BUS_ADDRESS"] = _start_accessibility_bus(stack, env)
    probe = AtspiProbe(env)
    stack.callback(probe.close)
    # The probe listens before the app starts: Qt sends only the events someone listens to.
    probe.call("listen", events=["object:announcement", "focus:"])
    app_env = dict(
        env,
        QT_QPA_PLATFORM="xcb",
        QT_ACCESSIBILITY="1",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        PYTHONFAULTHANDLER="1",  # a crash at start-up leaves its stacks in app.log
        **extra_env,
    )
    log_file = stack.enter_context((workdir / "app.log").open("w"))
    app = stack.enter_context(
        _process(
            [
                sys.executable, "-m", "desktop",
                "--settings", str(workdir / "settings.json"),
                "--db", str(workdir / "cache.sqlite3"),
                "--lang", "en",
                "--theme", "light",
                *app_args,
            ],
            app_env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    )  # fmt: skip
    wait_for(lambda: APP_NAME in probe.call("apps"), "the app on the AT-SPI bus", alive=app)
    wait_for(
        lambda: probe.call("windows") == [["frame", APP_NAME]],
        "the app's root to expose its window",
        alive=app,
    )
    wait_for(
        lambda: probe.find(role="text", name=ready["message"], state="enabled"),
        "the message box to accept input (the demo server is up)",
        alive=app,
    )
    for part in ready["late"]:  # they load after the paint
        wait_for(
            lambda part=part: probe.find(role="menu item", name=part, state="enabled"),
            f"the menu item {part!r} to be enabled",
            alive=app,
        )
    return DesktopSession(probe, env, workdir, app)


def skip_without_tools() -> None:
    missing = missing_tools()
    if missing:
        pytest.fail(f"missing system packages (scripts/bootstrap installs them): {missing}")
