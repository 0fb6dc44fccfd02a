"""What the Ollama and OpenAI-compatible backends share: one HTTP call, its failures, the body.

The wire formats themselves are decoded in :mod:`desktop.protocol.upstream`, which the
desktop client's direct adapters use too; this module keeps the I/O and the error policy.

A map of the failures, and why each is or is not resumable (the runner re-opens the generation
after ``retry_after`` when it is, so resumable means "trying again later can succeed"):

========================================  ===============  =========
upstream says                             ``error_type``   resumable
========================================  ===============  =========
429, or "rate limit" in the stream        rate_limit       yes
503 / 529, "overloaded", "server busy"    model_overload   yes
connect/read/write/pool timeout, 408/504  network_timeout  yes
context window exceeded (any status)      token_limit      no
connection refused or dropped, 500/502    upstream         yes
401/403, 404, other 4xx, malformed data   upstream         no
========================================  ===============  =========
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Final

import httpx

from desktop.protocol.events import Done, FinishReason, Usage, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.chat_stream import (
    ChatStreamDecoder,
    EndOfStream,
    UpstreamFailure,
    UpstreamFormatError,
)
from desktop.protocol.upstream.chat_stream import chat_messages as chat_messages
from desktop.server.backend import ANONYMOUS, Caller, GenerationInfo, UpstreamError

DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=120.0, write=10.0, pool=30.0)
#: ``estimated_tokens`` when the request sets no ``max_tokens``: a model's answer is unknown.
DEFAULT_ESTIMATE: Final = 500
MAX_MESSAGE_CHARS: Final = 300
_ERROR_BODY_BYTES: Final = 64 * 1024
_TRACEBACK: Final = re.compile(r"Traceback \(most recent call last\)|\n\s*File \"")
_CONTEXT_MARKERS: Final = (
    "context length",
    "context_length",
    "context window",
    "maximum context",
    "too many tokens",
    "prompt is too long",
    "exceeds the context",
    "n_ctx",
)

Parse = Callable[[httpx.Response], AsyncIterator[WireEvent]]


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: either delta-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def error_for_status(status: int, detail: str, retry_after: float | None) -> UpstreamError:
    """The error for a non-200 answer (``detail`` is the upstream's own message)."""
    said = f"the upstream answered {status}" + (f": {detail}" if detail else "")
    said = _clip(said)
    if _mentions_context(detail):
        return UpstreamError("token_limit", said)
    if status == 429:
        return UpstreamError("rate_limit", said, resumable=True, retry_after=retry_after)
    if status in (503, 529):
        return UpstreamError("model_overload", said, resumable=True, retry_after=retry_after)
    if status in (408, 504):
        return UpstreamError("network_timeout", said, resumable=True, retry_after=retry_after)
    if status >= 500:
        return UpstreamError("upstream", said, resumable=True, retry_after=retry_after)
    return UpstreamError("upstream", said)


def error_for_message(message: str) -> UpstreamError:
    """The error for a failure the upstream reports inside the stream."""
    text = message.lower()
    said = _clip(f"the upstream failed: {message}")
    if _mentions_context(message):
        return UpstreamError("token_limit", said)
    if "rate limit" in text or "rate_limit" in text:
        return UpstreamError("rate_limit", said, resumable=True)
    if "overload" in text or "server busy" in text or "try again" in text:
        return UpstreamError("model_overload", said, resumable=True)
    return UpstreamError("upstream", said)


def error_for_exception(exc: httpx.HTTPError) -> UpstreamError:
    """The error for a transport failure (no status, or the body broke off)."""
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamError(
            "network_timeout",
            f"the upstream did not answer in time ({type(exc).__name__})",
            resumable=True,
        )
    if isinstance(exc, httpx.TransportError):
        return UpstreamError(
            "upstream",
            f"the connection to the upstream failed ({type(exc).__name__})",
            resumable=True,
        )
    return UpstreamError("upstream", _clip(f"the upstream call failed: {exc}"))


def malformed(what: str) -> UpstreamError:
    """Data the upstream sent that cannot be read: text may be missing, so never resumed."""
    return UpstreamError("upstream", _clip(f"the upstream sent malformed data: {what}"))


def ended_early() -> UpstreamError:
    return UpstreamError(
        "upstream", "the upstream closed the stream before the answer was complete", resumable=True
    )


async def decoded_events(
    response: httpx.Response, decoder: ChatStreamDecoder
) -> AsyncIterator[WireEvent]:
    """The events ``decoder`` reads from the body, until the upstream's end marker.

    A body that ends without the marker still ends the answer when a finish reason came.

    Raises:
        UpstreamError: malformed data, a failure the upstream reports inside the stream, or a
            body cut off before its finish (resumable: the answer can be generated again).
    """
    chunks = response.aiter_bytes()
    while True:
        raw = await anext(chunks, None)
        try:
            facts = decoder.feed(raw) if raw is not None else decoder.close()
        except UpstreamFormatError as exc:
            raise malformed(str(exc)) from None
        for fact in facts:
            if isinstance(fact, UpstreamFailure):
                raise error_for_message(fact.message)
            if isinstance(fact, EndOfStream):
                return
            yield fact
        if raw is None:
            break
    if decoder.finish_reason is None:
        raise ended_early()


def done_event(decoder: ChatStreamDecoder) -> Done:
    """The ``done`` of a finished answer; tokens counted here stand in for a missing count."""
    usage = decoder.usage or Usage()
    if usage.completion_tokens is None:
        usage = Usage(usage.prompt_tokens, decoder.tokens)
    finish: FinishReason = "length" if decoder.finish_reason == "length" else "stop"
    return Done(id=0, finish_reason=finish, usage=usage)


class UpstreamGeneration:
    """One upstream answer: the open response and the parser for its body."""

    def __init__(self, info: GenerationInfo, response: httpx.Response, parse: Parse) -> None:
        self.info = info
        self._response = response
        self._parse = parse

    async def events(self) -> AsyncIterator[WireEvent]:
        try:
            async for event in self._parse(self._response):
                yield event
        except httpx.HTTPError as exc:
            raise error_for_exception(exc) from None
        finally:
            await self._response.aclose()

    async def aclose(self) -> None:
        """Release the connection when ``events()`` is never iterated to its end."""
        await self._response.aclose()


class HttpUpstream:
    """An HTTP client bound to one chat endpoint; sends a request and checks its status."""

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        headers = {"Accept": "application/x-ndjson, text/event-stream, application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.AsyncClient(
            timeout=timeout,
            headers=headers,
            transport=transport,
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=32),
        )

    async def post(self, body: dict[str, Any]) -> httpx.Response:
        """POST ``body`` and return the streaming response once a 200 has arrived.

        Raises:
            UpstreamError: the upstream could not be reached or answered another status.
        """
        request = self._client.build_request("POST", self.url, json=body)
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise error_for_exception(exc) from None
        if response.status_code == 200:
            return response
        try:
            detail = await _error_detail(response)
        except httpx.HTTPError:
            detail = ""
        finally:
            await response.aclose()
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        raise error_for_status(response.status_code, detail, retry_after)

    async def aclose(self) -> None:
        await self._client.aclose()


