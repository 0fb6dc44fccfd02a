"""Generation through Ollama's native ``/api/chat`` (one JSON object per line).

The native API rather than Ollama's OpenAI-compatible one, because only the native API streams
``message.thinking`` of reasoning models and reports ``done_reason`` and token counts. Mapped:
``content`` to tokens, ``thinking`` (and a leading ``<think>`` block in the content, as models
without a reasoning parser send it) to thinking, ``tool_calls`` (which Ollama sends whole, with
parsed arguments) to a ``started`` and a ``completed`` tool use (this server does not run the
tools), an ``error`` line to an :class:`UpstreamError`, and ``done_reason`` "length" to
``done``/"length". A body that ends without ``"done": true`` was cut off. The lines are read by
the decoder the desktop client shares (:mod:`desktop.protocol.upstream.ollama_chat`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final

import httpx

from desktop.protocol.events import WireEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.ollama_chat import ChatLineDecoder, chat_body
from desktop.protocol.upstream.ollama_chat import chat_url as chat_url
from desktop.server.backend import GenerationInfo
from desktop.server.backends.upstream import (
    DEFAULT_ESTIMATE,
    DEFAULT_TIMEOUT,
    HttpUpstream,
    UpstreamGeneration,
    decoded_events,
    done_event,
)

DEFAULT_URL: Final = "http://127.0.0.1:11434"
DEFAULT_MODEL: Final = "llama3.2"


class OllamaBackend:
    """Streams answers from an Ollama server."""

    name = "ollama"

    def __init__(
        self,
        upstream_url: str | None = None,
        *,
        model: str | None = None,
        api_key: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model or DEFAULT_MODEL
        self._http = HttpUpstream(
            chat_url(upstream_url or DEFAULT_URL),
            api_key=api_key,
            timeout=timeout,
            transport=transport,
        )

    async def open(self, request: ChatRequest) -> UpstreamGeneration:
        model = request.options.model or self.model
        response = await self._http.post(chat_body(request, model))
        info = GenerationInfo(model, request.options.max_tokens or DEFAULT_ESTIMATE)
        return UpstreamGeneration(info, response, parse_chat_lines)

    async def aclose(self) -> None:
        await self._http.aclose()


async def parse_chat_lines(response: httpx.Response) -> AsyncIterator[WireEvent]:
    """The events of an ``/api/chat`` NDJSON body."""
    decoder = ChatLineDecoder()
    async for event in decoded_events(response, decoder):
        yield event
    yield done_event(decoder)
