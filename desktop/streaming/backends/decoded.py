"""What a wire-format decoder reports, before the shared loop turns it into numbered events.

OpenAI's SSE chunks and Ollama's NDJSON lines carry the same few facts (a piece of answer, a
piece of reasoning, a tool call, the finish, an error). Decoders report those facts; the
:mod:`~desktop.streaming.backends.upstream` loop assigns ids and token indexes, so numbering
lives in one place and both adapters yield identical event sequences for identical answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from desktop.protocol.events import FinishReason, ToolStatus, Usage


@dataclass(frozen=True, slots=True)
class TextPiece:
    """A delta of answer text (``answer``) or of reasoning text (``reasoning``)."""

    kind: Literal["answer", "reasoning"]
    text: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A tool call the model asked for, at one step of its life."""

    call_id: str
    tool: str
    status: ToolStatus
    input: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finished:
    """The model finished; ``final`` means the upstream sends nothing more after it."""

    reason: FinishReason
    usage: Usage = field(default_factory=Usage)
    final: bool = False


@dataclass(frozen=True, slots=True)
class EndOfStream:
    """The upstream's explicit end marker (OpenAI's ``data: [DONE]``)."""


@dataclass(frozen=True, slots=True)
class UpstreamFailure:
    """The upstream reported an error inside the stream; the answer cannot continue."""

    message: str
    error_type: str = "upstream"


class UpstreamProtocolError(ValueError):
    """The upstream sent something no retry can mend (not JSON, an oversized line)."""


Decoded: TypeAlias = TextPiece | ToolCall | Finished | EndOfStream | UpstreamFailure


def finish_reason(raw: object) -> FinishReason:
    """Map an upstream finish reason onto the protocol's four (tool calls end a turn: stop)."""
    if raw == "length":
        return "length"
    if raw == "error":
        return "error"
    if raw == "cancelled":
        return "cancelled"
    return "stop"


def count(raw: object) -> int | None:
    """An integer count from upstream JSON, or ``None`` for anything else."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
