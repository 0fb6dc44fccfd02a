"""A runner for one generation of an upstream backend against a scripted fake upstream."""

from __future__ import annotations

import asyncio
from typing import Any

from servers.fault_server import FaultServer, Reply

from desktop.protocol.events import WireEvent
from desktop.protocol.request import ChatOptions, ChatRequest, HistoryItem
from desktop.server.backend import GenerationBackend, UpstreamError
from desktop.server.backends.upstream import UpstreamBackend

REQUEST = ChatRequest(
    "Wie exportiere ich?",
    history=(HistoryItem("user", "Hallo"), HistoryItem("assistant", "Hallo!")),
    options=ChatOptions(max_tokens=64, temperature=0.2),
)


async def generate(backend: GenerationBackend, request: ChatRequest) -> list[WireEvent]:
    """Open and read one generation, then close the backend."""
    try:
        generation = await backend.open(request)
        return [event async for event in generation.events()]
    finally:
        await backend.aclose()


def run_backend(
    backend: type[UpstreamBackend],
    replies: list[Reply],
    request: ChatRequest = REQUEST,
    *,
    model: str = "tiny",
    **kwargs: Any,
) -> tuple[Any, list[Any]]:
    """One generation against a fault server playing ``replies``.

    Returns the events (or the ``UpstreamError`` raised) and the requests the server saw.
    """

    async def scenario() -> tuple[Any, list[Any]]:
        async with FaultServer(replies) as server:
            upstream = backend(server.url, model=model, **kwargs)
            try:
                events: Any = await generate(upstream, request)
            except UpstreamError as exc:
                events = exc
            return events, server.stream_requests

    return asyncio.run(scenario())
