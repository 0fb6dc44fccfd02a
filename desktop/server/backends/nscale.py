"""The nscale gateway: each stream asks nscale-assist once, as the user who started it.

nscale-assist has no event ids and no resume, and it stops generating the moment its client goes
away, without saving the partial answer. In front of it, this backend turns every start into
exactly one upstream request, made with the caller's own bearer JWT (the gateway checks no
token itself; nscale-assist does), and reads that request to its end whatever the app's
connection does: the runner writes the answer to the stream log, so drops between app and gateway
resume exactly (on any replica, with Redis), and nscale-assist saves the whole answer in its
history because its stream ran to the end. Only a cancel (``DELETE``, or the server shutting
down) closes the upstream request early.

Transports, preferred first: ``POST /api/v1/question/stream`` (a JSON body: no URL limit, no
double decoding), then ``GET /api/question/stream`` (the published server answers it with 500),
then ``POST /api/question`` (the whole answer at once, with its sources). One that the server
does not have (404, 405, the published 500) is skipped, and the one that worked is remembered.

The in-band markers are decoded by :mod:`desktop.protocol.upstream.nscale` into ``warning``,
``reset`` and ``error`` facts. An error marker ends the answer with a non-resumable ``error``,
but only after the upstream body has ended, so nscale-assist still stores what it sent.

========================================================  ==================  ==============
upstream                                                  before the stream   in the stream
========================================================  ==================  ==============
401, or ``POST`` v1's 500 ``"Interner Serverfehler: 401"``  401 unauthorized    (cannot happen)
400 / 422 (an empty or unreadable question)               422                 (cannot happen)
other statuses, unreachable                               as ``upstream.py``  (cannot happen)
an error marker, an empty answer                          (cannot happen)     error, final
the body breaks off or cannot be read                     (cannot happen)     error, final
========================================================  ==================  ==============

Nothing in the stream is resumable here: asking again would be a new question with a new answer.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote_plus

import httpx

from desktop.protocol.events import Done, Reset, StreamError, Token, Usage, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.server.backend import ANONYMOUS, Caller, GenerationInfo, UpstreamError
from desktop.server.backends.upstream import (
    DEFAULT_ESTIMATE,
    error_detail,
    error_for_exception,
    error_for_status,
)
from desktop.server.metrics import UpstreamMetrics
from desktop.server.passthrough import Forwarded

#: nscale-assist retries a failing model three times of up to 120 s each, silently between.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=400.0, write=30.0, pool=30.0)
PASSTHROUGH_TIMEOUT: Final = httpx.Timeout(30.0)
MAX_PASSTHROUGH_BYTES: Final = 16 * 1024 * 1024
#: Headers of a passed-through answer that the client needs; the rest are hop-by-hop or noise.
KEPT_HEADERS: Final = ("content-type", "www-authenticate", "cache-control")
#: How ``POST /api/v1/question/stream`` reports a missing or bad token (a 500, not a 401).
_WRAPPED_401: Final = "Interner Serverfehler: 401:"
_ABSENT: Final = frozenset({404, 405})


@dataclass(frozen=True, slots=True)
class QuestionCall:
    """One question as an HTTP request to nscale-assist."""

    method: str
    path: str
    params: dict[str, str] | None = None
    json: dict[str, Any] | None = None


def session_id(request: ChatRequest) -> int | str:
    """The nscale-assist session a question belongs to.

    The app sends the server session's number as ``conversation_id``; anything else (no id, a
    local one) is ``"new"``, for which nscale-assist makes a session of its own.
    """
    conversation = request.conversation_id or ""
    return int(conversation) if conversation.isascii() and conversation.isdigit() else "new"


def _json_body(request: ChatRequest) -> dict[str, Any]:
    return {"question": request.message, "session_id": session_id(request)}


def _post_v1(request: ChatRequest) -> QuestionCall:
    return QuestionCall("POST", "/api/v1/question/stream", json=_json_body(request))


def _legacy_get(request: ChatRequest) -> QuestionCall:
    # The handler decodes the already-decoded question once more, so it is encoded twice.
    params = {"question": quote_plus(request.message), "session_id": str(session_id(request))}
    return QuestionCall("GET", "/api/question/stream", params=params)


def _whole_answer(request: ChatRequest) -> QuestionCall:
    return QuestionCall("POST", "/api/question", json=_json_body(request))


@dataclass(frozen=True, slots=True)
class Transport:
    """One of nscale-assist's ways to answer a question.

    Attributes:
        name: for logs and metrics.
        build: the request for a question.
        decoder: a fresh decoder for one response body.
        skipped_on_500: a 500 means the endpoint is broken here, not that the question failed
            (the published ``/api/question/stream`` answers every logged-in request so).
    """

    name: str
    build: Callable[[ChatRequest], QuestionCall]
    decoder: Callable[[], Any]
    skipped_on_500: bool = False


TRANSPORTS: Final = (
    Transport("post_v1", _post_v1, lambda: None),
    Transport("legacy_get", _legacy_get, lambda: None, skipped_on_500=True),
    Transport("whole_answer", _whole_answer, lambda: None),
)


class NscaleBackend:
    """Generations and pass-through calls against one nscale-assist server.

    Args:
        base_url: nscale-assist's address, e.g. ``https://assist.intranet.example``.
        metrics: where the upstream's time to first token and its failures are counted.
        timeout: limits of the answer requests; the read limit is the longest silence.
        transport: an httpx transport (tests).
    """

    name = "nscale"

    def __init__(
        self,
        base_url: str,
        *,
        metrics: UpstreamMetrics | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._metrics = metrics
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
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
        for transport in self._order:
            sent_at = time.monotonic()
            response = await self._send(transport, request, caller)
            if response.status_code == 200:
                self._remember(transport)
                info = GenerationInfo(self.name, DEFAULT_ESTIMATE)
                return NscaleGeneration(info, response, transport, sent_at, self._metrics)
            refusal = await self._refusal(transport, response)
            if refusal is not None:
                raise refusal
        self._count("refused")
        raise UpstreamError("upstream", "nscale-assist offers none of its question endpoints here")

    async def _send(
        self, transport: Transport, request: ChatRequest, caller: Caller
    ) -> httpx.Response:
        headers = {"Accept": "text/event-stream, application/json"}
        if caller.bearer:
            headers["Authorization"] = f"Bearer {caller.bearer}"
        built = transport.build(request)
        http_request = self._client.build_request(
            built.method, built.path, params=built.params, json=built.json, headers=headers
        )
        try:
            return await self._client.send(http_request, stream=True)
        except httpx.HTTPError as exc:
            self._count("unreachable")
            raise error_for_exception(exc) from None

    async def _refusal(
        self, transport: Transport, response: httpx.Response
    ) -> UpstreamError | None:
        """What a non-200 answer means, or ``None`` when the next transport should be tried."""
        try:
            detail = await error_detail(response)
        except httpx.HTTPError:
            detail = ""
        finally:
            await response.aclose()
        status = response.status_code
        wrapped = status == 500 and detail.startswith(_WRAPPED_401)
        if status == 401 or wrapped:
            self._count("unauthorized")
            said = detail.removeprefix(_WRAPPED_401).strip() if wrapped else detail
            return UpstreamError("unauthorized", said or "nscale-assist refused the token")
        if status in _ABSENT or (status == 500 and transport.skipped_on_500):
            return None
        self._count("refused")
        if status in (400, 422):
            return UpstreamError("invalid_request", detail or f"nscale-assist answered {status}")
        return error_for_status(status, detail, None)

    def _remember(self, transport: Transport) -> None:
        """Ask with ``transport`` first from now on (the server has it)."""
        self.transport_used = transport
        if self._order[0] is not transport:
            self._order = (transport, *(t for t in TRANSPORTS if t is not transport))

    def _count(self, kind: str) -> None:
        if self._metrics is not None:
            self._metrics.failures.labels(kind).inc()

    async def forward(
        self, method: str, path: str, *, query: str, headers: Mapping[str, str], body: bytes
    ) -> Forwarded:
        """Pass one login or session request through to nscale-assist, unchanged."""
        request = self._client.build_request(
            method,
            path,
            params=httpx.QueryParams(query),
            headers=headers,
            content=body or None,
            timeout=PASSTHROUGH_TIMEOUT,
        )
        try:
            response = await self._client.send(request, stream=True)
            try:
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > MAX_PASSTHROUGH_BYTES:
                        raise UpstreamError("upstream", "nscale-assist's answer is too large")
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            self._count("unreachable")
            raise error_for_exception(exc) from None
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        return Forwarded(response.status_code, kept, bytes(data))

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

    async def events(self) -> AsyncIterator[WireEvent]:
        """The answer's events, then ``Done``; the upstream body is always read to its end.

        Raises:
            UpstreamError: an error marker, an empty answer, or a body that broke off (none
                resumable: nscale-assist cannot continue an answer).
        """
        decoder = self._transport.decoder()
        failure: StreamError | None = None
        tokens = 0
        try:
            chunks = self._response.aiter_bytes()
            while True:
                raw = await anext(chunks, None)
                facts = decoder.feed(raw) if raw is not None else decoder.close()
                for fact in facts:
                    if failure is not None:
                        continue  # nothing counts after the error; the body is still read
                    if isinstance(fact, StreamError):
                        failure = fact
                        continue
                    if isinstance(fact, Token):
                        if tokens == 0 and self._metrics is not None:
                            self._metrics.ttft.observe(time.monotonic() - self._sent_at)
                        tokens += 1
                    elif isinstance(fact, Reset):
                        self._count("retry")
                    yield fact
                if raw is None:
                    break
        except httpx.HTTPError as exc:
            self._count("broken")
            raise UpstreamError(
                "upstream", f"the answer from nscale-assist broke off ({type(exc).__name__})"
            ) from None
        finally:
            await self._response.aclose()
        if failure is not None:
            self._count("marker")
            raise UpstreamError(failure.error_type, failure.message)
        yield Done(id=0, finish_reason="stop", usage=Usage(None, tokens))

    def _count(self, kind: str) -> None:
        if self._metrics is not None:
            self._metrics.failures.labels(kind).inc()
