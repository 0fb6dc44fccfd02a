"""One answer from request to outcome: runs an :class:`AnswerSource` and fans its events out.

The session is the single place that turns a stream of events into state the rest of the
client shows or stores (answer text, reasoning, tool calls, progress) and into one
:class:`Outcome` with the ``ask`` exit code of ARCHITECTURE.md. Sinks (the metrics recorder,
the cache writer, the terminal writer, the Qt bridge) see every event with a monotonic time
stamp taken once, so they agree on when it arrived.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from desktop.exit_codes import Exit
from desktop.protocol.events import (
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

EventSink = Callable[[StreamEvent, float], None]
OutcomeKind: TypeAlias = Literal["done", "stopped", "interrupted", "failed", "rejected", "gave_up"]


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
    """

    kind: OutcomeKind
    message: str = ""
    terminal: StreamEvent | None = None

    @property
    def exit_code(self) -> Exit:
        """The exit code of ``ask`` (and of the window with ``--quit-when-done``)."""
        return _EXIT_CODES[self.kind]


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
    """Runs one source to its end, keeping the applied answer and notifying sinks.

    Args:
        source: the answer source to drive.
        sinks: called with each event and the ``clock()`` time it arrived, in order.
        clock: a monotonic clock in seconds (injectable for tests).
    """

    def __init__(
        self,
        source: AnswerSource,
        sinks: Iterable[EventSink] = (),
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self._sinks: list[EventSink] = list(sinks)
        self._clock = clock
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
        self.stop_requested = False
        self._stop_reason = ""
        #: Set by :meth:`stop`, for callers that bound how long they wait after it.
        self.stopping = asyncio.Event()
        self._cancel_task: asyncio.Task[None] | None = None

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

    def add_sink(self, sink: EventSink) -> None:
        self._sinks.append(sink)

    async def run(self) -> Outcome:
        """Drive the source until its terminal event and return how the answer ended."""
        self.started_at = self._clock()
        async for event in self.source.events():
            now = self._clock()
            self._apply(event)
            for sink in self._sinks:
                sink(event, now)
            if is_terminal(event):
                self.terminal = event
                break
        self.outcome = outcome_of(
            self.terminal, stop_requested=self.stop_requested, stop_reason=self._stop_reason
        )
        return self.outcome

    def stop(self, reason: str = "stopped by the user") -> None:
        """Ask the source to cancel (Ctrl-C, the Stop button); ``run`` then ends ``stopped``.

        Safe to call more than once and from a signal handler on the loop.

        Args:
            reason: the outcome's message.
        """
        if self.stop_requested or self.terminal is not None:
            return
        self.stop_requested = True
        self._stop_reason = reason
        self.stopping.set()
        self._cancel_task = asyncio.get_running_loop().create_task(self.source.cancel())

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
