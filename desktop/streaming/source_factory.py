"""Opens answer sources for the bridge from a server profile: the seam to the streaming core.

One shared httpx client per server; a new token (entered after a 401) builds a new client,
because the protocol binds every stream to the token that started it.

For nscale-assist the factory also carries what one answer learns to the next: each
conversation's server session (follow-up questions go to the same one) and the endpoint that
worked, and it passes the plain-language switch on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from desktop.protocol.backend_protocols import BackendProtocol
from desktop.protocol.capabilities import CORE_ONLY, Capabilities
from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEMessage
from desktop.protocol.upstream.nscale import Transport
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.capabilities import fetch_capabilities
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source
from desktop.streaming.source import ReconnectingEventSource

if TYPE_CHECKING:
    from desktop.streaming.backends.nscale import NscaleSource


class StreamingSourceFactory:
    """Starts and resumes answers against one server with the streaming core.

    Args:
        config: the server's address, token and retry limits.
        protocol: ``assist`` (resumable), ``openai``, ``ollama`` or ``nscale``.
        model: the model to ask for, if the profile names one.

    Attributes:
        simple_language: ask nscale-assist for plain language ("Einfache Sprache"), directly
            or through a gateway that offers it.
        capabilities: what an Assist server said it offers (:meth:`learn_capabilities`).
        sessions: nscale server session per local conversation id (seeded from the cache).
        transport: the nscale endpoint that answered last (seeded from the cache).
        remember: told ``(conversation_id, session_id, transport)`` as soon as an answer
            learns them, to keep them (the window's cache); ``transport`` is ``None`` until
            an endpoint has answered.
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
        self.simple_language = False
        self.capabilities: Capabilities = CORE_ONLY
        self.sessions: dict[str, int] = {}
        self.transport: Transport | None = None
        self.remember: Callable[[str, int | None, Transport | None], None] | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = make_client(self.config)
            self._client.headers.update(self.extra_headers)
        return self._client

    @property
    def offers_simple_language(self) -> bool:
        """Whether answers here can be asked for in plain language."""
        if self.protocol == "nscale":
            return True
        return self.protocol == "assist" and self.capabilities.plain_language

    async def learn_capabilities(self) -> Capabilities:
        """Ask an Assist server what it offers beyond the core (others offer nothing)."""
        if self.protocol == "assist":
            self.capabilities = await fetch_capabilities(self.client, self.config)
        return self.capabilities

    def start(self, request: ChatRequest) -> AnswerSource:
        if self.simple_language and self.protocol == "assist" and self.offers_simple_language:
            plain = dataclasses.replace(request.options, simple_language=True)
            request = dataclasses.replace(request, options=plain)
        options: dict[str, Any] = {}
        if self.protocol == "assist" and self.on_message is not None:
            options["on_message"] = self.on_message
        if self.protocol == "nscale":
            return self._start_nscale(request)
        return open_source(
            self.client, self.config, self.protocol, request, model=self.model, **options
        )

    def _start_nscale(self, request: ChatRequest) -> AnswerSource:
        from desktop.streaming.backends.nscale import NscaleSource

        conversation = request.conversation_id
        source = NscaleSource(
            self.client,
            self.config,
            request,
            session_id=self.sessions.get(conversation) if conversation else None,
            transport=self.transport,
            simple_language=self.simple_language,
        )
        source.on_learned = lambda learned: self._learn(conversation, learned)
        return source

    def _learn(self, conversation: str | None, source: NscaleSource) -> None:
        """Keep what an answer found out: its session, and the endpoint once it answered."""
        if conversation and source.session_id is not None:
            self.sessions[conversation] = source.session_id
        if source.answered:
            self.transport = source.transport
        if self.remember is not None and conversation:
            self.remember(
                conversation, source.session_id, source.transport if source.answered else None
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
