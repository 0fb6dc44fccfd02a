"""Runs a ReconnectingEventSource against a FaultServer and keeps everything a test asserts on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from servers.fault_server import FaultServer, RecordedRequest, Reply

from desktop.protocol.events import Reconnecting, StreamEvent, Token
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource

REQUEST = ChatRequest("Wie exportiere ich eine Unterhaltung?")
TOKEN = "secret-token"

OnEvent = Callable[[ReconnectingEventSource, StreamEvent], Awaitable[None]]


@dataclass
class Run:
    events: list[StreamEvent]
    delays: list[float]
    source: ReconnectingEventSource
    requests: list[RecordedRequest] = field(default_factory=list)
    stream_requests: list[RecordedRequest] = field(default_factory=list)
    #: server connections still open when the source had finished (before the client closed)
    open_connections: int = 0

    @property
    def text(self) -> str:
        return "".join(event.content for event in self.events if isinstance(event, Token))

    @property
    def terminal(self) -> StreamEvent:
        return self.events[-1]

    @property
    def reconnects(self) -> list[Reconnecting]:
        return [event for event in self.events if isinstance(event, Reconnecting)]

    def of_type(self, kind: type[Any]) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]

    def last_event_ids(self) -> list[str | None]:
        return [r.headers.get("last-event-id") for r in self.stream_requests]


async def consume(
    url: str,
    *,
    request: ChatRequest | None = REQUEST,
    on_event: OnEvent | None = None,
    source_kwargs: dict[str, Any] | None = None,
    after: Callable[[], Awaitable[int]] | None = None,
    **config_kwargs: Any,
) -> Run:
    """Iterate one source to its end with an instant, recording ``sleep``."""
    config_kwargs.setdefault("token", TOKEN)
    config_kwargs.setdefault("idle_timeout", 10.0)
    config_kwargs.setdefault("connect_timeout", 5.0)
    config = ClientConfig(url, **config_kwargs)
    delays: list[float] = []

    async def sleep(delay: float) -> None:
        delays.append(delay)

    async with make_client(config) as client:
        source = ReconnectingEventSource(
            client, config, request, sleep=sleep, random=lambda: 0.5, **(source_kwargs or {})
        )
        events: list[StreamEvent] = []
        async for event in source.events():
            events.append(event)
            if on_event is not None:
                await on_event(source, event)
        still_open = await after() if after is not None else 0  # before the pool is closed
    return Run(events, delays, source, open_connections=still_open)


def scenario(
    script: Sequence[Reply],
    *,
    before: Callable[[FaultServer], None] | None = None,
    **kwargs: Any,
) -> Run:
    """Serve ``script`` on a fresh FaultServer and consume one answer from it."""

    async def main() -> Run:
        async with FaultServer(script) as server:
            if before is not None:
                before(server)

            async def open_connections() -> int:
                for _ in range(100):  # a closed client socket ends its handler within ms
                    if not server.open_connections:
                        break
                    await asyncio.sleep(0.02)
                return server.open_connections

            run = await asyncio.wait_for(consume(server.url, after=open_connections, **kwargs), 60)
            run.requests = list(server.requests)
            run.stream_requests = list(server.stream_requests)
            return run

    return asyncio.run(main())
