"""The one place where the asyncio answer runner meets Qt signals.

Answers run in :class:`~desktop.streaming.session.AnswerSession`, the runner ``ask`` uses too:
one loop, one exactly-once rule, one stop timeout, one :class:`Outcome`. The bridge only owns
the asyncio tasks the window needs and turns the session's events into Qt signals. Sinks are
attached where an answer is created: each observer registered once with :meth:`observe` is
asked for its sinks when an answer starts, so no slot has to catch a signal in time. A new run
cancels the previous one of the same bridge; ``close``/``aclose`` cancel everything. Widgets
talk to the bridge only; they never see httpx.

Several conversations stream at once, one bridge each. The bridges of one window share an
:class:`AnswerRunners` pool: it holds the :class:`SourceFactory` and the observers, so the
composition root connects a server once (``bridge.factory = ...``) and an observer registered
once follows every answer of every conversation, also of ones opened later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from desktop.protocol.events import StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.session import (
    STOP_TIMEOUT,
    AnswerSession,
    EventSink,
    Outcome,
    cancel_quietly,
)

#: Asked once per answer (``request`` is ``None`` for a cached answer played again or resumed)
#: for the sinks that follow it; they stay for a Retry of the same answer.
AnswerObserver = Callable[[AnswerSession, ChatRequest | None], Iterable[EventSink]]


class SourceFactory(Protocol):
    """Opens sources; the composition root decides which backend and client they use."""

    def start(self, request: ChatRequest) -> AnswerSource:
        """A source for a new answer."""
        ...

    def resume(self, stream_id: str, last_event_id: int) -> AnswerSource | None:
        """A source that continues ``stream_id`` after ``last_event_id``, if the backend can."""
        ...


class AnswerRunners:
    """The bridges of one window: their shared factory and observers, and their lifetimes.

    It holds no Qt state: the pool outlives any one conversation and its widgets.
    """

    def __init__(self, factory: SourceFactory | None = None) -> None:
        #: None until the composition root has connected a server (the window shows first).
        self.factory = factory
        self.observers: list[AnswerObserver] = []
        self.bridges: list[StreamBridge] = []

    def bridge(self, parent: QObject | None = None) -> StreamBridge:
        """A new bridge in this pool (one per open conversation)."""
        return StreamBridge(None, parent, runners=self)

    def observe(self, observer: AnswerObserver) -> None:
        """Have ``observer`` attach its sinks to every answer of every bridge from now on."""
        self.observers.append(observer)

    def release(self, bridge: StreamBridge) -> None:
        """Forget ``bridge`` (its conversation was closed); it must have been closed."""
        if bridge in self.bridges:
            self.bridges.remove(bridge)

    @property
    def running(self) -> list[StreamBridge]:
        return [bridge for bridge in self.bridges if bridge.running]

    @property
    def task_count(self) -> int:
        return sum(bridge.task_count for bridge in self.bridges)

    def close(self) -> None:
        """Cancel every bridge's tasks without waiting."""
        for bridge in list(self.bridges):
            bridge.close()

    async def aclose(self) -> None:
        """Cancel every bridge's tasks and wait until they are gone."""
        await asyncio.gather(*(bridge.aclose() for bridge in list(self.bridges)))


