"""A private D-Bus session bus, and a freedesktop notification service on it.

``private_session_bus`` runs a real ``dbus-daemon`` (scripts/bootstrap installs it) and yields
its address; nothing reaches the user's own bus, and the bus starts no service on demand: with
the stock session configuration, a client that asks for a name before the test's own service
owns it makes the bus start the machine's copy of that service behind the test's back (the
AT-SPI tests lost their accessibility bus that way; see ``tests/a11y/desktop_session.py``).

:class:`NotificationService` owns ``org.freedesktop.Notifications`` on such a bus from a
thread: it records every ``Notify`` call with its signature, answers with a notification id,
and can click one (emit ``ActionInvoked``), as a desktop's notification daemon does.
"""

from __future__ import annotations

import itertools
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from servers.processes import stop

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


#: A session bus that activates nothing (no service directories); its socket in /tmp, since a
#: socket's path must fit in 108 bytes.
SESSION_BUS_CONFIG = """<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def private_session_bus(env: dict[str, str] | None = None) -> Iterator[str]:
    """A session ``dbus-daemon`` of its own for as long as the block runs; its address."""
    handle, config = tempfile.mkstemp(prefix="session-bus-", suffix=".conf")
    with os.fdopen(handle, "w") as file:
        file.write(SESSION_BUS_CONFIG)
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        env=env if env is not None else dict(os.environ),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not start")
        yield address
    finally:
        stop(proc, grace=10)
        if proc.stdout is not None:
            proc.stdout.close()
        os.unlink(config)


@dataclass(frozen=True)
class NotifyCall:
    """One ``Notify`` as the service received it."""

    signature: str
    args: tuple[Any, ...]
    notification_id: int

    @property
    def summary(self) -> str:
        return str(self.args[3])

    @property
    def body(self) -> str:
        return str(self.args[4])

    @property
    def actions(self) -> list[str]:
        return list(self.args[5])


class NotificationService(threading.Thread):
    """The notification daemon of a private bus, until :meth:`stop`."""

    def __init__(self, address: str) -> None:
        super().__init__(name="notification-service", daemon=True)
        self._bus = open_dbus_connection(address)
        reply = self._bus.send_and_get_reply(message_bus.RequestName(SERVICE), timeout=5)
        if reply.body != (1,):  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
            raise RuntimeError(f"could not own {SERVICE}: {reply.body}")
        self.calls: queue.Queue[NotifyCall] = queue.Queue()
        self._outbox: queue.Queue[tuple[int, str]] = queue.Queue()
        self._ids = itertools.count(1)
        self._stopped = threading.Event()

    def __enter__(self) -> NotificationService:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def next_call(self, timeout: float = 10) -> NotifyCall:
        return self.calls.get(timeout=timeout)

    def click(self, notification_id: int, action: str = "default") -> None:
        """The user clicks the notification (its body: the "default" action)."""
        self._outbox.put((notification_id, action))

    def stop(self) -> None:
        self._stopped.set()
        self.join(10)
        self._bus.close()

    def run(self) -> None:
        emitter = DBusAddress(PATH, interface=SERVICE)
        while not self._stopped.is_set():
            while not self._outbox.empty():
                notification, action = self._outbox.get()
                signal = new_signal(emitter, "ActionInvoked", "us", (notification, action))
                self._bus.send(signal)
            try:
                message = self._bus.receive(timeout=0.05)
            except TimeoutError:
                continue
            header = message.header
            if header.message_type is not MessageType.method_call:
                continue
            if header.fields.get(HeaderFields.member) == "Notify":
                notification_id = next(self._ids)
                self._bus.send(new_method_return(message, "u", (notification_id,)))
                signature = header.fields.get(HeaderFields.signature, "")
                self.calls.put(NotifyCall(signature, tuple(message.body), notification_id))
