"""Desktop notifications when a conversation that is not in view finishes or fails.

The freedesktop notification service (``org.freedesktop.Notifications`` on the session bus) is
preferred: every Linux desktop runs one and it offers a click ("default" action) that brings
the window up on the conversation. Without it the system tray's balloon is used; with neither
nothing is shown (the sidebar still says which conversation ended).

The bus is spoken with jeepney rather than QtDBus: a notification's ``replaces_id`` is a
``uint32``, which PySide6's QtDBus cannot produce from a Python int (it sends ``int32``, and
services that check the signature, GNOME Shell's among them, refuse the call). Nothing blocks
the GUI thread after the one look-up at the first notification: a call goes out without
waiting, and its reply and the service's signals are read when the socket has data (a
:class:`QSocketNotifier`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Final, Literal

from jeepney import DBusAddress, HeaderFields, Message, MessageType, new_method_call
from jeepney.bus_messages import MatchRule, message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtCore import QObject, QSocketNotifier, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from desktop.protocol.answer_status import AnswerStatus
from desktop.streaming.session import Outcome

log = logging.getLogger(__name__)

SERVICE: Final = "org.freedesktop.Notifications"
NOTIFICATIONS: Final = DBusAddress(
    "/org/freedesktop/Notifications", bus_name=SERVICE, interface=SERVICE
)
#: The ``Notify`` call's signature (freedesktop Desktop Notifications Specification 1.2).
NOTIFY_SIGNATURE: Final = "susssasa{sv}i"
#: How long a look-up on the bus may take before notifications are taken to be unavailable.
BUS_TIMEOUT_S: Final = 1.0
#: How long the tray's balloon stays (milliseconds).
TRAY_MESSAGE_MS: Final = 10_000

Channel = Literal["freedesktop", "tray", "none"]


class DesktopNotifier(QObject):
    """Shows "answer finished / failed" notifications and reports clicks on them.

    Args:
        bus_address: the session bus (``None``: ``DBUS_SESSION_BUS_ADDRESS``); a test passes
            its private bus.

    Signals:
        activated(str): the user clicked the notification of this conversation id.
    """

    activated = Signal(str)

    def __init__(self, parent: QWidget, *, bus_address: str | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._address = bus_address
        self._channel: Channel | None = None  # found at the first notification
        self._bus: DBusConnection | None = None
        self._reader: QSocketNotifier | None = None
        self._tray: QSystemTrayIcon | None = None
        self._tray_conversation = ""
        #: Notify calls waiting for their reply (serial -> conversation id).
        self._pending: dict[int, str] = {}
        #: Notification ids the service gave, to their conversation ids.
        self._shown: dict[int, str] = {}

    @property
    def channel(self) -> Channel:
        """Where notifications go (looked up once)."""
        if self._channel is None:
            self._channel = self._find_channel()
        return self._channel

    @property
    def showing(self) -> int:
        """Notifications the service confirmed (with an id a click can name) and not closed."""
        return len(self._shown)

    def answer_ended(
        self, conversation_id: str, title: str, outcome: Outcome, note: str = ""
    ) -> Channel:
        """Tell that ``title``'s answer ended (finished, stopped, or failed with ``note``)."""
        if outcome.status is AnswerStatus.DONE:
            body = self.tr("Answer finished")
        elif outcome.status is AnswerStatus.STOPPED:
            body = self.tr("Answer stopped")
        else:
            body = note or self.tr("The answer ended early")
        return self.notify(conversation_id, title, body)

    def notify(self, conversation_id: str, title: str, body: str) -> Channel:
        """Show one notification; returns the channel it went to."""
        channel = self.channel
        if channel == "freedesktop":
            self._notify_on_bus(conversation_id, title, body)
        elif channel == "tray" and self._tray is not None:
            self._tray_conversation = conversation_id
            self._tray.showMessage(
                title, body, QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS
            )
        return channel

    def close(self) -> None:
        """Leave the bus (the window closes)."""
        if self._reader is not None:
            self._reader.setEnabled(False)
            self._reader = None
        if self._bus is not None:
            with contextlib.suppress(OSError):
                self._bus.close()
            self._bus = None
        if self._tray is not None:
            self._tray.hide()

    # --- the freedesktop service -------------------------------------------------------------

    def _find_channel(self) -> Channel:
        if self._open_bus():
            return "freedesktop"
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self._parent.windowIcon(), self)
            self._tray.setToolTip(self._parent.windowTitle())
            self._tray.messageClicked.connect(self._on_tray_message_clicked)
            self._tray.show()
            return "tray"
        return "none"

    def _open_bus(self) -> bool:
        address = self._address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return False
        try:
            bus = open_dbus_connection(address, auth_timeout=BUS_TIMEOUT_S)
        except (OSError, ValueError, KeyError) as exc:
            log.info("no session bus for notifications: %s", exc)
            return False
        try:
            if not self._service_present(bus):
                bus.close()
                return False
            rule = MatchRule(type="signal", interface=SERVICE, path=NOTIFICATIONS.object_path)
            bus.send_and_get_reply(message_bus.AddMatch(rule), timeout=BUS_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            log.info("the notification service did not answer: %s", exc)
            bus.close()
            return False
        self._bus = bus
        self._reader = QSocketNotifier(bus.sock.fileno(), QSocketNotifier.Type.Read, self)
        self._reader.activated.connect(self._on_bus_readable)
        return True

    @staticmethod
    def _service_present(bus: DBusConnection) -> bool:
        """A service owns the name now, or the bus can start one."""
        owned = bus.send_and_get_reply(message_bus.NameHasOwner(SERVICE), timeout=BUS_TIMEOUT_S)
        if owned.body and owned.body[0]:
            return True
        names = bus.send_and_get_reply(message_bus.ListActivatableNames(), timeout=BUS_TIMEOUT_S)
        return bool(names.body) and SERVICE in names.body[0]

    def _notify_on_bus(self, conversation_id: str, title: str, body: str) -> None:
        assert self._bus is not None
        app_name = self._parent.windowTitle() or "Assist Desktop"
        call = new_method_call(
            NOTIFICATIONS,
            "Notify",
            NOTIFY_SIGNATURE,
            (
                app_name,
                0,  # replaces no earlier notification
                "assist-desktop",
                title,
                body,
                ["default", self.tr("Show")],
                {"desktop-entry": ("s", "assist-desktop")},
                -1,  # the service's default timeout
            ),
        )
        serial = next(self._bus.outgoing_serial)  # the connection's own counter
        try:
            self._bus.send(call, serial=serial)
        except OSError as exc:  # the service went away: say nothing more this run
            log.info("the notification could not be sent: %s", exc)
            self.close()
            self._channel = "none"
            return
        self._pending[serial] = conversation_id

    def _on_bus_readable(self) -> None:
        bus = self._bus
        if bus is None:
            return
        while True:
            try:
                message = bus.receive(timeout=0)
            except TimeoutError:
                return
            except (OSError, ValueError) as exc:  # the bus closed under us
                log.info("the session bus connection ended: %s", exc)
                self.close()
                self._channel = "none"
                return
            self._handle(message)

    def _handle(self, message: Message) -> None:
        header = message.header
        reply_to = header.fields.get(HeaderFields.reply_serial)
        if reply_to is not None:
            conversation_id = self._pending.pop(reply_to, None)
            if conversation_id is not None and header.message_type is MessageType.method_return:
                self._shown[int(message.body[0])] = conversation_id
            return
        if header.message_type is not MessageType.signal:
            return
        member = header.fields.get(HeaderFields.member)
        if member == "ActionInvoked":
            notification, action = message.body
            conversation_id = self._shown.get(int(notification))
            if conversation_id is not None and action == "default":
                self.activated.emit(conversation_id)
        elif member == "NotificationClosed":
            self._shown.pop(int(message.body[0]), None)

    def _on_tray_message_clicked(self) -> None:
        if self._tray_conversation:
            self.activated.emit(self._tray_conversation)
