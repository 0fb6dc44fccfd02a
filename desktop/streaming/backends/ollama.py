"""An answer source for Ollama's native ``/api/chat`` (NDJSON: one JSON object per line).

The request, the URL rule and the line decoding (``thinking``, whole tool calls, a leading
``<think>`` block, ``done`` with its counts) are the ones the reference server uses too
(:mod:`desktop.protocol.upstream.ollama_chat`); this module only binds them to the shared loop.
"""

from __future__ import annotations

from typing import Any

from desktop.protocol.upstream.chat_stream import ChatStreamDecoder
from desktop.protocol.upstream.ollama_chat import ChatLineDecoder, chat_body
from desktop.protocol.upstream.ollama_chat import chat_url as chat_url
from desktop.streaming.backends.upstream import UpstreamChatSource


class OllamaChatSource(UpstreamChatSource):
    """Streams one answer from Ollama's native chat API."""

    media_types = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})
    accept = "application/x-ndjson"

    @property
    def url(self) -> str:
        return chat_url(self._config.base_url)

    def body(self) -> dict[str, Any]:
        return chat_body(self.request, self.model, self._extra_body)

    def new_decoder(self) -> ChatStreamDecoder:
        return ChatLineDecoder(self._config.max_event_bytes)
