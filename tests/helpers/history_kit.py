"""Windows with the history attached, against real cache files and the embedded server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.protocol.events import StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.settings import Settings
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import StreamRecord
from desktop.store.writer import CacheWriter
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig
from desktop.streaming.session import Outcome
from desktop.streaming.source_factory import StreamingSourceFactory
from desktop.ui.bridge import SourceFactory, StreamBridge
from desktop.ui.history.recording import CacheErrorRelay
from desktop.ui.history.setup import OpenedCache, WindowHistory, attach_history, open_cache
from desktop.ui.window.main_window import MainWindow
from tests.helpers.qt import next_emission, settle, wait_until


@dataclass
class HistoryWindow:
    window: MainWindow
    history: WindowHistory | None
    factory: Any
    opened: OpenedCache
    resumed: list[StreamRecord] = field(default_factory=list)

    @property
    def wh(self) -> WindowHistory:
        assert self.history is not None
        return self.history

    async def idle(self) -> None:
        """Wait until every queued cache read and edit has been delivered."""
        await settle(10)
        await wait_until(lambda: self.history is None or not self.history.library.busy)
        await settle(10)

    async def ask(self, text: str) -> Outcome:
        finished = asyncio.ensure_future(next_emission(self.window.controller.answer_finished, 30))
        await asyncio.sleep(0)
        self.window.controller.send(text)
        (outcome,) = await finished
        await self.written()
        return outcome

    async def written(self) -> None:
        """Wait until the last checkpoint is committed and the sidebar has reloaded."""
        self.wh.writer.flush(10)
        await self.idle()


Maker = Callable[..., HistoryWindow]


def history_windows(qtbot: QtBot, run_async: Any) -> Iterator[Maker]:
    """The body of a test module's window fixture: ``yield from history_windows(...)``."""
    made: list[HistoryWindow] = []

    def make(
        db: Path,
        *,
        url: str | None = None,
        token: str | None = None,
        factory: SourceFactory | None = None,
        protocol: str = "assist",
        settings: Settings | None = None,
    ) -> HistoryWindow:
        if factory is None and url is not None:
            config = ClientConfig(base_url=url, token=token, idle_timeout=10.0, max_attempts=3)
            factory = StreamingSourceFactory(config)
        window = MainWindow(StreamBridge(factory), settings or Settings(theme="light"))
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        relay = CacheErrorRelay(window)
        opened = open_cache(db, relay)
        resumed: list[StreamRecord] = []

        def resume_source(stream: StreamRecord) -> AnswerSource | None:
            resumed.append(stream)
            if factory is None or stream.stream_id is None:
                return None
            return factory.resume(stream.stream_id, stream.last_event_id)

        history = attach_history(
            window, opened, relay, lambda: (url or "scripted", protocol), resume_source
        )
        made.append(HistoryWindow(window, history, factory, opened, resumed))
        return made[-1]

    yield make

    async def close_all() -> None:
        for item in made:
            await item.window.bridge.aclose()
            if item.history is not None:
                item.history.close()
            if isinstance(item.factory, StreamingSourceFactory):
                await item.factory.aclose()

    run_async(close_all())


def record_answer(
    writer: CacheWriter,
    question: str,
    events: Sequence[StreamEvent],
    *,
    conversation_id: str | None = None,
    server_url: str = "http://127.0.0.1:9",
    protocol: str = "assist",
    final_state: str | None = "interrupted",
    updated: float | None = None,
) -> AnswerRecorder:
    """Record one answer straight into the cache, as the window would have.

    ``final_state=None`` leaves it ``streaming``, as a process that died mid-answer does.
    """
    clock = (lambda: updated) if updated is not None else time.time
    recorder = AnswerRecorder.start(
        writer,
        server_url=server_url,
        protocol=protocol,
        request=ChatRequest(question, conversation_id),
        wall_clock=clock,
    )
    for n, event in enumerate(events):
        recorder(event, 1000.0 + n * 0.01)
    if final_state is None:
        recorder.flush_if_due(float("inf"))
        writer.flush()
    else:
        recorder.close(final_state)
    return recorder


def wait_idle(qtbot: QtBot, item: HistoryWindow) -> None:
    """The synchronous :meth:`HistoryWindow.idle`, for tests without a coroutine."""
    qtbot.wait(10)
    qtbot.waitUntil(lambda: item.history is None or not item.history.library.busy, timeout=10_000)
    qtbot.wait(10)
