"""Takes the README screenshot of the login dialog over the window (``login.png``).

The embedded demo server refuses a wrong token with 401, as nscale-assist refuses an expired
login; the window then asks for the login. The dialog is a window of its own: the shot lays
its picture over the window's where it sits, with the dimmed backdrop, border and shadow that a
window manager would draw around a window-modal dialog. Run under a real X server for faithful
fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &`` and
``DISPLAY=:99 .venv/bin/python docs/screenshots/make_login_screenshot.py``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from desktop.server.embedded import EmbeddedServer
from desktop.settings import Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.login import Login
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import StreamBridge
from desktop.ui.window import theme
from desktop.ui.window.i18n import Translations
from desktop.ui.window.login_prompt import LoginPrompt
from desktop.ui.window.main_window import MainWindow

HERE = Path(__file__).resolve().parent
SIZE = (1100, 760)


def compose(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window with the dialog on top, framed as a window manager would frame it."""
    shot = window.grab()
    where = QRect(window.mapFromGlobal(dialog.mapToGlobal(QPoint(0, 0))), dialog.size())
    painter = QPainter(shot)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 40))
    for spread in range(12, 0, -1):  # a soft shadow, darker towards the dialog
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 5))
        painter.drawRoundedRect(where.adjusted(-spread, -spread + 4, spread, spread + 4), 10, 10)
    painter.drawPixmap(where.topLeft(), dialog.grab())
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QColor("#c5cad3"))
    painter.drawRect(where.adjusted(0, 0, -1, -1))
    painter.end()
    return shot


async def never_logs_in(_email: str, _password: str) -> Login:
    raise AssertionError("the screenshot sends no login")


async def main(app: QApplication) -> None:
    Translations(app).set_language("en")
    theme.apply(app, theme.LIGHT)
    with EmbeddedServer(token_rate=0) as server:
        factory = StreamingSourceFactory(ClientConfig(server.url, token="expired-login"))
        window = MainWindow(StreamBridge(factory), Settings(theme="light"))
        window.resize(*SIZE)
        window.move(40, 40)
        window.show()
        window.controller.on_unauthorized = "login"
        prompt = LoginPrompt(
            "https://assist.intranet.example", never_logs_in, window.controller, window
        )
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        window.controller.answer_finished.connect(
            lambda _: finished.done() or finished.set_result(None)
        )
        window.controller.send("Wie lege ich eine neue Akte an?")
        await asyncio.wait_for(finished, 30)
        await asyncio.sleep(0.5)
        dialog = prompt.dialog
        assert dialog is not None
        dialog.email.setText("anna.berger@example.org")
        dialog.password.setText("correct horse")
        dialog.password.setFocus()
        await asyncio.sleep(0.6)  # the window manager-less X server paints the dialog
        compose(window, dialog).save(str(HERE / "login.png"), "PNG")
        sys.stdout.write("saved login.png\n")
        dialog.reject()
        await window.bridge.aclose()
        await factory.aclose()
        window.close()


if __name__ == "__main__":
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
        runner.run(main(application))
