"""What the cache hands to the window and the commands: plain, frozen records.

They carry no connection, so a list built on a worker thread can be shown on the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, Literal

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import StreamEvent
from desktop.store.event_codec import decode_stream_event

#: The protocol recorded for answers of the embedded demo server. Its stream log lives in the
#: process that ran it only, so after a restart such an answer cannot be resumed; the name says
#: so to the window and to ``assist-desktop resume`` (which resumes only ``assist``).
EMBEDDED_PROTOCOL: Final = "assist-embedded"


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """One line of the history list.

    ``answer_status`` is the status of the conversation's latest answer (``None`` before its
    first one), so the list can say which conversations are answering or were cut short;
    ``queued`` counts its questions waiting for the server.
    """

    id: str
    title: str
    created: float
    updated: float
    pinned: bool
    deleted_at: float | None
    message_count: int
    answer_status: AnswerStatus | None = None
    queued: int = 0


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """How an assistant message was streamed, and where a resume would continue."""

    message_id: int
    conversation_id: str
    server_url: str
    protocol: str
    stream_id: str | None
    last_event_id: int
    state: str
    error: str | None
    started: float
    finished: float | None
    ttft_ms: float | None
    tokens: int
    owner_pid: int | None
    text: str = ""

    @property
    def resumable(self) -> bool:
        """Whether a server may still hold the rest: an assist stream that had started."""
        return self.protocol == "assist" and bool(self.stream_id)


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One recorded event: ``offset_ms`` after the answer started (replay keeps that pace)."""

    seq: int
    event_id: int | None
    type: str
    offset_ms: float
    payload: str

    @property
    def data(self) -> dict[str, Any]:
        value = json.loads(self.payload)
        return value if isinstance(value, dict) else {}

    def to_event(self) -> StreamEvent | None:
        """The event as the live stream delivered it (``None`` for an unknown type)."""
        return decode_stream_event(self.type, self.event_id, self.payload)


@dataclass(frozen=True, slots=True)
class MessageRecord:
    id: int
    role: str
    text: str
    created: float
    state: str
    stream: StreamRecord | None = None
    events: tuple[EventRecord, ...] = ()
    #: Among the answers to one question (its alternatives), the one the reader chose.
    chosen: bool = True


@dataclass(frozen=True, slots=True)
class Alternative:
    """Where an answer stands among its question's answers: ``index`` of ``count`` (from 1)."""

    index: int
    count: int


def alternatives(messages: tuple[MessageRecord, ...]) -> dict[int, Alternative]:
    """The answers that have alternatives, by message id (the others are left out).

    The assistant messages after one question, up to the next question, are its answers.
    """
    out: dict[int, Alternative] = {}
    run: list[int] = []

    def close_run() -> None:
        if len(run) > 1:
            out.update({mid: Alternative(n, len(run)) for n, mid in enumerate(run, 1)})
        run.clear()

    for message in messages:
        if message.role == "assistant":
            run.append(message.id)
        else:
            close_run()
    close_run()
    return out


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """A whole conversation, as it was, for display, replay and export."""

    summary: ConversationSummary
    messages: tuple[MessageRecord, ...]

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def title(self) -> str:
        return self.summary.title

    @property
    def alternatives(self) -> dict[int, Alternative]:
        return alternatives(self.messages)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching message: jump to ``message_id`` in ``conversation_id``."""

    conversation_id: str
    conversation_title: str
    message_id: int
    role: str
    created: float
    snippet: str


#: What a queued question does when it goes out: ``ask`` it after the conversation so far,
#: ``regenerate`` a new answer to the conversation's last question (``text`` is that question),
#: or ``edit`` (ask it in place of the last question and its answers).
QueuedKind = Literal["ask", "regenerate", "edit"]
QUEUED_KINDS: Final[tuple[QueuedKind, ...]] = ("ask", "regenerate", "edit")


@dataclass(frozen=True, slots=True)
class QueuedQuestion:
    """A question waiting for the server to be reachable again (see ``store.queued_rows``).

    ``queued_at`` (wall-clock seconds) orders the queue: a question that meets an unreachable
    server again keeps its place instead of going to the back.
    """

    id: str
    conversation_id: str
    text: str
    queued_at: float
    kind: QueuedKind = "ask"
