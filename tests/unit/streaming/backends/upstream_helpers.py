"""Runners that collect an OpenAI or Ollama answer source's events from a scripted upstream."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from servers.fault_server import FaultServer, Reply

from desktop.protocol.backend_protocols import BackendProtocol
from desktop.protocol.events import StreamEvent, Token, is_terminal
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source


class Sleeps:
    """An injected ``sleep`` that records delays and waits only a moment."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0.001)


def request(message: str = "Hallo?", **options: Any) -> ChatRequest:
    return ChatRequest(message, options=ChatOptions(**options))


async def collect(
    url: str,
    protocol: BackendProtocol,
    *,
    model: str | None = "m",
    config: dict[str, Any] | None = None,
    on_event: Callable[[AnswerSource, StreamEvent], None] | None = None,
    **options: Any,
) -> tuple[list[StreamEvent], AnswerSource]:
    """Run one source to its end against ``url`` and return everything it yielded."""
    cfg = ClientConfig(url, **(config or {}))
    async with make_client(cfg) as client:
        options.setdefault("sleep", Sleeps())
        source = open_source(client, cfg, protocol, request(), model=model, **options)
        events: list[StreamEvent] = []
        async for event in source.events():
            events.append(event)
            if on_event is not None:
                on_event(source, event)
            assert len(events) < 10_000
        assert is_terminal(events[-1])
        return events, source


def run_against(
    protocol: BackendProtocol, script: list[Reply], **kwargs: Any
) -> tuple[list[StreamEvent], FaultServer]:
    """Run one source against a fault server playing ``script``; its events and the server."""

    async def scenario() -> tuple[list[StreamEvent], FaultServer]:
        async with FaultServer(script) as server:
            events, _ = await collect(server.url, protocol, **kwargs)
            return events, server

    return asyncio.run(scenario())


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.content for e in events if isinstance(e, Token))


def of_type(events: list[StreamEvent], kind: type[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]
