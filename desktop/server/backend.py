"""The seam between the stream machinery and whatever generates an answer.

A backend turns a :class:`ChatRequest` into a :class:`Generation`: an async iterator of
``Thinking``, ``ToolUse``, ``Token`` and ``StreamWarning`` events, ending with one ``Done``. The
stream runner, not the backend, owns everything the protocol adds around that: it assigns event
ids (and token indexes), sends ``stream`` first and ``progress`` about every ten tokens, fills in
``duration_ms``, writes to the stream log and maps :class:`UpstreamError` to an ``error`` event.
So a backend yields events with ``id=0`` and never thinks about resume or clients.

Every ``open`` also gets the :class:`Caller`: a backend that acts as the user upstream (the
nscale gateway forwards the user's own login token) needs it; the others ignore it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Final, Protocol

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


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asked for an answer, as far as a backend may need to know.

    Attributes:
        bearer: the bearer token the start request presented (kept out of ``repr`` so that it
            cannot reach a log line), or ``None``.
    """

    bearer: str | None = field(default=None, repr=False)


ANONYMOUS: Final = Caller()


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

    async def open(self, request: ChatRequest, caller: Caller = ANONYMOUS) -> Generation:
        """Prepare an answer for ``caller`` (may contact the upstream).

        Raises:
            UpstreamError: the upstream refused before anything was generated.
        """
        ...

    async def aclose(self) -> None:
        """Release connections and caches."""
        ...


def offered_options(backend: GenerationBackend) -> frozenset[str]:
    """The start options a backend honours beyond the core protocol: its ``offered_options``
    attribute, which only backends with such options declare."""
    offered = getattr(backend, "offered_options", ())
    return frozenset(name for name in offered if isinstance(name, str))
