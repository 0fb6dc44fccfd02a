"""Takes the README screenshots of the window against the embedded demo server.

Run under a real X server for faithful fonts, e.g. ``Xvfb :99 -screen 0 1400x900x24 &`` and
``DISPLAY=:99 .venv/bin/python docs/screenshots/make_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from desktop.protocol.events import Reconnecting, StreamEvent
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
    db: Path | None = None,
) -> None:
    theme.apply(app, theme.DARK if dark else theme.LIGHT)
    factory = StreamingSourceFactory(ClientConfig(server.url, server.token))
    factory.extra_headers = headers or {}
    window = MainWindow(StreamBridge(factory), Settings(theme="dark" if dark else "light"))
    window.resize(*SIZE)
    window.show()
    history = None
    if db is not None:  # the sidebar lists the earlier shots' questions, as in the app
        relay = CacheErrorRelay(window)
        history = attach_history(
            window, open_cache(db, relay), relay, lambda: (server.url, "assist"), lambda s: None
        )
        await asyncio.sleep(0.2)
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
    if history is not None:
        history.close()
    await factory.aclose()
    window.close()
    window.deleteLater()


HISTORY_QUESTIONS = (
    ("How do I export a conversation?", 0.0),
    ("Why is the search so slow?", 0.0),
    ("Why did my answer stop halfway?", 1.0),
    ("Wie exportiere ich eine Unterhaltung?", 3.0),
    ("What does error code E-4031 mean?", 12.0),
)


async def shoot_history(
    app: QApplication, server: EmbeddedServer, name: str, *, search: str, dark: bool = False
) -> None:
    """A few conversations of several days in the sidebar (``name``.png, one of them open),
    then a search with its first hit opened (``name``-search.png)."""
    theme.apply(app, theme.DARK if dark else theme.LIGHT)
    factory = StreamingSourceFactory(ClientConfig(server.url, server.token))
    window = MainWindow(StreamBridge(factory), Settings(theme="dark" if dark else "light"))
    window.resize(*SIZE)
    window.show()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "cache.sqlite3"
        relay = CacheErrorRelay(window)
        history = attach_history(
            window, open_cache(db, relay), relay, lambda: (server.url, "assist"), lambda s: None
        )
        assert history is not None
        for question, _days in HISTORY_QUESTIONS:
            window.controller.new_conversation()
            finished = asyncio.ensure_future(_next(window.controller.answer_finished))
            window.controller.send(question)
            await asyncio.wait_for(finished, 60)
            history.writer.flush()
        history.writer.flush()
        with sqlite3.connect(db) as connection:  # spread the conversations over some days
            for question, days in HISTORY_QUESTIONS:
                connection.execute(
                    "UPDATE conversations SET updated = ?, pinned = ? WHERE title = ?",
                    (time.time() - days * 86_400, int(question.startswith("Which")), question),
                )
            # The one about a stopped answer was itself cut off, as a dropped connection leaves
            # it: the sidebar shows its state mark.
            for table, key in (("messages", "id"), ("streams", "message_id")):
                connection.execute(
                    f"UPDATE {table} SET state = 'interrupted' WHERE {key} IN (SELECT m.id "
                    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                    "WHERE c.title = ? AND m.role = 'assistant')",
                    ("Why did my answer stop halfway?",),
                )
        connection.close()
        window.controller.new_conversation()
        window.banners.clear()
        history.history.refresh()
        await asyncio.sleep(0.3)
        row = history.sidebar.list.item(4)
        history.sidebar.list.setCurrentItem(row)
        history.sidebar.open_requested.emit(row.data(0x0100))
        await asyncio.sleep(0.8)
        window.grab().save(str(HERE / f"{name}.png"), "PNG")
        window.search_history()
        history.sidebar.search_field.setText(search)
        history.sidebar.run_search()
        await asyncio.sleep(0.4)
        results = history.sidebar.results
        if results.count():
            results.setCurrentRow(0)
            history.sidebar.hit_activated.emit(
                results.item(0).data(0x0100), results.item(0).data(0x0100 + 3)
            )
        await asyncio.sleep(0.8)
        window.grab().save(str(HERE / f"{name}-search.png"), "PNG")
        sys.stdout.write(f"saved {name}.png and {name}-search.png\n")
        await window.bridge.aclose()
        history.close()
    await factory.aclose()
    window.close()
    window.deleteLater()


async def main_states(app: QApplication, translations: Translations) -> None:
    with (
        EmbeddedServer(token_rate=25, allow_faults=True) as server,
        tempfile.TemporaryDirectory() as folder,
    ):
        db = Path(folder) / "cache.sqlite3"
        translations.set_language("en")
        await shoot(
            app, server, "streaming", question=QUESTION_EN,
            when=lambda w, e: w.progress.tokens >= 45, db=db,
        )  # fmt: skip
        await shoot(
            app, server, "reconnecting", question="Why is the search so slow?",
            when=lambda w, e: isinstance(e, Reconnecting),
            headers={"X-Fault-Drop-After": "40"}, db=db,
        )  # fmt: skip
        await shoot(app, server, "dark", question=QUESTION_EN, dark=True, db=db)
        translations.set_language("de")
        await shoot(app, server, "german", question=QUESTION_DE, db=db)


async def _next(signal: object) -> None:
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    signal.connect(lambda *_: future.done() or future.set_result(None))  # type: ignore[attr-defined]
    await future


async def main(app: QApplication) -> None:
    translations = Translations(app)
    if "--only-history" not in sys.argv:
        await main_states(app, translations)
    with EmbeddedServer(token_rate=0) as fast:
        translations.set_language("en")
        await shoot_history(app, fast, "history", search="export")
        if "--all-history" in sys.argv:  # for checking the sidebar in every look
            await shoot_history(app, fast, "history-dark", search="theme", dark=True)
            translations.set_language("de")
            await shoot_history(app, fast, "history-german", search="exportiere")


if __name__ == "__main__":
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(application)) as runner:
        runner.run(main(application))
