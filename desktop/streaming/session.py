"""One answer from request to outcome: the only answer runner, for ``ask`` and the window alike.

The session is the single place that turns a stream of events into state the rest of the client
shows or stores (answer text, reasoning, tool calls, progress) and into one :class:`Outcome`.
It owns the rules every caller used to repeat: an event id is applied once (also across a
Retry that continues the answer on a new source), a Stop waits at most ``stop_timeout`` for the
server to confirm before the answer is cut locally, and a faulty source or sink ends or skips
cleanly instead of taking the caller down. Sinks (the metrics recorder, the cache writer, the
terminal writer, the Qt bridge) see every event with a monotonic time stamp taken once, so they
agree on when it arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from desktop.exit_codes import Exit
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import (
    Connected,
    Done,
    GaveUp,
    Progress,
    Rejected,
    Reset,
    StreamError,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    is_terminal,
)
from desktop.streaming.answer_source import AnswerSource

log = logging.getLogger(__name__)

EventSink = Callable[[StreamEvent, float], None]
OutcomeKind: TypeAlias = Literal["done", "stopped", "interrupted", "failed", "rejected", "gave_up"]

#: How long a Stop waits for the server's cancelled ``done`` before the answer is cut locally.
STOP_TIMEOUT: Final = 5.0

#: Pieces kept apart before they are joined; bounds the answer's memory to about its text.
_COMPACT_AT: Final = 256

_EXIT_CODES: Final[dict[OutcomeKind, Exit]] = {
    "done": Exit.OK,
    "stopped": Exit.INTERRUPTED,
    "interrupted": Exit.INTERRUPTED,
    "failed": Exit.FAILED,
    "rejected": Exit.REJECTED,
    "gave_up": Exit.GAVE_UP,
}

_STATUSES: Final[dict[OutcomeKind, AnswerStatus]] = {
    "done": AnswerStatus.DONE,
    "stopped": AnswerStatus.STOPPED,
    "interrupted": AnswerStatus.INTERRUPTED,
    "failed": AnswerStatus.FAILED,
    "rejected": AnswerStatus.FAILED,
    "gave_up": AnswerStatus.INTERRUPTED,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """How an answer ended.

    Attributes:
        kind: ``done`` (complete), ``stopped`` (cancelled by the user), ``interrupted`` (the
            connection was lost and the backend cannot continue the answer: OpenAI, Ollama,
            nscale; the text so far stands), ``failed`` (the server
            ended it with a fatal error), ``rejected`` (a refusal retrying cannot change,
            including a stream that cannot be resumed) or ``gave_up`` (reconnecting failed).
        message: a sentence for the user; empty for a complete answer.
        terminal: the terminal event, or ``None`` when the source ended without one.
        stream_id: the server's stream, when one was announced.
        last_event_id: the last applied event id, where a resume would continue.
    """

    kind: OutcomeKind
    message: str = ""
    terminal: StreamEvent | None = None
    stream_id: str | None = None
    last_event_id: int = 0

    @property
    def exit_code(self) -> Exit:
        """The exit code of ``ask`` (and of the window with ``--quit-when-done``)."""
        return _EXIT_CODES[self.kind]

    @property
    def status(self) -> AnswerStatus:
        """The answer's status, as the cache stores it and the window shows it."""
        terminal = self.terminal
        if isinstance(terminal, Rejected) and terminal.reason == "not_resumable":
            return AnswerStatus.INTERRUPTED  # the text so far stands, as the cache records it
        return _STATUSES[self.kind]

    @property
    def resumable(self) -> bool:
        """Whether Retry can continue this answer instead of starting it again."""
        return self.kind == "gave_up" and self.stream_id is not None


