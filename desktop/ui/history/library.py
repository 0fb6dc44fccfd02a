"""The window's read side of the cache: every repository call on one worker thread.

SQLite reads can take tens of milliseconds on a large cache, and an edit may wait on the
writer's lock, so the GUI thread never calls :class:`CacheRepository` itself. Calls run one at
a time, in order, on a single worker thread that owns the repository's connection; each result
comes back to the GUI thread through a queued Qt signal and is handed to the caller's callback
there. The records are frozen and connection-free, so they cross threads safely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from desktop.store.repository import CacheRepository

log = logging.getLogger(__name__)
T = TypeVar("T")


class HistoryLibrary(QObject):
    """Runs repository calls off the GUI thread and delivers their results on it.

    Signals:
        changed(): the cache changed in a way the history list shows (an answer was recorded,
            a conversation renamed, pinned, deleted or restored).
        failed(str): a call raised; the text is for the user.
    """

    changed = Signal()
    failed = Signal(str)
    _delivered = Signal(object)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
        self._repository: CacheRepository | None = None
        self._closed = False
        self._pending = 0
        self._delivered.connect(self._on_delivered)

    @property
    def busy(self) -> bool:
        """Whether calls are still queued or running (tests wait for this to clear)."""
        return self._pending > 0

    def call(
        self,
        work: Callable[[CacheRepository], T],
        done: Callable[[T], None] | None = None,
        *,
        notify: bool = False,
    ) -> Future[T] | None:
        """Run ``work(repository)`` on the worker thread, then ``done(result)`` on this one.

        ``notify`` emits :attr:`changed` after a successful call (for edits). Returns the
        future, or ``None`` after :meth:`close`.
        """
        if self._closed:
            return None
        self._pending += 1
        future = self._executor.submit(self._run, work)

        def deliver(finished: Future[T]) -> None:  # on the worker thread
            self._delivered.emit((finished, done, notify))

        future.add_done_callback(deliver)
        return future

    def close(self) -> None:
        """Finish the queued calls and close the connection (waits for the worker)."""
        if self._closed:
            return
        self._closed = True
        self._executor.submit(self._close_repository)
        self._executor.shutdown(wait=True)

    # --- worker thread ----------------------------------------------------------------------

    def _run(self, work: Callable[[CacheRepository], T]) -> T:
        if self._repository is None:
            self._repository = CacheRepository.open(self.path)
        return work(self._repository)

    def _close_repository(self) -> None:
        if self._repository is not None:
            self._repository.close()
            self._repository = None

    # --- GUI thread -------------------------------------------------------------------------

    def _on_delivered(self, item: tuple[Future[Any], Callable[[Any], None] | None, bool]) -> None:
        future, done, notify = item
        self._pending -= 1
        error = future.exception()
        if error is not None:
            log.warning("history call failed: %s", error)
            self.failed.emit(str(error))
            return
        if done is not None and not self._closed:
            done(future.result())
        if notify:
            self.changed.emit()
