"""The one place where the asyncio streaming core meets Qt signals.

The bridge owns every asyncio task the window needs: it runs an answer source, hands each event
to the registered sinks (the cache and the metrics recorder plug in here) and re-emits it as a Qt
signal. A new run cancels the previous one; ``close``/``aclose`` cancel everything. Widgets talk
to the bridge only; they never see httpx.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from desktop.protocol.events import (
    Connected,
    Connecting,
    GaveUp,
    Reconnecting,
    Rejected,
    StreamEvent,
    StreamStarted,
    Token,
    is_terminal,
)
from desktop.protocol.request import ChatRequest
from desktop.streaming.session import Outcome, outcome_of

log = logging.getLogger(__name__)

#: A consumer of every applied event, with the monotonic time it arrived.
Sink = Callable[[StreamEvent, float], None]

#: How long Stop waits for the server to confirm before the run is cut locally.
STOP_CONFIRM_TIMEOUT = 5.0


class AnswerSource(Protocol):
    """What the bridge needs from a stream source (``ReconnectingEventSource`` and friends)."""

    @property
    def stream_id(self) -> str | None: ...

    def events(self) -> AsyncIterator[StreamEvent]: ...

    async def cancel(self) -> None: ...

    def drop_connection(self) -> None: ...


class SourceFactory(Protocol):
    """Opens sources; the composition root decides which backend and client they use."""

    def start(self, request: ChatRequest) -> AnswerSource:
        """A source for a new answer."""
        ...

    def resume(self, stream_id: str, last_event_id: int) -> AnswerSource | None:
        """A source that continues ``stream_id`` after ``last_event_id``, if the backend can."""
        ...


class RunState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    STREAMING = "streaming"
    RECONNECTING = "reconnecting"
    DONE = "done"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """How a run ended: the final state, the classified outcome and where the stream stood."""

    state: RunState
    outcome: Outcome
    stream_id: str | None
    last_event_id: int

    @property
    def terminal(self) -> StreamEvent | None:
        return self.outcome.terminal

    @property
    def resumable(self) -> bool:
        """Whether Retry can continue this answer instead of starting it again."""
        if self.state is not RunState.FAILED or self.stream_id is None:
            return False
        return isinstance(self.terminal, GaveUp | None)


class StreamBridge(QObject):
    """Runs one answer at a time and re-emits its events as Qt signals.

    Signals:
        event_received(object): every event the source yields, in order.
        state_changed(str): a :class:`RunState` value.
        running_changed(bool): a run started or ended.
        finished(object): a :class:`RunOutcome`, once per run (also for a stopped run).
        answer_started(object): ``start`` was called with this :class:`ChatRequest`; slots may
            add sinks for this answer to ``answer_sinks`` (they stay for a Retry of it).
        answer_resumed(): ``retry`` continues the current answer on a new source (a recorder
            that closed with the failed run attaches again here).
    """

    event_received = Signal(object)
    answer_started = Signal(object)
    answer_resumed = Signal()
    state_changed = Signal(str)
    running_changed = Signal(bool)
    finished = Signal(object)

    def __init__(self, factory: SourceFactory | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: None until the composition root has connected a server (the window shows first).
        self.factory = factory
        #: Sinks for every answer (for example the cache writer).
        self.sinks: list[Sink] = []
        #: Sinks for the current answer only (for example its metrics); cleared by ``start``.
        self.answer_sinks: list[Sink] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._run_task: asyncio.Task[None] | None = None
        self._source: AnswerSource | None = None
        self._answer_source: AnswerSource | None = None
        self._generation = 0
        self._state = RunState.IDLE
        self._stopping = False
        self._stream_id: str | None = None
        self._last_event_id = 0
        self._terminal: StreamEvent | None = None
        self._last_outcome: RunOutcome | None = None

    # --- state ------------------------------------------------------------------------------

    @property
    def state(self) -> RunState:
        return self._state

    @property
    def running(self) -> bool:
        return self._run_task is not None and not self._run_task.done()

    @property
    def stream_id(self) -> str | None:
        return self._stream_id

    @property
    def last_event_id(self) -> int:
        return self._last_event_id

    @property
    def last_outcome(self) -> RunOutcome | None:
        return self._last_outcome

    @property
    def answer_source(self) -> AnswerSource | None:
        """The source that started the current (or last) answer, for its transfer counters."""
        return self._answer_source

    @property
    def task_count(self) -> int:
        """Tasks still alive (a closed bridge has none)."""
        return sum(1 for task in self._tasks if not task.done())

    # --- commands ---------------------------------------------------------------------------

    def start(self, request: ChatRequest) -> None:
        """Start a new answer, cancelling (on the server too) whatever runs now.

        Raises:
            RuntimeError: no server is connected yet.
        """
        if self.factory is None:
            raise RuntimeError("no server is connected yet")
        self._abandon_current(cancel_on_server=True)
        self._stream_id = None
        self._last_event_id = 0
        source = self.factory.start(request)
        self.answer_sinks = []
        self._answer_source = source
        self.answer_started.emit(request)
        self._launch(source)

    def retry(self) -> bool:
        """Continue the current or last answer right now, from the last applied event.

        Returns:
            False when there is nothing to continue (no stream id, or the backend cannot
            resume); the caller then regenerates instead.
        """
        if self._stream_id is None or self.factory is None:
            return False
        if not self.running and (self._last_outcome is None or not self._last_outcome.resumable):
            return False
        source = self.factory.resume(self._stream_id, self._last_event_id)
        if source is None:
            return False
        self._abandon_current(cancel_on_server=False)
        self._launch(source)
        self.answer_resumed.emit()
        return True

    def play(
        self, source: AnswerSource, *, stream_id: str | None = None, last_event_id: int = 0
    ) -> None:
        """Run ``source`` as the current answer without the factory.

        For an answer that is not a new request: a cached stream resumed after a restart
        (``stream_id`` and ``last_event_id`` say where it stood, so replayed events are
        skipped) or a cached answer replayed. The caller adds its sinks to ``answer_sinks``
        after this call; ``answer_started`` is not emitted.
        """
        self._abandon_current(cancel_on_server=True)
        self._stream_id = stream_id
        self._last_event_id = last_event_id
        self.answer_sinks = []
        self._answer_source = source
        self._launch(source)

    def stop(self) -> None:
        """Cancel the answer on the server; the partial text stays and the run ends stopped."""
        if not self.running or self._stopping or self._source is None:
            return
        self._stopping = True
        self._spawn(self._stop(self._source, self._generation))

    def drop_connection(self) -> None:
        """Cut the live connection now (the developer menu's fault), so the source resumes."""
        if self._source is not None and self.running:
            self._source.drop_connection()

    def close(self) -> None:
        """Cancel every task without waiting (from ``closeEvent``)."""
        self._generation += 1
        for task in list(self._tasks):
            task.cancel()
        self._run_task = None
        self._source = None

    async def aclose(self) -> None:
        """Cancel every task and wait until they are gone."""
        tasks = list(self._tasks)
        self.close()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    # --- internals --------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _launch(self, source: AnswerSource) -> None:
        self._generation += 1
        self._source = source
        self._stopping = False
        self._terminal = None
        self._set_state(RunState.CONNECTING)
        self._run_task = self._spawn(self._run(source, self._generation))
        self.running_changed.emit(True)

    def _abandon_current(self, *, cancel_on_server: bool) -> None:
        if not self.running or self._run_task is None:
            return
        self._generation += 1
        self._run_task.cancel()
        if cancel_on_server and self._source is not None:
            self._spawn(self._cancel_quietly(self._source))
        self._run_task = None

    async def _run(self, source: AnswerSource, generation: int) -> None:
        events = source.events()
        try:
            async for event in events:  # the source ends by itself after its terminal event
                if generation != self._generation:
                    return
                if self._terminal is None:
                    self._apply(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in a source must not take the window down
            log.exception("answer source failed")
            self._apply(Rejected("protocol", f"{type(exc).__name__}: {exc}"))
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()
        if generation == self._generation:
            self._finish()

    def _apply(self, event: StreamEvent) -> None:
        event_id = getattr(event, "id", None)
        if event_id is not None and not isinstance(event, StreamStarted):
            if event_id <= self._last_event_id:
                return  # a replay across a manual resume: applied already
            self._last_event_id = event_id
        elif isinstance(event, StreamStarted):
            self._last_event_id = max(self._last_event_id, event.id)
            self._stream_id = event.stream_id
        if isinstance(event, Connected) and event.stream_id:
            self._stream_id = event.stream_id
        self._track_state(event)
        if is_terminal(event):
            self._terminal = event
        now = time.monotonic()
        for sink in (*self.sinks, *self.answer_sinks):
            try:
                sink(event, now)
            except Exception:  # one faulty recorder must not stop the answer
                log.exception("stream sink failed")
        self.event_received.emit(event)

    def _track_state(self, event: StreamEvent) -> None:
        if isinstance(event, Connecting):
            self._set_state(RunState.RECONNECTING if event.resuming else RunState.CONNECTING)
        elif isinstance(event, Reconnecting):
            self._set_state(RunState.RECONNECTING)
        elif isinstance(event, Token) and self._state is not RunState.STREAMING:
            self._set_state(RunState.STREAMING)

    def _finish(self) -> None:
        result = outcome_of(self._terminal, stop_requested=self._stopping)
        state = {"done": RunState.DONE, "stopped": RunState.STOPPED}.get(
            result.kind, RunState.FAILED
        )
        self._run_task = None
        self._source = None
        self._stopping = False
        outcome = RunOutcome(state, result, self._stream_id, self._last_event_id)
        self._last_outcome = outcome
        self._set_state(state)
        self.running_changed.emit(False)
        self.finished.emit(outcome)

    async def _stop(self, source: AnswerSource, generation: int) -> None:
        await self._cancel_quietly(source)
        task = self._run_task
        if task is None or generation != self._generation:
            return
        # The source reads on to the server's ``done``; if it never comes, end the run here.
        done, _ = await asyncio.wait({task}, timeout=STOP_CONFIRM_TIMEOUT)
        if not done and generation == self._generation:
            self._generation += 1
            task.cancel()
            self._finish()

    @staticmethod
    async def _cancel_quietly(source: AnswerSource) -> None:
        try:
            await asyncio.wait_for(source.cancel(), STOP_CONFIRM_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception:  # the server may be gone; the local state is what matters
            log.info("cancelling the stream on the server failed", exc_info=True)

    def _set_state(self, state: RunState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state.value)