class StreamBridge(QObject):
    """Runs one conversation's answer at a time in an :class:`AnswerSession`, as Qt signals.

    Signals:
        event_received(object): every event the session applies, in order, after its sinks.
        answer_started(object): ``start`` was called with this :class:`ChatRequest`.
        answer_resumed(): ``retry`` continues the current answer on a new source (a recorder
            that closed with the failed run attaches again here).
        running_changed(bool): a run started or ended.
        finished(object): the run's :class:`Outcome`, once per run (also for a stopped run).
    """

    event_received = Signal(object)
    answer_started = Signal(object)
    answer_resumed = Signal()
    running_changed = Signal(bool)
    finished = Signal(object)

    def __init__(
        self,
        factory: SourceFactory | None,
        parent: QObject | None = None,
        *,
        runners: AnswerRunners | None = None,
    ) -> None:
        super().__init__(parent)
        #: The pool this bridge shares its factory and observers with (its own if none given).
        self.runners = runners if runners is not None else AnswerRunners(factory)
        if factory is not None:
            self.runners.factory = factory
        self.runners.bridges.append(self)
        #: How long Stop waits for the server to confirm before the answer is cut locally.
        self.stop_timeout = STOP_TIMEOUT
        self._observers: list[AnswerObserver] = []  # this bridge's answers only
        self._tasks: set[asyncio.Task[Any]] = set()
        self._run_task: asyncio.Task[None] | None = None
        self._session: AnswerSession | None = None
        self._generation = 0

    # --- state ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._run_task is not None and not self._run_task.done()

    @property
    def session(self) -> AnswerSession | None:
        """The current (or last) answer."""
        return self._session

    @property
    def task_count(self) -> int:
        """Tasks still alive (a closed bridge has none)."""
        return sum(1 for task in self._tasks if not task.done())

    @property
    def factory(self) -> SourceFactory | None:
        """The pool's factory: setting it connects every bridge of the window at once."""
        return self.runners.factory

    @factory.setter
    def factory(self, factory: SourceFactory | None) -> None:
        self.runners.factory = factory

    # --- wiring -----------------------------------------------------------------------------

    def observe(self, observer: AnswerObserver) -> None:
        """Have ``observer`` attach its sinks to every answer from now on (once, at wiring),
        of this bridge and of every other bridge of its pool."""
        self.runners.observe(observer)

    def observe_own(self, observer: AnswerObserver) -> None:
        """Have ``observer`` follow this bridge's answers only (one conversation's recording)."""
        self._observers.append(observer)

    # --- commands ---------------------------------------------------------------------------

    def start(self, request: ChatRequest, sinks: Iterable[EventSink] = ()) -> None:
        """Start a new answer, cancelling (on the server too) whatever runs now.

        ``sinks`` follow this answer only (its model, say), after the observers' sinks.

        Raises:
            RuntimeError: no server is connected yet.
        """
        if self.factory is None:
            raise RuntimeError("no server is connected yet")
        self._abandon_current(cancel_on_server=True)
        session = self._new_session(self.factory.start(request), request, sinks)
        self.answer_started.emit(request)
        self._launch(session)

    def retry(self) -> bool:
        """Continue the current or last answer right now, from the last applied event.

        Returns:
            False when there is nothing to continue (no stream id, or the backend cannot
            resume); the caller then regenerates instead.
        """
        session = self._session
        if session is None or session.stream_id is None or self.factory is None:
            return False
        if not self.running and (session.outcome is None or not session.outcome.resumable):
            return False
        source = self.factory.resume(session.stream_id, session.last_event_id)
        if source is None:
            return False
        self._abandon_current(cancel_on_server=False)
        session.continue_with(source)
        self._launch(session)
        self.answer_resumed.emit()
        return True

    def play(
        self,
        source: AnswerSource,
        sinks: Iterable[EventSink] = (),
        *,
        stream_id: str | None = None,
        last_event_id: int = 0,
    ) -> None:
        """Run ``source`` as the current answer without the factory.

        For an answer that is not a new request: a cached stream resumed after a restart
        (``stream_id`` and ``last_event_id`` say where it stood, so replayed events are
        skipped) or a cached answer replayed. ``answer_started`` is not emitted.
        """
        self._abandon_current(cancel_on_server=True)
        position = {"stream_id": stream_id, "last_event_id": last_event_id}
        session = self._new_session(source, None, sinks, **position)
        self._launch(session)

    def stop(self) -> None:
        """Cancel the answer on the server; the partial text stays and the run ends stopped."""
        if self.running and self._session is not None:
            self._session.stop()

    def drop_connection(self) -> None:
        """Cut the live connection now (the developer menu's fault), so the source resumes."""
        if self._session is not None and self.running:
            self._session.source.drop_connection()

    def close(self) -> None:
        """Cancel every task without waiting (from ``closeEvent``)."""
        self._generation += 1
        if self._session is not None:
            self._session.close()
        for task in list(self._tasks):
            task.cancel()
        self._run_task = None

    async def aclose(self) -> None:
        """Cancel every task and wait until they are gone."""
        tasks = list(self._tasks)
        self.close()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    # --- internals --------------------------------------------------------------------------

    def _new_session(
        self,
        source: AnswerSource,
        request: ChatRequest | None,
        sinks: Iterable[EventSink],
        **position: Any,
    ) -> AnswerSession:
        session = AnswerSession(source, stop_timeout=self.stop_timeout, **position)
        for observer in [*self.runners.observers, *self._observers]:
            for sink in observer(session, request):
                session.add_sink(sink)
        for sink in sinks:
            session.add_sink(sink)
        session.add_sink(self._emit)  # last: the cache has the event before the view shows it
        self._session = session
        return session

    def _emit(self, event: StreamEvent, _at: float) -> None:
        self.event_received.emit(event)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _launch(self, session: AnswerSession) -> None:
        self._generation += 1
        self._run_task = self._spawn(self._run(session, self._generation))
        self.running_changed.emit(True)

    def _abandon_current(self, *, cancel_on_server: bool) -> None:
        if not self.running or self._run_task is None:
            return
        self._generation += 1
        self._run_task.cancel()
        if cancel_on_server and self._session is not None:
            self._spawn(cancel_quietly(self._session.source, self.stop_timeout))
        self._run_task = None

    async def _run(self, session: AnswerSession, generation: int) -> None:
        outcome = await session.run()
        if generation == self._generation:
            self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        self._run_task = None
        self.running_changed.emit(False)
        self.finished.emit(outcome)
