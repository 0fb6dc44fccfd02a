"""Continuing an answer another process started: where it stands, and who can go on from there.

When the replica generating a stream dies, another replica takes the stream over. It can
continue the answer only where the backend produces the same answer again for the same request
(the demo backend always does; a sampling model does not), so a backend says so by being a
:class:`ContinuableBackend`. The runner then skips what the log already holds, by the same
counting it uses after an upstream retry, and the text is identical to an uninterrupted answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol, runtime_checkable

from desktop.protocol.events import (
    StreamStarted,
    StreamWarning,
    Thinking,
    Token,
    ToolUse,
    WireEvent,
)
from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEParser
from desktop.protocol.wire import decode_event
from desktop.server.backend import Generation, GenerationBackend

#: What readers of a stream nobody can continue are told (``error``, ``upstream``, final).
ORPHAN_MESSAGE: Final = (
    "the server generating this answer stopped before it was complete; ask again to get the rest"
)


@dataclass(frozen=True, slots=True)
class LoggedPosition:
    """How far a stream's log has come.

    Attributes:
        next_id: the id the next event gets.
        tokens: token events written (the next token's index).
        text: the answer text written (every token's content, in order).
        backend_events: thinking, tool-use and warning events written (the backend's own).
        created_at: the ``stream`` event's timestamp, for ``duration_ms``.
    """

    next_id: int
    tokens: int
    text: str
    backend_events: int
    created_at: datetime | None


def logged_position(frames: Sequence[bytes]) -> LoggedPosition:
    """Read the log's frames back into the counts the runner keeps while it generates."""
    parser = SSEParser()
    events: list[WireEvent] = []
    for message in parser.feed(b"".join(frames)):
        if message.id is None or not message.id.isdigit():
            continue
        event = decode_event(int(message.id), message.event, message.data)
        if event is not None:
            events.append(event)
    tokens = backend = 0
    text: list[str] = []
    created_at: datetime | None = None
    for event in events:
        if isinstance(event, Token):
            tokens += 1
            text.append(event.content)
        elif isinstance(event, (Thinking, ToolUse, StreamWarning)):
            backend += 1
        elif isinstance(event, StreamStarted) and event.created_at:
            created_at = datetime.fromisoformat(event.created_at)
    return LoggedPosition(len(frames) + 1, tokens, "".join(text), backend, created_at)


class TextDiffers(Exception):
    """The regenerated answer does not begin with the text the log already holds."""


class LoggedText:
    """The text a regenerated answer must begin with, consumed as its tokens arrive."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._matched = 0

    def after(self, content: str) -> str:
        """The part of ``content`` that comes after the logged text ('' while still inside it).

        Raises:
            TextDiffers: ``content`` is not what the log holds at this point.
        """
        expected = self._text[self._matched : self._matched + len(content)]
        head = content[: len(expected)]
        if head != expected:
            raise TextDiffers(f"the regenerated text differs at character {self._matched}")
        self._matched += len(head)
        return content[len(head) :]

    def check_complete(self) -> None:
        """The regenerated answer ended: it must have covered the whole logged text.

        Raises:
            TextDiffers: it ended before reaching the end of the logged text.
        """
        if self._matched < len(self._text):
            raise TextDiffers(f"the regenerated answer ended at character {self._matched}")


@runtime_checkable
class ContinuableBackend(Protocol):
    """A backend that can produce the same answer again, so another process can go on."""

    def can_continue(self, request: ChatRequest) -> bool:
        """Whether ``request`` gives the same events every time it is generated."""
        ...

    async def open_at(self, request: ChatRequest, tokens_sent: int) -> Generation:
        """The generation of ``request``, paced as if its first ``tokens_sent`` tokens were
        already due (the runner skips them): the rest follows without waiting for them again.
        """
        ...


def continues(backend: GenerationBackend, request: ChatRequest) -> bool:
    """Whether ``backend`` can continue ``request`` in another process."""
    return isinstance(backend, ContinuableBackend) and backend.can_continue(request)
