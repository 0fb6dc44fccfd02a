"""Takes the README screenshots of the window against the embedded demo server.

Run under a real X server for faithful fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &`` and
``DISPLAY=:99 .venv/bin/python docs/screenshots/make_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from desktop.protocol.events import Reconnecting, StreamEvent
from desktop.server.embedded import EmbeddedServer
from desktop.streaming.config import ClientConfig
from desktop.ui import theme
from desktop.ui.bridge import StreamBridge
from desktop.ui.i18n import Translations
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.sources import StreamingSourceFactory

HERE = Path(__file__).resolve().parent
SIZE = (1100, 760)
QUESTION_DE = "Wie exportiere ich eine Unterhaltung?"
QUESTION_EN = "How do I export a conversation?"


async def shoot(
    app: QApplication,
    server: EmbeddedServer,
    name: str,
    *,
    question: str,
    dark: bool = False,
    when: Callable[[MainWindow, StreamEvent], bool] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    theme.apply(app, theme.DARK if dark else theme.LIGHT)
    factory = StreamingSourceFactory(ClientConfig(server.url, server.token))
    factory.extra_headers = headers or {}
    window = MainWindow(StreamBridge(factory), Settings(theme="dark" if dark else "light"))
    window.resize(*SIZE)
    window.show()
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_event(event: StreamEvent) -> None:
        if when is not None and not done.done() and when(window, event):
            done.set_result(None)

    window.bridge.event_received.connect(on_event)
    window.controller.answer_finished.connect(lambda _: done.done() or done.set_result(None))
    window.controller.send(question)
    await asyncio.wait_for(done, 60)
    await asyncio.sleep(0.4)  # let the frame and the status bar settle
    window.grab().save(str(HERE / f"{name}.png"), "PNG")
    sys.stdout.write(f"saved {name}.png\n")
    await window.bridge.aclose()
    await factory.aclose()
    window.close()
    window.deleteLater()


async def main(app: QApplication) -> None:
    translations = Translations(app)
    with EmbeddedServer(token_rate=25, allow_faults=True) as server:
        translations.set_language("en")
        await shoot(
            app, server, "streaming", question=QUESTION_EN,
            when=lambda w, e: w.progress.tokens >= 45,
        )  # fmt: skip
        await shoot(
            app, server, "reconnecting", question=QUESTION_EN,
            when=lambda w, e: isinstance(e, Reconnecting),
            headers={"X-Fault-Drop-After": "40"},
        )  # fmt: skip
        await shoot(app, server, "dark", question=QUESTION_EN, dark=True)
        translations.set_language("de")
        await shoot(app, server, "german", question=QUESTION_DE)


if __name__ == "__main__":
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
        runner.run(main(application))
