"""The seam between the stream machinery and whatever generates an answer.

A backend turns a :class:`ChatRequest` into a :class:`Generation`: an async iterator of
``Thinking``, ``ToolUse``, ``Token`` and ``StreamWarning`` events, ending with one ``Done``. The
stream runner, not the backend, owns everything the protocol adds around that: it assigns event
ids (and token indexes), sends ``stream`` first and ``progress`` about every ten tokens, fills in
``duration_ms``, writes to the stream log and maps :class:`UpstreamError` to an ``error`` event.
So a backend yields events with ``id=0`` and never thinks about resume or clients.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol

from desktop.protocol.events import WireEvent
from desktop.protocol.request import ChatRequest


class UpstreamError(Exception):
    """Generation failed; becomes an ``error`` event with these fields."""

    def __init__(
        self,
        error_type: str,
        message: str,
        *,
        resumable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.resumable = resumable
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class GenerationInfo:
    """What the runner puts in the ``stream`` event."""

    model: str
    estimated_tokens: int


class Generation(Protocol):
    """One answer being generated."""

    info: GenerationInfo

    def events(self) -> AsyncIterator[WireEvent]:
        """Thinking / tool-use / token / warning events, then exactly one ``Done``.

        Raises:
            UpstreamError: the upstream failed; the runner reports it as an ``error`` event.
        """
        ...


class GenerationBackend(Protocol):
    """Creates generations; one instance serves the whole server process."""

    name: str

    async def open(self, request: ChatRequest) -> Generation:
        """Prepare an answer (may contact the upstream).

        Raises:
            UpstreamError: the upstream refused before anything was generated.
        """
        ...

    async def aclose(self) -> None:
        """Release connections and caches."""
        ...
