"""Takes the README screenshot of two answers streaming beside a queued question (``queue.png``).

The embedded demo server streams slowly; one conversation streams in view, another in the
background, and a third holds a question queued as if its first try had found no server (the
queue is put into that state directly, since the demo server cannot be down and up at once).
The history sidebar shows all three rows with their states. Run under a real X server for
faithful fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &`` and
``DISPLAY=:99 .venv/bin/python docs/screenshots/make_queue_screenshot.py``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from desktop.server.embedded import EmbeddedServer
from desktop.settings import Settings
from desktop.streaming.config import ClientConfig
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import StreamBridge
from desktop.ui.history.recording import CacheErrorRelay
from desktop.ui.history.setup import attach_history, open_cache
from desktop.ui.window import theme
from desktop.ui.window.i18n import Translations
from desktop.ui.window.main_window import MainWindow

HERE = Path(__file__).resolve().parent
SIZE = (1200, 760)


async def main(app: QApplication, db: Path) -> None:
    Translations(app).set_language("en")
    theme.apply(app, theme.LIGHT)
    with EmbeddedServer(token_rate=12) as server:
        factory = StreamingSourceFactory(ClientConfig(server.url, token=server.token))
        window = MainWindow(StreamBridge(factory), Settings(theme="light"))
        window.resize(*SIZE)
        window.move(40, 40)
        window.show()
        relay = CacheErrorRelay(window)
        opened = open_cache(db, relay)
        history = attach_history(
            window, opened, relay, lambda: (server.url, "assist"), lambda _s: None
        )
        assert history is not None
        window.set_sidebar_visible(True)
        waiting = window.pane_for(None, show=False)
        queue = window.offline_queue
        queue.add(waiting.conversation_id, "Kann ich eine Unterhaltung als PDF exportieren?")
        queue.holding = False  # the other questions go out
        background = window.pane_for(None, show=False)
        background.controller.send("How do I pin a conversation?")
        window.controller.send("Wie exportiere ich eine Unterhaltung?")
        await asyncio.sleep(4.0)  # both stream for a while; the sidebar lists all three
        history.history.refresh()
        await asyncio.sleep(1.0)
        window.grab().save(str(HERE / "queue.png"), "PNG")
        sys.stdout.write("saved queue.png\n")
        queue.close()
        await window.runners.aclose()
        history.close()
        await factory.aclose()
        window.close()


if __name__ == "__main__":
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    with (
        tempfile.TemporaryDirectory() as folder,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner,
    ):
        runner.run(main(application, Path(folder) / "cache.sqlite3"))
