"""The status a terminal event leaves an answer in: done, stopped, failed or interrupted."""

from __future__ import annotations

from typing import Final

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Done, GaveUp, Rejected, StreamError, StreamEvent

_DONE_STATES: Final = {
    "stop": AnswerStatus.DONE,
    "length": AnswerStatus.DONE,
    "cancelled": AnswerStatus.STOPPED,
    "error": AnswerStatus.FAILED,
}


def terminal_state(event: StreamEvent) -> tuple[AnswerStatus, str | None] | None:
    """The status (and error text) a terminal event leaves, or ``None`` if not terminal.

    404/410 on resume and giving up both leave ``interrupted``: the partial text is kept and a
    later resume may still find the stream.
    """
    match event:
        case Done():
            return _DONE_STATES[event.finish_reason], None
        case StreamError(resumable=False):
            return AnswerStatus.FAILED, f"{event.error_type}: {event.message}"
        case Rejected(reason="not_resumable"):
            return AnswerStatus.INTERRUPTED, event.message
        case Rejected():
            return AnswerStatus.FAILED, event.message
        case GaveUp():
            return AnswerStatus.INTERRUPTED, event.reason
    return None
