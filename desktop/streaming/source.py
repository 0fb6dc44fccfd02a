"""The Assist Streaming Protocol client: one answer, every event exactly once, through any fault.

``ReconnectingEventSource`` starts a stream with ``POST /api/v1/chat/stream`` and, whenever the
connection ends before ``done``, resumes it with ``GET /api/v1/streams/{id}/events`` and
``Last-Event-ID`` = the id of the last event it *applied* (protocol §4). It yields connection
events and wire events from ``desktop.protocol.events`` and never raises for network or protocol
trouble: every way a stream can end is one terminal event.

What httpx-sse is used for: nothing at runtime. Its decoder yields phantom events, keeps a BOM,
honours the charset parameter, holds CR-terminated events back and has no size cap, and its
``EventSource`` reads text through httpx's charset decoding and raises ``SSEError`` (a
``TransportError`` subclass) for a wrong content type (``sse-client-notes.md`` §2.1). So the body
is read as bytes with ``aiter_bytes()`` into ``desktop.protocol.sse.SSEParser``, the status is
checked before the content type, and the content type is checked here, exactly. httpx-sse stays a
dependency as the baseline that ``tests/benchmarks/bench_parser.py`` measures the parser against.
"""

from __future__ import annotations

import asyncio
import contextlib
import random as _random
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Final

import httpx

from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    RejectReason,
    Resumed,
    StreamError,
    StreamEvent,
    StreamStarted,
)
from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import EventTooLarge, SSEMessage, SSEParser
from desktop.streaming.certificates import certificate_rejection
from desktop.streaming.config import ClientConfig
from desktop.streaming.connection import Connection, Ended
from desktop.streaming.endpoints import resume_request, start_request, stream_url
from desktop.streaming.retry import (
    StatusAction,
    backoff_delay,
    classify_status,
    error_message,
    is_event_stream,
    parse_retry_after,
)
from desktop.streaming.sequencer import Fault, Skip, decide
from desktop.streaming.stats import SourceStats
from desktop.streaming.wakeable_sleep import sleep_unless_woken

#: Seconds a cancelled stream may take to deliver its ``done`` before the client closes it.
CANCEL_GRACE: Final = 3.0
#: Redirects of the start request followed in a row (307/308, same origin only).
MAX_START_REDIRECTS: Final = 5
#: Error bodies are read up to this size for their message; a proxy's page can be large.
ERROR_BODY_LIMIT: Final = 64 * 1024

_REJECT_REASONS: Final[dict[StatusAction, RejectReason]] = {
    StatusAction.UNAUTHORIZED: "unauthorized",
    StatusAction.NOT_RESUMABLE: "not_resumable",
    StatusAction.INVALID: "invalid_request",
}


@dataclass(slots=True)
class _Outcome:
    """How one connection ended, as far as the reconnect loop cares."""

    terminal: bool = False
    reason: str = ""
    floor: float | None = None
    redirect: str | None = None  # a same-origin 307/308 for the start: send it there at once
    unreachable: bool = False  # the try never reached the server

    def fail(self, reason: str, floor: float | None = None, *, unreachable: bool = False) -> None:
        self.reason, self.floor, self.unreachable = reason, floor, unreachable


