"""Opens answer sources for the bridge from a server profile: the seam to the streaming core.

One shared httpx client per server; a new token (entered after a 401) builds a new client,
because the protocol binds every stream to the token that started it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx

from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEMessage
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import BackendProtocol, open_source
from desktop.streaming.source import ReconnectingEventSource


class StreamingSourceFactory:
    """Starts and resumes answers against one server with the streaming core.

    Args:
        config: the server's address, token and retry limits.
        protocol: ``assist`` (resumable), ``openai`` or ``ollama``.
        model: the model to ask for, if the profile names one.
    """

    def __init__(
        self, config: ClientConfig, protocol: BackendProtocol = "assist", model: str | None = None
    ) -> None:
        self.config = config
        self.protocol = protocol
        self.model = model
        #: Sent with every request (the developer fault headers of the embedded demo).
        self.extra_headers: dict[str, str] = {}
        #: Sees every parsed SSE message of assist streams (the developer event inspector).
        self.on_message: Callable[[SSEMessage, int], None] | None = None
        self._client: httpx.AsyncClient | None = None
        self._retired: list[httpx.AsyncClient] = []

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = make_client(self.config)
            self._client.headers.update(self.extra_headers)
        return self._client

    def start(self, request: ChatRequest) -> AnswerSource:
        options: dict[str, Any] = {}
        if self.protocol == "assist" and self.on_message is not None:
            options["on_message"] = self.on_message
        return open_source(
            self.client, self.config, self.protocol, request, model=self.model, **options
        )

    def resume(self, stream_id: str, last_event_id: int) -> AnswerSource | None:
        if self.protocol != "assist":
            return None  # OpenAI-compatible and Ollama servers cannot resume
        return ReconnectingEventSource(
            self.client,
            self.config,
            None,
            stream_id=stream_id,
            last_event_id=last_event_id,
            on_message=self.on_message,
        )

    def set_token(self, token: str | None) -> None:
        """Use ``token`` from the next request on."""
        self.config = dataclasses.replace(self.config, token=token)
        if self._client is not None:
            self._retired.append(self._client)
            self._client = None

    async def aclose(self) -> None:
        """Close every client this factory made."""
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._retired.clear()
        self._client = None
        for client in clients:
            await client.aclose()