async def _error_detail(response: httpx.Response) -> str:
    """The upstream's own error message from a (JSON or text) error body, briefly."""
    raw = b""
    async for chunk in response.aiter_bytes():
        raw += chunk
        if len(raw) >= _ERROR_BODY_BYTES:
            break
    text = raw[:_ERROR_BODY_BYTES].decode("utf-8", "replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return _clip(text)
    if isinstance(payload, dict):
        error = payload.get("error", payload.get("message", payload.get("detail")))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error is not None:
            return _clip(str(error))
    return _clip(text)


def _without_traceback(text: str) -> str:
    """``text`` up to any Python traceback an upstream let slip, on one line.

    Upstream messages reach the client; their stack traces must not (llama-cpp-python's 500
    answers carry one).
    """
    cut = _TRACEBACK.search(text)
    if cut is not None:
        text = text[: cut.start()]
    return " ".join(text.split())


def _mentions_context(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in _CONTEXT_MARKERS)


def _clip(text: str) -> str:
    text = _without_traceback(text)
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class UpstreamApi:
    """What makes one upstream chat API: its defaults, endpoint, request and body parser."""

    default_url: str
    default_model: str
    endpoint: Callable[[str], str]
    body: Callable[[ChatRequest, str], dict[str, Any]]
    parse: Parse


class UpstreamBackend:
    """Base of the Ollama and OpenAI-compatible backends, which differ only in their ``api``.

    Args:
        upstream_url: the upstream's base URL (the API's local default when ``None``).
        model: the upstream model, unless a request names one.
        api_key: sent as a bearer token.
        timeout: connect/read/write/pool limits; the read limit is the longest silence.
        transport: an httpx transport (tests).
    """

    name: str
    api: ClassVar[UpstreamApi]

    def __init__(
        self,
        upstream_url: str | None = None,
        *,
        model: str | None = None,
        api_key: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model or self.api.default_model
        self._http = HttpUpstream(
            self.api.endpoint(upstream_url or self.api.default_url),
            api_key=api_key,
            timeout=timeout,
            transport=transport,
        )

    async def open(self, request: ChatRequest, caller: Caller = ANONYMOUS) -> UpstreamGeneration:
        model = request.options.model or self.model
        response = await self._http.post(self.api.body(request, model))
        info = GenerationInfo(model, request.options.max_tokens or DEFAULT_ESTIMATE)
        return UpstreamGeneration(info, response, self.api.parse)

    def can_continue(self, request: ChatRequest) -> bool:
        # Greedy decoding with a fixed seed is the one case where an upstream promises the
        # same answer again; the runner still checks the text, since not every server keeps it.
        return request.options.seed is not None and request.options.temperature == 0

    async def open_at(self, request: ChatRequest, tokens_sent: int) -> UpstreamGeneration:
        # An upstream cannot start half-way: it answers again from the start, and the runner
        # checks and skips the text the log already holds.
        return await self.open(request)

    async def aclose(self) -> None:
        await self._http.aclose()
