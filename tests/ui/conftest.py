"""pytest-qt helpers for the window: a qasync runner, awaiting signals, scripted sources."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.protocol.events import Done, StreamEvent
from desktop.protocol.request import ChatRequest


@pytest.fixture(autouse=True)
def _keep_app_running(qapp: QApplication) -> Iterator[None]:
    """Closing a test window must not quit the application (and stop a qasync loop).

    Afterwards, collect the test's garbage here, on the GUI thread: left to chance, the cyclic
    collector may run in some later test's worker thread (a cache writer, a server) and free Qt
    objects there, which crashes Qt.
    """
    qapp.setQuitOnLastWindowClosed(False)
    yield
    QApplication.processEvents()
    gc.collect()


@pytest.fixture
def restore_app_style(qapp: QApplication) -> Iterator[None]:
    """Undo what a test's theme did to the whole application."""
    style, palette, sheet, font = (
        qapp.style().name(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
    )
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def run_async(qapp: QApplication) -> Iterator[Callable[..., Any]]:
    """Run a coroutine to completion on a qasync loop; Qt events keep flowing."""
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
        yield runner.run


async def next_emission(signal: Any, limit: float = 10.0) -> tuple[Any, ...]:
    """Await a Qt signal (use instead of qtbot.waitSignal inside coroutines)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def on_emit(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(on_emit)
    try:
        return await asyncio.wait_for(future, limit)
    finally:
        signal.disconnect(on_emit)


async def wait_until(predicate: Callable[[], bool], limit: float = 10.0) -> None:
    """Poll ``predicate`` on the running loop until it holds (bounded by ``limit`` seconds)."""
    deadline = asyncio.get_running_loop().time() + limit
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.01)


async def settle(ms: int = 50) -> None:
    """Let pending Qt timers (the coalescer's frame) fire."""
    await asyncio.sleep(ms / 1000)
    QApplication.processEvents()


class ScriptedSource:
    """An answer source that yields a fixed script; ``gate`` pauses it before an index."""

    def __init__(self, events: Sequence[StreamEvent], *, delay: float = 0.0) -> None:
        self.script = list(events)
        self.delay = delay
        self.stream_id: str | None = "s-1"
        self.last_event_id = 0
        self.cancelled = False
        self.dropped = 0
        self.paused = asyncio.Event()
        self.paused.set()

    async def events(self) -> AsyncIterator[StreamEvent]:
        for event in self.script:
            await self.paused.wait()
            if self.cancelled:
                yield Done(id=self.last_event_id + 1, finish_reason="cancelled")
                return
            if self.delay:
                await asyncio.sleep(self.delay)
            event_id = getattr(event, "id", None)
            if isinstance(event_id, int):
                self.last_event_id = event_id
            yield event

    async def cancel(self) -> None:
        self.cancelled = True
        self.paused.set()

    def drop_connection(self) -> None:
        self.dropped += 1


class ScriptedFactory:
    """Hands out scripted sources; records what was asked."""

    def __init__(self, make: Callable[[ChatRequest], ScriptedSource]) -> None:
        self.make = make
        self.requests: list[ChatRequest] = []
        self.resumes: list[tuple[str, int]] = []
        self.sources: list[ScriptedSource] = []
        self.resume_script: Callable[[str, int], ScriptedSource | None] = lambda s, i: None

    def start(self, request: ChatRequest) -> ScriptedSource:
        self.requests.append(request)
        source = self.make(request)
        self.sources.append(source)
        return source

    def resume(self, stream_id: str, last_event_id: int) -> ScriptedSource | None:
        self.resumes.append((stream_id, last_event_id))
        source = self.resume_script(stream_id, last_event_id)
        if source is not None:
            self.sources.append(source)
        return source


def active_timers(root: Any) -> list[QTimer]:
    """Timers under ``root`` that are still running."""
    return [t for t in root.findChildren(QTimer) if t.isActive()]