class ReconnectingEventSource:
    """One answer from an Assist Streaming Protocol server.

    Args:
        client: the httpx client to send with (see ``make_client``); the caller closes it.
        config: server address, token, timeouts and retry limits.
        request: what to ask; ``None`` to resume ``stream_id`` instead of starting.
        stream_id: a stream to resume (e.g. one the local cache kept from a previous run).
        last_event_id: the last event already applied from that stream; replays up to it are
            skipped and the first resume asks for what follows it.
        sleep: awaited for every backoff delay (tests inject one that records and returns).
        random: uniform [0, 1) source for the jitter.
        on_message: called with every parsed SSE message and the UTF-8 size of its data, before
            deduplication, for the event inspector. It must not block.

    Attributes:
        stream_id: from ``X-Stream-Id`` or the ``stream`` event; ``None`` until known.
        last_event_id: the id of the last event applied (the one just yielded, while the
            consumer handles it), which is what a checkpoint must store.
        stats: running counters of this source.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: ClientConfig,
        request: ChatRequest | None = None,
        *,
        stream_id: str | None = None,
        last_event_id: int = 0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
        on_message: Callable[[SSEMessage, int], None] | None = None,
    ) -> None:
        if request is None and stream_id is None:
            raise ValueError("a request to start or a stream_id to resume is required")
        self._client = client
        self._config = config
        self._request = request
        self._sleep = sleep
        self._random = random
        self._on_message = on_message
        self.stream_id = stream_id
        self.last_event_id = last_event_id
        self.stats = SourceStats()
        self._idempotency_key = str(uuid.uuid4())
        self._start_url: str | None = None  # where a 307/308 moved the start
        self._redirects = 0
        self._retry_ms: int | None = None
        self._failures = 0
        self._down_since: float | None = None
        self._connection: Connection | None = None
        self._wake = asyncio.Event()
        self._started = False
        self._finished = False
        self._cancel_requested = False
        self._stop_requested = False
        self._grace: asyncio.TimerHandle | None = None

    # --- public controls -------------------------------------------------------------------

    async def events(self) -> AsyncIterator[StreamEvent]:
        """Connection events and applied wire events, in order, ending after one terminal event
        (``Done``, a non-resumable ``StreamError``, ``Rejected`` or ``GaveUp``). Iterate once."""
        if self._started:
            raise RuntimeError("events() can be iterated only once per source")
        self._started = True
        try:
            async with contextlib.aclosing(self._run()) as run:
                async for event in run:
                    yield event
        finally:
            self._finished = True
            if self._grace is not None:
                self._grace.cancel()
            if self._connection is not None:
                await self._connection.aclose()

    async def cancel(self) -> None:
        """The Stop button: ask the server to stop (``DELETE``) and let ``events()`` read on to
        the server's ``done`` (``finish_reason="cancelled"``). After :data:`CANCEL_GRACE` seconds,
        or when the stream id is not known yet, ``events()`` ends with a client-side ``Done``."""
        if self._finished or self._cancel_requested:
            return
        self._cancel_requested = True
        if self.stream_id is None:
            self._stop("cancelled before the stream started")
            return
        self._grace = asyncio.get_running_loop().call_later(
            CANCEL_GRACE, self._stop, "no done within the cancel grace period"
        )
        url = stream_url(self._config, self.stream_id)
        try:
            response = await self._client.delete(
                url, headers=self._config.auth_headers(), timeout=CANCEL_GRACE
            )
        except httpx.HTTPError:
            self._stop("the cancel request failed")
            return
        if response.status_code >= 400:  # unknown, expired or not ours: no done will come
            self._stop(f"the cancel request was answered HTTP {response.status_code}")

    def drop_connection(self) -> None:
        """Close the live connection now, as a network failure would (then resume as usual)."""
        if self._connection is not None:
            self._connection.interrupt("connection dropped on request")

    # --- the loop --------------------------------------------------------------------------

    def _stop(self, reason: str) -> None:
        self._stop_requested = True
        self._wake.set()
        if self._connection is not None:
            self._connection.interrupt(reason)

    def _cancelled(self) -> Done:
        return Done(id=self.last_event_id, finish_reason="cancelled")

    async def _run(self) -> AsyncGenerator[StreamEvent, None]:
        max_attempts = self._config.max_attempts
        reason = ""
        floor: float | None = None
        unreachable = False
        while True:
            if self._failures:
                if self._failures >= max_attempts:
                    yield GaveUp(self._failures, reason, unreachable)
                    return
                delay = backoff_delay(
                    self._failures,
                    retry_ms=self._retry_ms,
                    cap=self._config.backoff_cap,
                    random=self._random,
                    floor=floor,
                )
                self.stats.reconnects += 1
                yield Reconnecting(
                    self._failures, max_attempts, delay, reason, self.last_event_id, unreachable
                )
                await self._pause(delay)
            if self._stop_requested:
                yield self._cancelled()
                return
            resuming = self.stream_id is not None
            request = self._build_request(resuming)
            yield Connecting(str(request.url), self._failures, resuming)
            if self._stop_requested:  # cancel() while the consumer held the Connecting event
                yield self._cancelled()
                return
            self.stats.connections += 1
            outcome = _Outcome()
            connection = self._connection = Connection(self._client, request, follow=resuming)
            try:
                async with contextlib.aclosing(self._read(connection, resuming, outcome)) as read:
                    async for event in read:
                        yield event
            finally:
                self._connection = None
                await connection.aclose()
            if outcome.terminal:
                return
            if outcome.redirect is not None:
                self._start_url = outcome.redirect
                continue
            if self._cancel_requested:
                yield self._cancelled()
                return
            self._failures += 1
            reason, floor, unreachable = outcome.reason, outcome.floor, outcome.unreachable
            if self._down_since is None:
                self._down_since = time.monotonic()

    async def _pause(self, delay: float) -> None:
        """The backoff sleep, cut short by ``cancel()``."""
        if self._stop_requested:
            return
        await sleep_unless_woken(delay, self._wake, self._sleep)

    def _build_request(self, resuming: bool) -> httpx.Request:
        if resuming:
            assert self.stream_id is not None
            return resume_request(self._client, self._config, self.stream_id, self.last_event_id)
        assert self._request is not None
        return start_request(
            self._client, self._config, self._request, self._idempotency_key, self._start_url
        )

    async def _read(
        self, connection: Connection, resuming: bool, outcome: _Outcome
    ) -> AsyncGenerator[StreamEvent, None]:
        """One connection: status, content type, then events until it ends."""
        item = await connection.next()
        if isinstance(item, Ended):
            refused = None
            if item.exception is not None:
                refused = await certificate_rejection(item.exception, str(connection.request.url))
            if refused is not None:
                outcome.terminal = True
                yield refused
                return
            outcome.fail(item.error or "no response", unreachable=item.unreachable)
            return
        assert isinstance(item, httpx.Response)
        response = item
        status = response.status_code
        action = classify_status(status, resuming=resuming)
        if action is StatusAction.RETRY:
            outcome.fail(f"HTTP {status}", parse_retry_after(response.headers))
            return
        if not resuming and self._follow_start_redirect(response):
            outcome.redirect = str(response.url.join(response.headers["location"]))
            return
        if action is not StatusAction.STREAM:
            body = await connection.read_body(ERROR_BODY_LIMIT)
            message = error_message(body, status)
            if status == 204:
                message = "the server has nothing more for this stream"
            outcome.terminal = True
            yield Rejected(_REJECT_REASONS[action], message, status)
            return
        content_type = response.headers.get("content-type")
        if not is_event_stream(content_type):
            outcome.terminal = True
            got = content_type or "no content type"
            yield Rejected("not_event_stream", f"expected text/event-stream, got {got}", status)
            return
        if self.stream_id is None:
            self.stream_id = response.headers.get("x-stream-id") or None
        yield Connected(str(response.url), resuming, self.stream_id)
        async with contextlib.aclosing(self._read_events(connection, outcome)) as events:
            async for event in events:
                yield event

    def _follow_start_redirect(self, response: httpx.Response) -> bool:
        """Whether to re-send the start where a 307/308 points: those keep method and body
        (301/302/303 would turn the POST into a GET), and only within the same origin, where
        the bearer token may go and the idempotency key still means the same server."""
        if response.status_code not in (307, 308) or "location" not in response.headers:
            return False
        if self._redirects >= MAX_START_REDIRECTS:
            return False
        target = response.url.join(response.headers["location"])
        if (target.scheme, target.host, target.port) != (
            response.url.scheme,
            response.url.host,
            response.url.port,
        ):
            return False
        self._redirects += 1
        return True

    async def _read_events(
        self, connection: Connection, outcome: _Outcome
    ) -> AsyncGenerator[StreamEvent, None]:
        parser = SSEParser(self._config.max_event_bytes)
        stats = self.stats
        tap = self._on_message
        while True:
            item = await connection.next()
            if isinstance(item, Ended):
                parser.close()  # a half-received event is discarded, never applied
                outcome.fail(item.error or "the server closed the stream before done")
                return
            assert isinstance(item, bytes)
            stats.bytes_received += len(item)
            try:
                messages = parser.feed(item)
            except EventTooLarge as exc:
                outcome.fail(str(exc))
                return
            if parser.retry is not None:
                self._retry_ms = parser.retry
            for message in messages:
                if tap is not None:
                    tap(message, len(message.data.encode("utf-8")))
                decision = decide(message, self.last_event_id)
                if isinstance(decision, Skip):
                    continue
                if isinstance(decision, Fault):
                    outcome.fail(decision.reason)
                    return
                if self._down_since is not None:
                    downtime = time.monotonic() - self._down_since
                    stats.downtime_s += downtime
                    self._down_since = None
                    yield Resumed(self.last_event_id, self._failures, downtime)
                self.last_event_id = decision.id
                stats.events_applied += 1
                self._failures = 0
                event = decision.event
                if event is None:
                    continue
                if isinstance(event, StreamStarted) and self.stream_id is None:
                    self.stream_id = event.stream_id
                yield event
                if isinstance(event, Done):
                    outcome.terminal = True
                    return
                if isinstance(event, StreamError):
                    if not event.resumable:
                        outcome.terminal = True
                        return
                    outcome.fail(f"server error: {event.message}", event.retry_after)
                    return
