"""The nscale gateway: each stream asks nscale-assist once, as the user who started it.

nscale-assist has no event ids and no resume, and it stops generating the moment its client goes
away, without saving the partial answer. In front of it, this backend turns every start into
exactly one upstream request, made with the caller's own bearer JWT (the gateway checks no
token itself; nscale-assist does), and reads that request to its end whatever the app's
connection does: the runner writes the answer to the stream log, so drops between app and gateway
resume exactly (on any replica, with Redis), and nscale-assist saves the whole answer in its
history because its stream ran to the end. Only a cancel (``DELETE``, or the server shutting
down) closes the upstream request early, and nscale-assist then stops generating.

The transports, their order and the bodies are :mod:`desktop.protocol.upstream.nscale`'s, as
the desktop client uses them: ``POST /api/v1/question/stream`` first, then the legacy
``GET /api/question/stream``, then the whole answer of ``POST /api/question`` (announced by a
``not_streamed`` warning). One the server lacks (404, 405, the published legacy endpoint's 500)
is skipped, and the one that answered is asked first from then on. The decoders turn the
in-band markers into ``reset`` and ``error`` facts; an error ends the answer with a
non-resumable ``error`` event, but only once the upstream body has ended, so that nscale-assist
stores what it sent.

==============================================  =============================================
nscale-assist                                   the gateway
==============================================  =============================================
401, or ``POST`` v1's 500 wrapping a 401        401 ``unauthorized`` before the stream
400 / 422 (a question it refuses)               422 ``invalid_request`` before the stream
429, 5xx, unreachable                           429 / 5xx before the stream (the app retries)
an error marker, an empty answer                ``error`` (``resumable: false``), ``done``
a body that breaks off or cannot be read        ``error`` (``resumable: false``), ``done``
==============================================  =============================================

Follow-up questions: a start whose ``conversation_id`` is not already a session number gets
the session this caller's conversation lives in (:mod:`desktop.server.conversation_sessions`),
created with ``POST /api/session`` and the caller's token on the conversation's first question,
so one local conversation is one conversation in the users' web frontend.

Nothing in a stream is resumable upstream: asking again would be a new question with a new
answer, so the runner never re-opens one.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import AsyncIterator, Mapping
from typing import Final

import httpx

from desktop.protocol.capabilities import SIMPLE_LANGUAGE
from desktop.protocol.events import Done, Reset, StreamError, StreamWarning, Token, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.chat_stream import (
    EndOfStream,
    UpstreamFailure,
    UpstreamFormatError,
)
from desktop.protocol.upstream.nscale import (
    EMPTY_ANSWER,
    TRANSPORTS,
    LegacyStreamDecoder,
    NscaleDecoder,
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
from desktop.server.auth import owner_id
from desktop.server.backend import ANONYMOUS, Caller, GenerationInfo, UpstreamError
from desktop.server.backends.upstream import DEFAULT_ESTIMATE, error_for_exception, error_for_status
from desktop.server.conversation_sessions import ConversationSessions, MemoryConversationSessions
from desktop.server.metrics import UpstreamMetrics
from desktop.server.passthrough import Forwarded
from desktop.tls import tls_context, verification_error

#: nscale-assist retries a failing model up to three times of 120 s each, silent in between.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=400.0, write=30.0, pool=30.0)
PASSTHROUGH_TIMEOUT: Final = httpx.Timeout(30.0)
MAX_PASSTHROUGH_BYTES: Final = 16 * 1024 * 1024
MAX_REFUSAL_BYTES: Final = 64 * 1024
#: Headers of a passed-through answer that the client needs; the rest are hop-by-hop or noise.
KEPT_HEADERS: Final = ("content-type", "www-authenticate", "cache-control")
MODEL: Final = "nscale-assist"
NOT_STREAMED: Final = StreamWarning(
    0, "not_streamed", "nscale-assist answers here only as a whole, not as a stream"
)
log = logging.getLogger(__name__)


def session_id(request: ChatRequest) -> int | None:
    """The nscale-assist session a question belongs to: the start's ``conversation_id`` when
    it is the server session's number (``POST /api/session`` gave it), else none, and
    nscale-assist makes a new session for the question."""
    conversation = request.conversation_id or ""
    if conversation.isascii() and conversation.isdigit() and int(conversation) > 0:
        return int(conversation)
    return None


def _can_carry(transport: Transport, request: ChatRequest, session: int | None) -> bool:
    """Whether ``transport`` takes a question this long (the legacy one puts it in the URL)."""
    if transport == "legacy":
        url = legacy_stream_url("", request.message, session)
        return len(url) <= LEGACY_MAX_URL
    if transport == "whole":
        return len(request.message) <= WHOLE_MAX_CHARS
    return True


def _decoder(transport: Transport) -> NscaleDecoder:
    if transport == "v1":
        return V1StreamDecoder()
    if transport == "legacy":
        return LegacyStreamDecoder()
    return WholeAnswerDecoder()


class NscaleBackend:
    """Generations and pass-through calls against one nscale-assist server.

    Args:
        base_url: nscale-assist's address, e.g. ``https://assist.intranet.example``.
        metrics: where the upstream's time to first token and its failures are counted.
        verify: the TLS verification (by default :func:`desktop.tls.tls_context`: the system's
            trust store).
        timeout: limits of the answer requests; the read limit is the longest silence.
        transport: an httpx transport (tests).
        conversations: where each caller's conversations find their nscale-assist session
            (in memory by default; the runtime passes the Redis one when replicas share a log).

    Attributes:
        transport_used: the transport that last answered, once one has.
    """

    name = "nscale"
    #: nscale-assist's plain-language switch, announced by ``GET /api/v1/capabilities``.
    offered_options: Final = (SIMPLE_LANGUAGE,)

    def __init__(
        self,
        base_url: str,
        *,
        metrics: UpstreamMetrics | None = None,
        verify: ssl.SSLContext | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        conversations: ConversationSessions | None = None,
    ) -> None:
        self.conversations = conversations or MemoryConversationSessions()
        self.base_url = base_url.rstrip("/")
        self._metrics = metrics
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            verify=verify or tls_context(),
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=64),
        )
        self._order: tuple[Transport, ...] = TRANSPORTS
        self.transport_used: Transport | None = None

    async def open(self, request: ChatRequest, caller: Caller = ANONYMOUS) -> NscaleGeneration:
        """Send the question upstream; the generation reads the answer.

        Raises:
            UpstreamError: nscale-assist refused (``unauthorized`` for its 401s) or is down.
        """
        session = await self._session_for(request, caller)
        for transport in self._order:
            if not _can_carry(transport, request, session):
                continue
            sent_at = time.monotonic()
            response = await self._send(transport, request, caller, session)
            if response.status_code == 200:
                self._remember(transport)
                info = GenerationInfo(MODEL, DEFAULT_ESTIMATE)
                return NscaleGeneration(info, response, transport, sent_at, self._metrics)
            refusal = await self._refusal(response)
            if refusal is not None:
                raise refusal
        self._count("refused")
        raise UpstreamError(
            "upstream", "nscale-assist answers this question on none of its endpoints"
        )

    async def _session_for(self, request: ChatRequest, caller: Caller) -> int | None:
        """The nscale-assist session the question goes to: the start's own session number,
        else the one this caller's conversation lives in, made now for its first question.
        ``None`` (nscale-assist makes a session for this question alone) without a
        conversation, without a token, or when nscale-assist makes no session.

        Raises:
            UpstreamError: ``unauthorized``: nscale-assist refused the caller's token.
        """
        given = session_id(request)
        conversation = request.conversation_id
        if given is not None or not conversation or not caller.bearer:
            return given
        owner = owner_id(caller.bearer)
        known = await self.conversations.find(owner, conversation)
        if known is not None:
            return known
        created = await self._create_session(request, caller)
        if created is None:
            return None
        return await self.conversations.claim(owner, conversation, created)

    async def _create_session(self, request: ChatRequest, caller: Caller) -> int | None:
        """``POST /api/session`` as the caller; only a 401 stops the question (the question
        itself meets any other trouble and says so)."""
        try:
            reply = await self._client.post(
                SESSION_PATH,
                json=session_body(request.message),
                headers=_bearer(caller),
                timeout=PASSTHROUGH_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            log.warning("nscale_session_failed error=%s", type(exc).__name__)
            return None
        if reply.status_code in (401, 403):
            self._count("unauthorized")
            refusal = read_refusal(reply.status_code, reply.content)
            raise UpstreamError("unauthorized", refusal.message)
        session = created_session(reply.content) if reply.status_code == 200 else None
        if session is None:
            log.warning("nscale_session_failed status=%s", reply.status_code)
        return session

    async def _send(
        self, transport: Transport, request: ChatRequest, caller: Caller, session: int | None
    ) -> httpx.Response:
        headers = {"Accept": "text/event-stream, application/json", **_bearer(caller)}
        simple = bool(request.options.simple_language)
        if transport == "legacy":
            url = legacy_stream_url(self.base_url, request.message, session, simple_language=simple)
            call = self._client.build_request("GET", url, headers=headers)
        else:
            body = question_body(request.message, session, simple_language=simple)
            call = self._client.build_request(
                "POST", url_of(self.base_url, transport), json=body, headers=headers
            )
        try:
            return await self._client.send(call, stream=True)
        except httpx.HTTPError as exc:
            self._count("unreachable")
            raise self._unreachable(exc) from None

    async def _refusal(self, response: httpx.Response) -> UpstreamError | None:
        """What a non-200 answer means, or ``None`` when the next transport should be tried."""
        try:
            body = await _read(response, MAX_REFUSAL_BYTES)
        except httpx.HTTPError:
            body = b""
        finally:
            await response.aclose()
        refusal = read_refusal(response.status_code, body)
        if refusal.kind == "unsupported":
            return None
        self._count("unauthorized" if refusal.kind == "unauthorized" else "refused")
        if refusal.kind in ("unauthorized", "invalid_request"):
            return UpstreamError(refusal.kind, refusal.message)
        return error_for_status(refusal.status, refusal.message, None)

    def _unreachable(self, exc: httpx.HTTPError) -> UpstreamError:
        """The error for a request that got no answer; an untrusted certificate says so."""
        cause = verification_error(exc)
        if cause is None:
            return error_for_exception(exc)
        host = httpx.URL(self.base_url).host
        reason = cause.verify_message or str(cause)
        log.warning("upstream_certificate_untrusted host=%s reason=%s", host, reason)
        return UpstreamError(
            "upstream",
            f"the certificate of {host} is not trusted ({reason}): "
            "install its certificate authority in the system store or pass --upstream-ca",
        )

    def _remember(self, transport: Transport) -> None:
        """Ask with ``transport`` first from now on (the server has it)."""
        if self.transport_used != transport:
            log.info("nscale_transport transport=%s", transport)
        self.transport_used = transport
        if self._order[0] != transport:
            self._order = (transport, *(t for t in TRANSPORTS if t != transport))

    def _count(self, kind: str) -> None:
        if self._metrics is not None:
            self._metrics.failures.labels(kind).inc()

    async def forward(
        self, method: str, path: str, *, query: str, headers: Mapping[str, str], body: bytes
    ) -> Forwarded:
        """Pass one login or session request through to nscale-assist, unchanged."""
        call = self._client.build_request(
            method,
            path,
            params=httpx.QueryParams(query),
            headers=headers,
            content=body or None,
            timeout=PASSTHROUGH_TIMEOUT,
        )
        try:
            response = await self._client.send(call, stream=True)
            try:
                data = await _read(response, MAX_PASSTHROUGH_BYTES)
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            self._count("unreachable")
            raise self._unreachable(exc) from None
        if len(data) > MAX_PASSTHROUGH_BYTES:
            raise UpstreamError("upstream", "nscale-assist's answer is too large to pass on")
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        return Forwarded(response.status_code, kept, data)

    async def aclose(self) -> None:
        await self._client.aclose()


class NscaleGeneration:
    """One upstream answer, read to its end unless the stream is cancelled."""

    def __init__(
        self,
        info: GenerationInfo,
        response: httpx.Response,
        transport: Transport,
        sent_at: float,
        metrics: UpstreamMetrics | None,
    ) -> None:
        self.info = info
        self._response = response
        self._transport = transport
        self._sent_at = sent_at
        self._metrics = metrics
        self._first_token = True
        self._failure: UpstreamError | None = None

    async def events(self) -> AsyncIterator[WireEvent]:
        """The answer's events, then ``Done``; the upstream body is always read to its end.

        Raises:
            UpstreamError: an error marker, an empty answer, or a body that broke off or could
                not be read (none resumable: nscale-assist cannot continue an answer).
        """
        if self._transport == "whole":
            yield NOT_STREAMED
        decoder = _decoder(self._transport)
        try:
            async for raw in self._response.aiter_bytes():
                for event in self._decode(decoder, raw):
                    yield event
        except httpx.HTTPError as exc:
            self._count("broken")
            raise UpstreamError(
                "upstream", f"the answer from nscale-assist broke off ({type(exc).__name__})"
            ) from None
        finally:
            await self._response.aclose()
        for event in self._decode(decoder, None):
            yield event
        if self._failure is not None:
            raise self._failure
        yield Done(id=0, finish_reason="stop")

    def _decode(self, decoder: NscaleDecoder, raw: bytes | None) -> list[WireEvent]:
        """The events of the next bytes (``None``: the body's clean end), none after the end
        or a failure: the rest of the body is read only so that the backend saves it."""
        if self._failure is not None or (decoder.ended and raw is not None):
            return []
        try:
            facts = decoder.feed(raw) if raw is not None else decoder.close()
        except UpstreamFormatError as exc:
            self._count("broken")
            self._failure = UpstreamError("upstream", f"nscale-assist sent malformed data: {exc}")
            return []
        events: list[WireEvent] = []
        for fact in facts:
            if isinstance(fact, StreamError | UpstreamFailure):
                self._count("empty" if fact.message == EMPTY_ANSWER else "marker")
                error_type = fact.error_type if isinstance(fact, StreamError) else "upstream"
                self._failure = UpstreamError(error_type, fact.message)
            elif not isinstance(fact, EndOfStream):
                self._observe(fact)
                events.append(fact)
        return events

    def _observe(self, event: WireEvent) -> None:
        if isinstance(event, Token) and self._first_token:
            self._first_token = False
            if self._metrics is not None:
                self._metrics.ttft.observe(time.monotonic() - self._sent_at)
        elif isinstance(event, Reset):
            self._count("retry")

    def _count(self, kind: str) -> None:
        if self._metrics is not None:
            self._metrics.failures.labels(kind).inc()


def _bearer(caller: Caller) -> dict[str, str]:
    """The header that makes an upstream request the caller's own."""
    return {"Authorization": f"Bearer {caller.bearer}"} if caller.bearer else {}


async def _read(response: httpx.Response, limit: int) -> bytes:
    """The body, up to just past ``limit`` bytes (a longer one is cut there)."""
    data = bytearray()
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)