def outcome_of(
    terminal: StreamEvent | None, *, stop_requested: bool = False, stop_reason: str = ""
) -> Outcome:
    """Classify how a stream ended; a stop the user asked for always counts as ``stopped``."""
    if stop_requested:
        return Outcome("stopped", stop_reason or "stopped by the user", terminal)
    match terminal:
        case Done(finish_reason="cancelled"):
            return Outcome("stopped", "the answer was cancelled", terminal)
        case Done(finish_reason="error"):
            return Outcome("failed", "the server ended the answer with an error", terminal)
        case Done():
            return Outcome("done", "", terminal)
        case StreamError():
            return Outcome("failed", f"{terminal.error_type}: {terminal.message}", terminal)
        case Rejected(reason="not_resumable", status=None):  # lost, not refused by a server
            return Outcome("interrupted", terminal.message, terminal)
        case Rejected():
            status = f" (HTTP {terminal.status})" if terminal.status is not None else ""
            return Outcome("rejected", f"{terminal.reason}{status}: {terminal.message}", terminal)
        case GaveUp():
            return Outcome(
                "gave_up",
                f"gave up after {terminal.attempts} attempts: {terminal.reason}",
                terminal,
            )
    return Outcome("gave_up", "the stream ended without a final event", terminal)


class AnswerSession:
    """Runs one answer to its end, keeping the applied answer and notifying sinks.

    Args:
        source: the answer source to drive.
        sinks: called with each event and the ``clock()`` time it arrived, in order.
        clock: a monotonic clock in seconds (injectable for tests).
        stop_timeout: how long :meth:`stop` waits for the server before cutting the answer.
        stream_id: the stream an earlier run of this answer announced (a cached answer resumed).
        last_event_id: the last event an earlier run applied; replayed ones are skipped.
    """

    def __init__(
        self,
        source: AnswerSource,
        sinks: Iterable[EventSink] = (),
        *,
        clock: Callable[[], float] = time.monotonic,
        stop_timeout: float = STOP_TIMEOUT,
        stream_id: str | None = None,
        last_event_id: int = 0,
    ) -> None:
        self.source = source
        self._sinks: list[EventSink] = list(sinks)
        self._clock = clock
        self._stop_timeout = stop_timeout
        self._pieces: list[str] = []
        self._thinking: list[str] = []
        self._token_count = 0
        #: ``reset`` events applied: the upstream started the answer over this many times.
        self.resets = 0
        self.tool_calls: dict[str, ToolUse] = {}
        self.progress: Progress | None = None
        self.started: StreamStarted | None = None
        self.terminal: StreamEvent | None = None
        self.outcome: Outcome | None = None
        self.started_at: float | None = None
        self.stream_id = stream_id
        self.last_event_id = last_event_id
        self.stop_requested = False
        self._stop_reason = ""
        #: Set by :meth:`stop`, for callers that bound how long they wait after it.
        self.stopping = asyncio.Event()
        self._run_task: asyncio.Task[Any] | None = None
        self._helpers: set[asyncio.Task[None]] = set()
        self._cut = False

    @property
    def text(self) -> str:
        """The answer text applied so far: the tokens after the last ``reset``."""
        if len(self._pieces) > 1:
            self._pieces[:] = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    @property
    def thinking_text(self) -> str:
        """Streamed reasoning text (status lines are not part of it)."""
        return "".join(self._thinking)

    @property
    def token_count(self) -> int:
        """Applied ``token`` events, those before a ``reset`` included (not the length of
        ``text``)."""
        return self._token_count

    @property
    def running(self) -> bool:
        return self._run_task is not None

    def add_sink(self, sink: EventSink) -> None:
        self._sinks.append(sink)

    async def run(self) -> Outcome:
        """Drive the source until its terminal event and return how the answer ended."""
        if self.started_at is None:
            self.started_at = self._clock()
        task = asyncio.current_task()
        self._run_task = task
        try:
            await self._read(self.source)
        except asyncio.CancelledError:
            if not self._cut or task is None:
                raise
            task.uncancel()  # our own cut after an unconfirmed stop: the answer ends stopped
        finally:
            if self._run_task is task:  # a Retry may already run this answer on a new task
                self._run_task = None
        outcome = outcome_of(
            self.terminal, stop_requested=self.stop_requested, stop_reason=self._stop_reason
        )
        self.outcome = dataclasses.replace(
            outcome, stream_id=self.stream_id, last_event_id=self.last_event_id
        )
        return self.outcome

    def continue_with(self, source: AnswerSource) -> None:
        """Retry: the next :meth:`run` continues this answer on ``source``, with the same sinks.

        A run still going (a Retry while reconnecting) must have been cancelled by the caller;
        it unwinds without touching the continued answer.
        """
        self.source = source
        self.terminal = None
        self.outcome = None
        self.stop_requested = False
        self._stop_reason = ""
        self._cut = False
        self.stopping.clear()

    def stop(self, reason: str = "stopped by the user") -> None:
        """Ask the source to cancel (Ctrl-C, the Stop button); ``run`` then ends ``stopped``.

        Without the server's confirmation within ``stop_timeout`` the answer is cut here.
        Safe to call more than once and from a signal handler on the loop.

        Args:
            reason: the outcome's message.
        """
        if self.stop_requested or self.terminal is not None:
            return
        self.stop_requested = True
        self._stop_reason = reason
        self.stopping.set()
        self._spawn(self._cancel_then_cut())

    def close(self) -> None:
        """Give up on a pending stop's cancel and cut (the window closes)."""
        for helper in list(self._helpers):
            helper.cancel()

    async def _cancel_then_cut(self) -> None:
        await cancel_quietly(self.source, self._stop_timeout)
        task = self._run_task
        if task is None:
            return
        # The source reads on to the server's ``done``; if it never comes, end the run here.
        await asyncio.wait({task}, timeout=self._stop_timeout)
        if self._run_task is task and not task.done():
            self._cut = True
            task.cancel()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        helper = asyncio.get_running_loop().create_task(coro)
        self._helpers.add(helper)
        helper.add_done_callback(self._helpers.discard)

    async def _read(self, source: AnswerSource) -> None:
        events = source.events()
        try:
            # Read to the source's own end (it ends after its terminal event), so that every
            # generator it stacks finishes in order instead of being finalised by the collector.
            async for event in events:
                if self.terminal is None and self._accept(event):
                    self._dispatch(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in a source must not take the caller down
            log.exception("answer source failed")
            self._dispatch(Rejected("protocol", f"{type(exc).__name__}: {exc}"))
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()

    def _accept(self, event: StreamEvent) -> bool:
        """Exactly once across runs: a source resumed by hand may replay what was applied."""
        if isinstance(event, StreamStarted):
            self.stream_id = event.stream_id
            self.last_event_id = max(self.last_event_id, event.id)
            return True
        if isinstance(event, Connected) and event.stream_id:
            self.stream_id = event.stream_id
        event_id = getattr(event, "id", None)
        if isinstance(event_id, int) and not is_terminal(event):
            if event_id <= self.last_event_id:
                return False
            self.last_event_id = event_id
        return True

    def _dispatch(self, event: StreamEvent) -> None:
        now = self._clock()
        self._apply(event)
        if is_terminal(event):
            self.terminal = event
        for sink in self._sinks:
            try:
                sink(event, now)
            except Exception:  # one faulty recorder must not stop the answer
                log.exception("answer sink failed")

    def _apply(self, event: StreamEvent) -> None:
        match event:
            case Token():
                pieces = self._pieces
                pieces.append(event.content)
                self._token_count += 1
                if len(pieces) >= _COMPACT_AT:  # one string, not thousands of small objects
                    pieces[:] = ["".join(pieces)]
            case Reset():
                self._pieces.clear()
                self.resets += 1
            case Thinking(content=str() as content):
                self._thinking.append(content)
            case ToolUse():
                self.tool_calls[event.call_id] = event
            case Progress():
                self.progress = event
            case StreamStarted():
                self.started = event


async def cancel_quietly(source: AnswerSource, within: float = STOP_TIMEOUT) -> None:
    """Cancel ``source`` on the server, bounded; the server may be gone, the local state counts."""
    try:
        await asyncio.wait_for(source.cancel(), within)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.info("cancelling the stream on the server failed", exc_info=True)
