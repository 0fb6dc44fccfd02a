"""Generation through any OpenAI-compatible ``/v1/chat/completions`` endpoint (SSE).

Works with OpenAI itself, llama.cpp's server, vLLM, LM Studio and the like. Chunks are read with
the shared decoder (:mod:`desktop.protocol.upstream.openai_chat`). Mapped: ``content``
to tokens; ``reasoning_content`` (DeepSeek, vLLM, llama.cpp) and ``reasoning`` (OpenRouter,
Ollama's compatibility API) and a leading ``<think>`` block in the content to thinking; streamed
``tool_calls`` to ``tool_use`` (``started`` when the call's name arrives, ``completed`` with the
parsed arguments when the choice finishes; this server does not run the tools, so there is no
output); ``finish_reason`` "length" to ``done``/"length" and "content_filter" to a warning. A
stream that ends without ``finish_reason`` or ``[DONE]`` was cut off, which is an error, not an
answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Final

import httpx

from desktop.protocol.events import StreamWarning, WireEvent
from desktop.protocol.upstream.chat_stream import ChatStreamDecoder
from desktop.protocol.upstream.openai_chat import (
    ChatCompletionDecoder,
    WholeCompletionDecoder,
    chat_completions_body,
)
from desktop.protocol.upstream.openai_chat import chat_completions_url as completions_url
from desktop.server.backends.upstream import (
    UpstreamApi,
    UpstreamBackend,
    decoded_events,
    done_event,
    malformed,
)

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_URL",
    "OpenAIBackend",
    "completions_url",
    "parse_completion_stream",
]

DEFAULT_URL: Final = "http://127.0.0.1:8080/v1"
DEFAULT_MODEL: Final = "default"


async def parse_completion_stream(response: httpx.Response) -> AsyncIterator[WireEvent]:
    """The events of a ``chat.completion.chunk`` stream (or of one plain JSON completion)."""
    content_type = response.headers.get("content-type", "")
    decoder: ChatStreamDecoder
    if "text/event-stream" in content_type:
        decoder = ChatCompletionDecoder()
    elif "json" in content_type:
        decoder = WholeCompletionDecoder()
    else:
        raise malformed(f"content type {content_type or 'missing'}")
    async for event in decoded_events(response, decoder):
        yield event
    if decoder.finish_reason == "content_filter":
        yield StreamWarning(0, "content_filter", "the upstream's content filter cut the answer")
    yield done_event(decoder)


class OpenAIBackend(UpstreamBackend):
    """Streams answers from an OpenAI-compatible server."""

    name = "openai"
    api = UpstreamApi(
        DEFAULT_URL, DEFAULT_MODEL, completions_url, chat_completions_body, parse_completion_stream
    )
