"""An answer source for nscale-assist: three endpoints tried in order, a server session, no resume.

The wire formats, the marker rules and the refusals are the protocol layer's
(:mod:`desktop.protocol.upstream.nscale`); this module binds them to the shared upstream loop
(:class:`UpstreamChatSource`: connect, retry before the first content, number the events, and
end a stream cut after it with ``Rejected("not_resumable")``, the text kept, because nscale
cannot resume and a new request would generate a new answer).

Which endpoint: ``POST /api/v1/question/stream``, else ``GET /api/question/stream``, else
``POST /api/question`` (no stream). One that does not work on this server (404, 405, the
published legacy handler's ``NameError`` 500) is left for the next one at once; the one that
answered is :attr:`NscaleSource.transport`, which callers remember per server and pass back as
``transport``. The legacy GET is skipped for questions whose URL would be too long for the
server, the whole-answer POST for those longer than it accepts.

Sessions: with no ``session_id`` the source first makes one (``POST /api/session``, titled after
the question) and exposes it as :attr:`NscaleSource.session_id`, so the caller keeps it for
the conversation's follow-up questions.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable
from typing import Any, Final

import httpx

from desktop.protocol.events import Connected, Connecting, Rejected, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.chat_stream import ChatStreamDecoder
from desktop.protocol.upstream.nscale import (
    TRANSPORTS,
    LegacyStreamDecoder,
    Transport,
    V1StreamDecoder,
    WholeAnswerDecoder,
    legacy_stream_url,
    question_body,
    read_refusal,
)
from desktop.protocol.upstream.nscale.requests import (
    LEGACY_MAX_URL,
    SESSION_PATH,
    WHOLE_MAX_CHARS,
    created_session,
    session_body,
    url_of,
)
from desktop.streaming.backends.upstream import RETARGET, Retarget, UpstreamChatSource
from desktop.streaming.config import ClientConfig
from desktop.streaming.retry import parse_retry_after

#: ``POST /api/question`` answers only when the whole answer is done: minutes, not seconds.
WHOLE_READ_TIMEOUT: Final = 400.0


class NscaleSource(UpstreamChatSource):
    """Streams (or fetches) one answer from nscale-assist.

    Args:
        session_id: the server session of the conversation; ``None`` makes a new one.
        transport: the endpoint that worked on this server last time, tried first.
        simple_language: the backend's plain-language switch ("Einfache Sprache").
        options: as for :class:`UpstreamChatSource` (``sleep``, ``random``, ``retry_base``).

    Attributes:
        session_id: the server session used (known once the question has been sent).
        transport: the endpoint in use, and after a good answer the one that worked.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: ClientConfig,
        request: ChatRequest,
        *,
        session_id: int | None = None,
        transport: Transport | None = None,
        simple_language: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(client, config, request, **options)
        self.session_id = session_id
        self.simple_language = simple_language
        usable = [t for t in TRANSPORTS if self._usable(t)]
        if transport in usable:
            usable.remove(transport)
            usable.insert(0, transport)
        self._transports = usable or ["v1"]
        self.transport: Transport = self._transports[0]
        self.tried: list[Transport] = []
        #: Called when the source learns its session, and when an endpoint has answered.
        self.on_learned: Callable[[NscaleSource], None] | None = None
        self.answered = False

    def _usable(self, transport: Transport) -> bool:
        if transport == "legacy":
            return len(self._legacy_url()) <= LEGACY_MAX_URL
        if transport == "whole":
            return len(self.request.message) <= WHOLE_MAX_CHARS
        return True

    # --- what the shared loop asks for ------------------------------------------------------

    @property
    def url(self) -> str:
        if self.transport == "legacy":
            return self._legacy_url()
        return url_of(self._config.base_url, self.transport)

    def _legacy_url(self) -> str:
        return legacy_stream_url(
            self._config.base_url,
            self.request.message,
            self.session_id,
            simple_language=self.simple_language,
        )

    def body(self) -> dict[str, Any]:
        return question_body(
            self.request.message, self.session_id, simple_language=self.simple_language
        )

    def request_args(self) -> tuple[str, str, dict[str, Any]]:
        if self.transport not in self.tried:
            self.tried.append(self.transport)
        if self.transport == "legacy":
            return "GET", self.url, {}
        arguments: dict[str, Any] = {"json": self.body()}
        if self.transport == "whole":
            timeout = self._config.timeout
            arguments["timeout"] = httpx.Timeout(
                timeout.read, connect=timeout.connect, read=WHOLE_READ_TIMEOUT
            )
        return "POST", self.url, arguments

    def new_decoder(self) -> ChatStreamDecoder:
        if self.transport == "v1":
            return V1StreamDecoder(self._config.max_event_bytes)
        if self.transport == "legacy":
            return LegacyStreamDecoder(self._config.max_event_bytes)
        return WholeAnswerDecoder(self._config.max_event_bytes)

    def _media_type_ok(self, response: httpx.Response) -> bool:
        media = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
        return media == ("application/json" if self.transport == "whole" else "text/event-stream")

    def _headers(self) -> dict[str, str]:
        headers = super()._headers()
        if self.transport == "whole":
            headers["Accept"] = "application/json"
        return headers

    async def _judge(
        self, response: httpx.Response, queue: asyncio.Queue[tuple[str, Any]]
    ) -> Rejected | Retarget | tuple[str, float | None] | None:
        status = response.status_code
        if status == 200 and self._media_type_ok(response):
            return None
        kind, body = await queue.get()
        raw: bytes = body if kind == "body" else b""
        if status == 200:
            media = response.headers.get("content-type", "none")
            return Rejected("not_event_stream", f"nscale-assist answered with {media}", status)
        refusal = read_refusal(status, raw)
        if refusal.kind == "unauthorized":
            return Rejected("unauthorized", refusal.message, refusal.status)
        if refusal.kind == "unsupported":
            return self._next_transport(refusal.message)
        if refusal.kind == "retryable":
            return f"HTTP {status}: {refusal.message}", parse_retry_after(response.headers)
        return Rejected("invalid_request", refusal.message, refusal.status)

    def _next_transport(self, why: str) -> Rejected | Retarget:
        remaining = [t for t in self._transports if t not in self.tried]
        if not remaining:
            return Rejected(
                "protocol",
                f"none of nscale-assist's answer endpoints works on this server ({why})",
            )
        self.transport = remaining[0]
        return RETARGET

    # --- the session ------------------------------------------------------------------------

    async def events(self) -> AsyncGenerator[StreamEvent, None]:
        if self.session_id is None:
            refused = await self._open_session()
            if refused is not None:
                yield Connecting(url_of(self._config.base_url, "v1"), 0, resuming=False)
                yield refused
                return
            self._learned()
        # Closed here, not left to the collector: its cleanup awaits (the reader task).
        async with contextlib.aclosing(super().events()) as events:
            async for event in events:
                if isinstance(event, Connected) and not self.answered:
                    self.answered = True
                    self._learned()
                yield event

    def _learned(self) -> None:
        if self.on_learned is not None:
            self.on_learned(self)

    async def _open_session(self) -> Rejected | None:
        """``POST /api/session`` for this conversation; only a 401 stops the answer (without a
        session the backend makes one itself)."""
        try:
            reply = await self._client.post(
                self._config.base_url.rstrip("/") + SESSION_PATH,
                json=session_body(self.request.message),
                headers=self._headers(),
            )
        except httpx.HTTPError:
            return None  # the question itself will meet the same trouble and say so
        if reply.status_code in (401, 403):
            refusal = read_refusal(reply.status_code, reply.content)
            return Rejected("unauthorized", refusal.message, reply.status_code)
        session = created_session(reply.content) if reply.status_code == 200 else None
        if session is not None:
            self.session_id = session
        return None
