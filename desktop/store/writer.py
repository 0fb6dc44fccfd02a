"""The one thread that writes the cache, so the GUI thread never waits on the disk.

:class:`CacheWriter` owns its SQLite connection and runs commands from a queue, each in its own
``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction. Callers only enqueue: :meth:`CacheWriter.submit`
returns a :class:`~concurrent.futures.Future` at once. A failed transaction is rolled back and
reported (as :class:`CacheUnavailable` for a full disk or a read-only file) through the future
and the ``on_error`` callback; the writer keeps running, so the next checkpoint, which carries
the whole text again, can succeed once there is room.

Every ``tick_interval`` seconds without work, and after each command, the writer calls the
registered tickers (recorders use this to checkpoint an answer that stalled with unsaved text).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Final, TypeVar

from desktop.store.database import OpenedDatabase, open_database
from desktop.store.errors import CacheError, CacheUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]
Ticker = Callable[[float], None]

DEFAULT_TICK_INTERVAL: Final = 0.1
_STOP: Final = object()


class CacheWriter:
    """A single writer thread over one cache file.

    Args:
        path: the database file, or ``None`` for the default location.
        on_error: called on the writer thread with each failure (keep it cheap and thread-safe;
            the window posts it to the GUI thread).
        clock: the monotonic clock handed to tickers (tests inject their own).
        tick_interval: how often idle tickers run.

    Raises:
        NewerSchemaError, CacheUnavailable: from opening the file, before any thread starts.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        on_error: Callable[[CacheError], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        tick_interval: float = DEFAULT_TICK_INTERVAL,
    ) -> None:
        self.opened: OpenedDatabase = open_database(path)
        self.path = self.opened.path
        self._connection = self.opened.connection
        self._on_error = on_error
        self._clock = clock
        self._tick_interval = tick_interval
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._tickers: list[Ticker] = []
        self._tickers_lock = threading.Lock()
        self._closed = False
        #: Committed transactions so far (read by tests and the benchmark).
        self.transactions = 0
        self.last_error: CacheError | None = None
        self._thread = threading.Thread(target=self._run, name="cache-writer", daemon=True)
        self._thread.start()

    @property
    def notice(self) -> str | None:
        """Set when a corrupt file was moved aside on open: show it to the user once."""
        return self.opened.notice

    def submit(self, work: Callable[[sqlite3.Connection], T]) -> Future[T]:
        """Run ``work(connection)`` in one transaction on the writer thread; never blocks."""
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(CacheUnavailable(str(self.path), "the cache is closed"))
            return future
        self._queue.put((work, future))
        return future

    def add_ticker(self, ticker: Ticker) -> None:
        with self._tickers_lock:
            self._tickers.append(ticker)

    def remove_ticker(self, ticker: Ticker) -> None:
        with self._tickers_lock:
            if ticker in self._tickers:
                self._tickers.remove(ticker)

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything submitted so far is committed (or failed)."""
        self.submit(lambda _c: None).exception(timeout)

    def close(self, timeout: float | None = 10.0) -> None:
        """Finish the queued work, then close the connection and end the thread."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def __enter__(self) -> CacheWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                try:
                    item = self._queue.get(timeout=self._tick_interval)
                except queue.Empty:
                    self._tick()
                    continue
                if item is _STOP:
                    break
                work, future = item
                self._execute(work, future)
                self._tick()
        finally:
            self._connection.close()

    def _execute(self, work: Work, future: Future[Any]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._connection)
                self._connection.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            error = CacheUnavailable(str(self.path), str(exc))
            self._report(error)
            future.set_exception(error)
        except Exception as exc:
            future.set_exception(exc)
        else:
            self.transactions += 1
            future.set_result(result)

    def _tick(self) -> None:
        with self._tickers_lock:
            tickers = list(self._tickers)
        now = self._clock()
        for ticker in tickers:
            try:
                ticker(now)
            except Exception:  # a broken ticker must not stop the writer
                log.exception("cache ticker failed")

    def _report(self, error: CacheError) -> None:
        self.last_error = error
        log.warning("%s", error)
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:
                log.exception("cache error callback failed")
