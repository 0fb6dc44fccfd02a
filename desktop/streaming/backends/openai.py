"""An answer source for any OpenAI-compatible ``/v1/chat/completions`` (SSE, ``data: [DONE]``).

Works with OpenAI, llama.cpp's servers, vLLM, LM Studio and the like. The request, the URL
rules and the chunk decoding (reasoning fields, tool-call fragments, a leading ``<think>``
block, usage) are the ones the reference server uses too
(:mod:`desktop.protocol.upstream.openai_chat`); this module only binds them to the shared loop.
"""

from __future__ import annotations

from typing import Any

from desktop.protocol.upstream.chat_stream import ChatStreamDecoder
from desktop.protocol.upstream.openai_chat import ChatCompletionDecoder, chat_completions_body
from desktop.protocol.upstream.openai_chat import chat_completions_url as chat_completions_url
from desktop.streaming.backends.upstream import UpstreamChatSource


class OpenAIChatSource(UpstreamChatSource):
    """Streams one answer from an OpenAI-compatible chat-completions endpoint."""

    media_types = frozenset({"text/event-stream"})
    accept = "text/event-stream"

    @property
    def url(self) -> str:
        return chat_completions_url(self._config.base_url)

    def body(self) -> dict[str, Any]:
        return chat_completions_body(self.request, self.model, self._extra_body)

    def new_decoder(self) -> ChatStreamDecoder:
        return ChatCompletionDecoder(self._config.max_event_bytes)
