"""The one event vocabulary every layer speaks.

Wire events (those the Assist Streaming Protocol sends, each with its integer ``id``) and
connection events (what the client itself observes: connecting, reconnecting, giving up) are
frozen, slotted dataclasses. Every backend (assist SSE, OpenAI-compatible, Ollama) maps its wire
format to the wire events; everything above the streaming core consumes only these types.

The final event of a stream as the client sees it is always one of the ``TERMINAL`` types:
``Done``, a non-resumable ``StreamError``, ``GaveUp`` or ``Rejected``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

ToolStatus: TypeAlias = Literal["started", "completed", "failed"]
FinishReason: TypeAlias = Literal["stop", "length", "cancelled", "error"]
ErrorType: TypeAlias = Literal[
    "network_timeout", "model_overload", "token_limit", "rate_limit", "upstream", "internal"
]

ERROR_TYPES: Final = frozenset(
    {"network_timeout", "model_overload", "token_limit", "rate_limit", "upstream", "internal"}
)
TOOL_STATUSES: Final = frozenset({"started", "completed", "failed"})
FINISH_REASONS: Final = frozenset({"stop", "length", "cancelled", "error"})


# --- wire events ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StreamStarted:
    """The first event of every stream (always id 1)."""

    id: int
    stream_id: str
    conversation_id: str | None = None
    model: str | None = None
    created_at: str | None = None
    estimated_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class Thinking:
    """A status line (``message``) and/or a delta of reasoning text (``content``)."""

    id: int
    message: str | None = None
    content: str | None = None


@dataclass(frozen=True, slots=True)
class ToolUse:
    """One step in a tool call's life; events with the same ``call_id`` describe one call."""

    id: int
    call_id: str
    tool: str
    status: ToolStatus
    input: Mapping[str, Any] = field(default_factory=dict)
    output: Mapping[str, Any] | None = None
    duration_ms: float | None = None


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of the answer; the answer is the concatenation of ``content`` in id order."""

    id: int
    content: str
    index: int


@dataclass(frozen=True, slots=True)
class Progress:
    """The server's own view of how far the answer is (sent about every 10 tokens)."""

    id: int
    tokens_sent: int
    estimated_total: int | None = None
    progress_percentage: float | None = None
    tokens_per_second: float | None = None
    estimated_time_remaining: float | None = None
    elapsed_time: float | None = None


@dataclass(frozen=True, slots=True)
class StreamWarning:
    """Shown to the user, never fatal (named so as not to shadow the built-in ``Warning``)."""

    id: int
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Reset:
    """The upstream started the answer over: the answer is the tokens after the last reset.

    Earlier tokens stay in the event record (inspector, JSON export) but leave the answer. A
    server sends it just before the first token of the new attempt, so a retry that fails
    sends none and the partial text stands.
    """

    id: int
    reason: str = "upstream_retry"
    message: str | None = None


@dataclass(frozen=True, slots=True)
class StreamError:
    """An error reported by the server inside the stream."""

    id: int
    error_type: str
    message: str
    resumable: bool
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class Done:
    """The last event of a stream; nothing after it is applied."""

    id: int
    finish_reason: FinishReason
    usage: Usage = field(default_factory=Usage)
    duration_ms: float | None = None


WireEvent: TypeAlias = (
    StreamStarted
    | Thinking
    | ToolUse
    | Token
    | Progress
    | StreamWarning
    | Reset
    | StreamError
    | Done
)

#: SSE ``event:`` names, in both directions.
EVENT_NAMES: Final[dict[type[Any], str]] = {
    StreamStarted: "stream",
    Thinking: "thinking",
    ToolUse: "tool_use",
    Token: "token",
    Progress: "progress",
    StreamWarning: "warning",
    Reset: "reset",
    StreamError: "error",
    Done: "done",
}


# --- connection events (observed by the client, never on the wire) ------------------------


@dataclass(frozen=True, slots=True)
class Connecting:
    """A request is about to be sent (``attempt`` 0 is the first try)."""

    url: str
    attempt: int
    resuming: bool


@dataclass(frozen=True, slots=True)
class Connected:
    """Response headers arrived with an event stream."""

    url: str
    resumed: bool
    stream_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """The connection ended before ``done``; the next try starts after ``delay`` seconds.

    ``unreachable``: the try never reached the server (refused, no route, no such host, a
    connect timeout), as opposed to a server that answered and then failed. This is what the
    window calls offline and what queues a question; a reason's wording is never parsed for it.
    """

    attempt: int
    max_attempts: int
    delay: float
    reason: str
    last_event_id: int
    unreachable: bool = False


@dataclass(frozen=True, slots=True)
class Resumed:
    """A resumed connection delivered its first new event."""

    last_event_id: int
    attempts: int
    downtime: float


RejectReason: TypeAlias = Literal[
    "unauthorized",  # 401/403: ask for credentials
    "invalid_request",  # 400/413/422 or another non-retryable status
    "not_event_stream",  # 200 with a non-SSE content type
    "not_resumable",  # 404/410 on resume, or no resume URL
    "protocol",  # the server broke the protocol in a way a retry cannot mend
    "untrusted_certificate",  # TLS verification refused the server's certificate
]


@dataclass(frozen=True, slots=True)
class Rejected:
    """Terminal: the server refused in a way that retrying cannot change."""

    reason: RejectReason
    message: str
    status: int | None = None


@dataclass(frozen=True, slots=True)
class GaveUp:
    """Terminal: ``attempts`` consecutive tries brought no new event; ``unreachable`` when the
    last of them never reached the server (see :class:`Reconnecting`)."""

    attempts: int
    reason: str
    unreachable: bool = False


ConnectionEvent: TypeAlias = Connecting | Connected | Reconnecting | Resumed | Rejected | GaveUp
StreamEvent: TypeAlias = WireEvent | ConnectionEvent

TERMINAL: Final = (Done, Rejected, GaveUp)


def is_terminal(event: StreamEvent) -> bool:
    """Whether nothing will follow ``event`` in the stream the client yields."""
    if isinstance(event, StreamError):
        return not event.resumable
    return isinstance(event, TERMINAL)
