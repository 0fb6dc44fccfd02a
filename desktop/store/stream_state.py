"""The state a terminal event leaves an answer in: done, stopped, failed or interrupted."""

from __future__ import annotations

from typing import Final

from desktop.protocol.events import Done, GaveUp, Rejected, StreamError, StreamEvent

_DONE_STATES: Final = {"stop": "done", "length": "done", "cancelled": "stopped", "error": "failed"}


def terminal_state(event: StreamEvent) -> tuple[str, str | None] | None:
    """The stream state (and error text) a terminal event leaves, or ``None`` if not terminal.

    404/410 on resume and giving up both leave ``interrupted``: the partial text is kept and a
    later resume may still find the stream.
    """
    match event:
        case Done():
            return _DONE_STATES[event.finish_reason], None
        case StreamError(resumable=False):
            return "failed", f"{event.error_type}: {event.message}"
        case Rejected(reason="not_resumable"):
            return "interrupted", event.message
        case Rejected():
            return "failed", event.message
        case GaveUp():
            return "interrupted", event.reason
    return None
