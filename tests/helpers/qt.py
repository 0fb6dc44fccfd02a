"""Awaiting Qt from coroutines on the qasync loop: signals, conditions, timers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)


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


def active_timers(root: Any) -> list[QTimer]:
    """Timers under ``root`` that are still running."""
    return [t for t in root.findChildren(QTimer) if t.isActive()]


def shown(kind: type[W]) -> W | None:
    """The first visible top-level widget of ``kind`` (a dialog the app opened), if any."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[0] if found else None


def when_found(
    find: Callable[[], W | None],
    act: Callable[[W], None],
    *,
    tries: int = 1500,
    otherwise: Callable[[], None] = lambda: None,
) -> None:
    """Call ``act`` on what ``find`` returns once it returns something, polling every 20 ms
    on the Qt loop; for the app's own ``main()``, whose loop a test cannot await in. Bounded:
    after ``tries`` polls it calls ``otherwise`` (e.g. to end an app that would not quit)."""
    left = tries

    def look() -> None:
        nonlocal left
        left -= 1
        found = find()
        if found is not None:
            act(found)
        elif left > 0:
            QTimer.singleShot(20, look)
        else:
            otherwise()

    QTimer.singleShot(0, look)
