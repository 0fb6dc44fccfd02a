"""Numbering an upstream's answer as the Assist protocol's events, on the client.

OpenAI-compatible and Ollama servers send no event ids, so the client gives its own: ``stream``
is id 1, every later event the next one, and token indexes count from 0. Everything above the
adapters then sees the same vocabulary, numbered the same way, as from the reference server.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from desktop.protocol.events import (
    Done,
    FinishReason,
    Reset,
    StreamError,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    Usage,
    WireEvent,
)
from desktop.protocol.upstream.chat_stream import ChatFact, ChatStreamDecoder, UpstreamFailure
from desktop.streaming.stats import SourceStats

_FINISH_REASONS: Final[dict[str, FinishReason]] = {
    "length": "length",
    "error": "error",
    "cancelled": "cancelled",
}


def has_finished(decoder: ChatStreamDecoder) -> bool:
    """Whether the upstream has said its answer is whole (a finish reason, or the usage)."""
    return decoder.finish_reason is not None or decoder.usage is not None


class LocalEventNumbering:
    """Gives one answer's events their ids, and remembers whether any content has come.

    Attributes:
        last_event_id: the id of the last event numbered (0 before the first).
        tokens: how many tokens the answer has had.
        has_content: a token, thinking or a tool call has come, so a retry would be a new answer.
    """

    def __init__(self, stats: SourceStats) -> None:
        self.last_event_id = 0
        self.tokens = 0
        self.has_content = False
        self._stats = stats

    def started(self, stream_id: str, model: str | None) -> StreamStarted:
        return StreamStarted(self._next_id(), stream_id, model=model)

    def event(self, fact: ChatFact | Reset | StreamError) -> WireEvent:
        """The numbered event for a decoder's fact (not the end marker: see ``done``)."""
        match fact:
            case Token():
                self.has_content = True
                self.tokens = fact.index + 1
                return Token(self._next_id(), fact.content, fact.index)
            case Thinking() | ToolUse():
                self.has_content = True
                return replace(fact, id=self._next_id())
            case Reset() | StreamError():  # decoders that type their upstream's failures
                return replace(fact, id=self._next_id())
            case UpstreamFailure():
                return StreamError(self._next_id(), "upstream", fact.message, False)
        raise TypeError(f"unexpected upstream fact {fact!r}")  # pragma: no cover

    def done(self, decoder: ChatStreamDecoder) -> Done:
        """The ``done`` of a finished answer, with the upstream's reason and counts."""
        reason = _FINISH_REASONS.get(decoder.finish_reason or "stop", "stop")
        return Done(self._next_id(), reason, decoder.usage or Usage())

    def cancelled(self) -> Done:
        return Done(self._next_id(), "cancelled")

    def _next_id(self) -> int:
        self.last_event_id += 1
        self._stats.events_applied += 1
        return self.last_event_id
