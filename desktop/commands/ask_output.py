"""What ``assist-desktop ask`` writes: the answer (text or JSON lines) on stdout, notices on stderr.

stdout carries only the answer, so ``ask ... > answer.txt`` and pipes get exactly the applied
text, whatever happens: written in batches as it arrives (a reader sees it grow), flushed at
the end and on every exit. Everything meant for a human watching (reconnects, warnings, why it
ended) goes to stderr.

A ``reset`` (the server started the answer over) cannot take back text already written: in
``text`` mode stdout keeps every token in the order applied, the abandoned attempt included,
and stderr says at which character the new attempt begins (the answer is what follows). In
``jsonl`` mode the ``reset`` line says the same to a script.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any, BinaryIO, TextIO

from desktop.metrics.recorder import StreamMetricsSnapshot, event_type_name
from desktop.protocol.events import (
    EVENT_NAMES,
    Reconnecting,
    Reset,
    Resumed,
    StreamError,
    StreamEvent,
    StreamWarning,
    Token,
    WireEvent,
)
from desktop.protocol.wire import event_payload
from desktop.streaming.batcher import TokenBatcher
from desktop.streaming.session import Outcome

PROGRAM = "assist-desktop ask"


class StdoutClosed(Exception):
    """The reader of stdout went away (``| head``); the answer should stop."""


class _BatchedWriter:
    """Writes batches of text to a binary stream and flushes after each batch."""

    def __init__(self, stream: BinaryIO, on_closed: Callable[[], None]) -> None:
        self._stream = stream
        self._on_closed = on_closed
        self.closed = False
        #: The last character written (``""`` before the first), for line-aware notices.
        self.last_char = ""

    def __call__(self, batch: list[str]) -> None:
        if self.closed:
            return
        text = "".join(batch)
        if text:
            self.last_char = text[-1]
        try:
            self._stream.write(text.encode("utf-8"))
            self._stream.flush()
        except (BrokenPipeError, ValueError):  # ValueError: the stream was closed
            self.closed = True
            self._on_closed()


class AnswerWriter:
    """A session sink that writes the answer in ``text`` or ``jsonl`` form.

    Args:
        stdout: binary standard output.
        mode: ``text`` (the answer text only) or ``jsonl`` (one JSON object per applied event).
        on_closed: called once if stdout's reader goes away.
        max_tokens, max_delay: the batch bounds (see :class:`TokenBatcher`).
    """

    def __init__(
        self,
        stdout: BinaryIO,
        mode: str,
        *,
        on_closed: Callable[[], None] = lambda: None,
        max_tokens: int = 5,
        max_delay: float = 0.1,
    ) -> None:
        self._writer = _BatchedWriter(stdout, on_closed)
        self._batcher = TokenBatcher(self._writer, max_tokens=max_tokens, max_delay=max_delay)
        self._jsonl = mode == "jsonl"
        #: Characters of answer text handed to stdout in ``text`` mode (written or pending).
        self.text_chars = 0

    def __call__(self, event: StreamEvent, t: float) -> None:
        if self._jsonl:
            if type(event) in EVENT_NAMES:
                self._batcher.add(event_line(event))  # type: ignore[arg-type]
        elif isinstance(event, Token):
            self._batcher.add(event.content)
            self.text_chars += len(event.content)

    def flush(self) -> None:
        """Write everything pending now (at the end, and before any exit)."""
        self._batcher.flush_now()

    def flush_to_line_end(self) -> bool:
        """Write what is pending; whether stdout now ends in the middle of a line."""
        self.flush()
        return self._writer.last_char not in ("", "\n")

    def write_summary(self, summary: dict[str, Any]) -> None:
        """The last JSON line in ``jsonl`` mode; nothing in ``text`` mode."""
        if self._jsonl:
            self._batcher.add(json.dumps(summary, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.flush()


def event_line(event: WireEvent) -> str:
    """One applied event as a JSON line: its ``type`` and ``id``, then the protocol payload."""
    record: dict[str, Any] = {"type": event_type_name(event), "id": event.id}
    record.update(event_payload(event))
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def summary_record(
    outcome: Outcome, snapshot: StreamMetricsSnapshot, *, stream_id: str | None
) -> dict[str, Any]:
    """The ``summary`` object: what a script needs to judge the run without parsing events."""
    terminal = outcome.terminal
    return {
        "type": "summary",
        "outcome": outcome.kind,
        "exit_code": outcome.exit_code,
        "message": outcome.message,
        "finish_reason": getattr(terminal, "finish_reason", None),
        "stream_id": stream_id,
        "tokens": snapshot.tokens,
        "reconnects": snapshot.reconnects,
        "ttft_ms": _ms(snapshot.ttft_s),
        "duration_ms": _ms(snapshot.elapsed_s),
        "tokens_per_second": _round(snapshot.tokens_per_second),
        "bytes_received": snapshot.bytes_received,
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


class Notices:
    """A session sink that tells a human on stderr what the connection is doing.

    ``ask`` and ``resume`` both stream an answer to stdout, so both say the same things here.

    Args:
        stderr: where the notices go.
        text_offset: how many characters of answer text stdout has had (for a ``reset``).
        mid_line: set when stdout's answer text and stderr share one terminal: writes what
            stdout has pending and says whether it ends mid-line; a notice then starts on a
            line of its own (stdout itself stays exact).
        program: the command that speaks (the prefix of every notice).
    """

    def __init__(
        self,
        stderr: TextIO,
        text_offset: Callable[[], int] | None = None,
        *,
        mid_line: Callable[[], bool] | None = None,
        program: str = PROGRAM,
    ) -> None:
        self._stderr = stderr
        self._program = program
        self._text_offset = text_offset
        self._mid_line = mid_line
        self._text_since_notice = False

    def say(self, text: str) -> None:
        start = ""
        if self._mid_line is not None and self._mid_line() and self._text_since_notice:
            start = "\n"
        self._text_since_notice = False
        with contextlib.suppress(BrokenPipeError, ValueError):  # stderr closed: stay quiet
            self._stderr.write(f"{start}{self._program}: {text}\n")
            self._stderr.flush()

    def __call__(self, event: StreamEvent, t: float) -> None:
        if isinstance(event, Token) and event.content:
            self._text_since_notice = True
        match event:
            case Reconnecting():
                self.say(
                    f"connection lost ({event.reason}); reconnecting in {event.delay:.1f} s "
                    f"(attempt {event.attempt} of {event.max_attempts})"
                )
            case Resumed():
                self.say(f"resumed after {event.downtime:.1f} s at event {event.last_event_id}")
            case StreamWarning():
                self.say(f"warning: {event.message} ({event.code})")
            case Reset():
                why = f": {event.message}" if event.message else ""
                where = ""
                if self._text_offset is not None:
                    where = (
                        f"; stdout keeps the abandoned attempt, the answer is the text after "
                        f"character {self._text_offset()}"
                    )
                self.say(f"the server started the answer over ({event.reason}{why}){where}")
            case StreamError(resumable=True):
                self.say(f"server error, resuming: {event.error_type}: {event.message}")
