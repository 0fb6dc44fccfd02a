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
from desktop.protocol.upstream.ollama_chat import ChatLineDecoder, chat_body
from desktop.protocol.upstream.ollama_chat import chat_url as chat_url
from desktop.server.backends.upstream import (
    UpstreamApi,
    UpstreamBackend,
    decoded_events,
    done_event,
)

DEFAULT_URL: Final = "http://127.0.0.1:11434"
DEFAULT_MODEL: Final = "llama3.2"


async def parse_chat_lines(response: httpx.Response) -> AsyncIterator[WireEvent]:
    """The events of an ``/api/chat`` NDJSON body."""
    decoder = ChatLineDecoder()
    async for event in decoded_events(response, decoder):
        yield event
    yield done_event(decoder)


class OllamaBackend(UpstreamBackend):
    """Streams answers from an Ollama server."""

    name = "ollama"
    api = UpstreamApi(DEFAULT_URL, DEFAULT_MODEL, chat_url, chat_body, parse_chat_lines)
