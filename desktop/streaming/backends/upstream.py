"""The shared loop of the OpenAI and Ollama adapters: connect, retry, number, finish.

These upstreams generate an answer inside one HTTP response and cannot resume it, so the rules
differ from the Assist protocol's: a failure before the first piece of the answer is retried
with backoff (connect errors, 408, 429, 5xx, a drop before any content), while a drop after it
ends the answer with ``Rejected("not_resumable")`` and the text received so far, because a new
request would generate a different answer. Events get local ids 1, 2, 3...
(:mod:`.local_events`) and ``stream`` (id 1) carries a local stream id, so everything above
sees the same vocabulary as from the server; the wire format itself is decoded by the protocol
layer's sans-I/O decoders (:mod:`desktop.protocol.upstream`).

The HTTP exchange runs in a reader task that feeds a queue; ``cancel`` and
``drop_connection`` cancel that task, which closes the response at once, wherever it waits.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Final

import httpx

from desktop.protocol.events import (
    Connected,
    Connecting,
    GaveUp,
    Reconnecting,
    Rejected,
    StreamEvent,
    is_terminal,
)
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.chat_stream import (
    ChatStreamDecoder,
    EndOfStream,
    UpstreamFormatError,
)
from desktop.streaming.backends.local_events import LocalEventNumbering, has_finished
from desktop.streaming.certificates import certificate_rejection
from desktop.streaming.config import ClientConfig
from desktop.streaming.connection import is_unreachable
from desktop.streaming.retry import backoff_delay, error_message, parse_retry_after
from desktop.streaming.stats import SourceStats

_MAX_ERROR_BODY: Final = 64 * 1024
_RETRY_STATUSES: Final = frozenset({408, 425, 429, 500, 502, 503, 504})


class _Dropped(Exception):
    """The reader task was cancelled by ``cancel`` or ``drop_connection``."""


class Retarget:
    """A verdict of ``_judge``: this endpoint does not work here; the source has chosen another,
    to be tried at once (not a failed attempt, no backoff)."""


RETARGET: Final = Retarget()


class UpstreamChatSource:
    """Base of the OpenAI and Ollama sources; subclasses give the URL, body and decoder.

    Args:
        client: the shared HTTP client (its read timeout is the idle timeout).
        config: base URL, token, attempt limit and backoff cap.
        request: what to ask.
        model: the upstream's model name (falls back to ``request.options.model``).
        extra_body: merged into the request JSON (sampling options the protocol lacks).
        retry_base: the first retry delay in seconds, doubled per failed attempt.
    """

    media_types: frozenset[str] = frozenset()
    accept: str = "*/*"

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: ClientConfig,
        request: ChatRequest,
        *,
        model: str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        retry_base: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        random: Callable[[], float] = random.random,
    ) -> None:
        self._client = client
        self._config = config
        self.request = request
        self.model = model if model is not None else request.options.model
        self._extra_body = dict(extra_body or {})
        self._retry_base = retry_base
        self._sleep = sleep
        self._random = random
        self.stream_id: str | None = f"local-{uuid.uuid4().hex}"
        self.stats = SourceStats()
        self._numbering = LocalEventNumbering(self.stats)
        self._cancelled = False
        self._inflight: asyncio.Task[Any] | None = None
        self._drop_reason = ""

    # --- what subclasses provide ------------------------------------------------------------

    @property
    def url(self) -> str:
        raise NotImplementedError

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def request_args(self) -> tuple[str, str, dict[str, Any]]:
        """``(method, url, httpx keyword arguments)`` of the next request: a JSON POST here."""
        return "POST", self.url, {"json": self.body()}

    def new_decoder(self) -> ChatStreamDecoder:
        """A fresh decoder for one response: bytes in, the upstream's facts out."""
        raise NotImplementedError

    # --- control ------------------------------------------------------------------------------

    async def cancel(self) -> None:
        """Stop: close the response (the upstream stops generating when its client leaves)."""
        self._cancelled = True
        self.drop_connection()

    def drop_connection(self) -> None:
        """Close the live response (or cut short a retry wait) now."""
        if self._inflight is not None:
            self._inflight.cancel()

    # --- the loop -----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": self.accept, "Cache-Control": "no-cache"}
        if self._config.token:
            headers["Authorization"] = f"Bearer {self._config.token}"
        return headers

    @property
    def last_event_id(self) -> int:
        return self._numbering.last_event_id

    async def events(self) -> AsyncGenerator[StreamEvent, None]:
        failures = 0
        started = False
        down_since: float | None = None
        while True:
            if self._cancelled:
                yield self._numbering.cancelled()
                return
            yield Connecting(self.url, failures, resuming=False)
            self.stats.connections += 1
            queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
            self._inflight = asyncio.get_running_loop().create_task(self._exchange(queue))
            reason, wait_floor, retarget, unreachable = "", None, False, False
            try:
                kind, value = await queue.get()
                if kind == "error":
                    refused = await certificate_rejection(value, self.url)
                    if refused is not None:
                        yield refused
                        return
                    reason = _describe(value)
                    unreachable = is_unreachable(value)
                else:
                    response: httpx.Response = value
                    verdict = await self._judge(response, queue)
                    if isinstance(verdict, Rejected):
                        yield verdict
                        return
                    if isinstance(verdict, Retarget):
                        retarget = True
                    elif verdict is not None:
                        reason, wait_floor = verdict
                    else:
                        if down_since is not None:
                            self.stats.downtime_s += time.monotonic() - down_since
                            down_since = None
                        yield Connected(self.url, resumed=False, stream_id=self.stream_id)
                        if not started:
                            started = True
                            yield self._numbering.started(str(self.stream_id), self.model)
                        async for event in self._body_events(queue):
                            yield event
                            if is_terminal(event):
                                return
                        reason = self._drop_reason
            finally:
                await self._stop_inflight()
            if self._cancelled or retarget:
                continue
            if self._numbering.has_content:
                yield Rejected(
                    "not_resumable",
                    f"the connection to the upstream was lost after {self._numbering.tokens} "
                    f"tokens ({reason}); this backend cannot resume an answer",
                )
                return
            failures += 1
            if down_since is None:
                down_since = time.monotonic()
            if failures >= self._config.max_attempts:
                yield GaveUp(failures, reason, unreachable)
                return
            delay = self._backoff(failures, wait_floor)
            self.stats.reconnects += 1
            yield Reconnecting(
                failures, self._config.max_attempts, delay, reason, self.last_event_id, unreachable
            )
            await self._wait(delay)

    async def _exchange(self, queue: asyncio.Queue[tuple[str, Any]]) -> None:
        """The reader task: one request; everything it learns goes into ``queue``."""
        try:
            method, url, arguments = self.request_args()
            async with self._client.stream(
                method, url, headers=self._headers(), **arguments
            ) as response:
                queue.put_nowait(("head", response))
                if response.status_code != 200 or not self._media_type_ok(response):
                    queue.put_nowait(("body", await _read_capped(response)))
                    return
                async for chunk in response.aiter_raw():
                    queue.put_nowait(("chunk", chunk))
            queue.put_nowait(("eof", None))
        except asyncio.CancelledError:
            queue.put_nowait(("error", _Dropped("the connection was closed by the client")))
            raise
        except (httpx.HTTPError, OSError) as exc:
            queue.put_nowait(("error", exc))

    def _media_type_ok(self, response: httpx.Response) -> bool:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return media in self.media_types

    async def _judge(
        self, response: httpx.Response, queue: asyncio.Queue[tuple[str, Any]]
    ) -> Rejected | Retarget | tuple[str, float | None] | None:
        """``None`` to read the stream, a retry reason, another endpoint, or a refusal."""
        status = response.status_code
        if status == 200 and self._media_type_ok(response):
            return None
        kind, body = await queue.get()
        raw: bytes = body if kind == "body" else b""
        if status in _RETRY_STATUSES:
            return f"HTTP {status}", parse_retry_after(response.headers)
        message = error_message(raw, status)
        if status in (401, 403):
            return Rejected("unauthorized", message, status)
        if status == 200:
            media = response.headers.get("content-type", "none")
            return Rejected("not_event_stream", f"the upstream answered with {media}", status)
        return Rejected("invalid_request", message, status)

    async def _body_events(
        self, queue: asyncio.Queue[tuple[str, Any]]
    ) -> AsyncIterator[StreamEvent]:
        decoder = self.new_decoder()
        numbering = self._numbering
        self._drop_reason = "the upstream closed the stream before it finished"
        while True:
            kind, value = await queue.get()
            if kind == "chunk":
                self.stats.bytes_received += len(value)
            elif kind != "eof":
                if has_finished(decoder):  # cut after the finish: the answer is whole
                    yield numbering.done(decoder)
                    return
                self._drop_reason = _describe(value)
                return
            try:
                facts = decoder.feed(value) if kind == "chunk" else decoder.close()
            except UpstreamFormatError as exc:
                yield Rejected("protocol", str(exc))
                return
            for fact in facts:
                if not isinstance(fact, EndOfStream):
                    yield numbering.event(fact)
                elif has_finished(decoder):
                    yield numbering.done(decoder)
                    return
                else:
                    # llama-cpp-python ends a stream it interrupts (for a newer request) with
                    # [DONE] but no finish_reason: the answer is cut short, not finished.
                    self._drop_reason = "the upstream ended the stream without a finish reason"
                    return
            if kind == "eof":
                if has_finished(decoder):  # a finish without the end marker is still a finish
                    yield numbering.done(decoder)
                return

    def _backoff(self, failures: int, floor: float | None) -> float:
        return backoff_delay(
            failures,
            retry_ms=round(self._retry_base * 1000),
            cap=self._config.backoff_cap,
            random=self._random,
            floor=floor,
        )

    async def _wait(self, delay: float) -> None:
        self._inflight = asyncio.get_running_loop().create_task(_awaitable(self._sleep(delay)))
        await asyncio.wait({self._inflight})
        self._inflight = None

    async def _stop_inflight(self) -> None:
        task, self._inflight = self._inflight, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task})


async def _awaitable(waiting: Awaitable[None]) -> None:
    await waiting


async def _read_capped(response: httpx.Response) -> bytes:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= _MAX_ERROR_BODY:
            break
    return bytes(body)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"no data for too long ({type(exc).__name__})"
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, _Dropped) else f"{type(exc).__name__}: {text}"
