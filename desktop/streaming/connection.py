"""One HTTP exchange read by a background task, so that it can be cut off from any other task.

``drop_connection()`` and the cancel grace period are synchronous, and they must end a read that
is blocked in the socket right now. Reading in a small pump task that feeds a queue makes that a
plain ``task.cancel()``, and turns every way an exchange can end (headers never came, a reset, a
truncated chunked body, a read timeout, a clean EOF, an interruption) into one value,
:class:`Ended`, that the reconnect loop handles in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TypeAlias

import httpx


@dataclass(frozen=True, slots=True)
class Ended:
    """The exchange is over. ``error`` is ``None`` for a clean end of the body; ``exception``
    is what failed, for the loop to tell a refused certificate from a network fault."""

    error: str | None
    interrupted: bool = False
    exception: BaseException | None = field(default=None, compare=False)

    @property
    def unreachable(self) -> bool:
        """The request never reached the server (see :func:`is_unreachable`)."""
        return self.exception is not None and is_unreachable(self.exception)


Item: TypeAlias = "httpx.Response | bytes | Ended"


def is_unreachable(exc: BaseException) -> bool:
    """Whether a failed send never reached a server: refused, no route, DNS failure, connect
    timeout. The one place that decides it for every backend; a server that answered with any
    status (401 and 503 included) is reachable. (A refused certificate is a ``ConnectError``
    too, but it is told apart first and ends the answer as a refusal.)"""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))


def describe(exc: BaseException) -> str:
    """A short reason for a transport failure, as shown in ``Reconnecting.reason``."""
    if isinstance(exc, httpx.ReadTimeout):
        return "idle timeout: no data from the server"
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})" if str(exc) else "cannot connect"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return f"connection lost ({exc})" if str(exc) else "connection lost (reset)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"connection broken ({exc})" if str(exc) else "connection broken"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Connection:
    """Sends ``request`` and reads its body in a pump task.

    ``next()`` returns, in order: the response (headers only) once, then body chunks, then one
    :class:`Ended`. When sending fails, it returns just the :class:`Ended`.
    """

    __slots__ = (
        "_cancelled",
        "_client",
        "_follow",
        "_interrupted",
        "_queue",
        "_task",
        "request",
        "response",
    )

    def __init__(self, client: httpx.AsyncClient, request: httpx.Request, *, follow: bool) -> None:
        self._client = client
        self._follow = follow
        self.request = request
        self._queue: asyncio.Queue[Item] = asyncio.Queue()
        self.response: httpx.Response | None = None
        self._interrupted: Ended | None = None
        self._cancelled = False
        self._task = asyncio.create_task(self._pump(request), name="sse-connection")

    async def _pump(self, request: httpx.Request) -> None:
        put = self._queue.put_nowait
        try:
            response = await self._client.send(request, stream=True, follow_redirects=self._follow)
        except Exception as exc:  # any failure before headers is a failed try
            put(Ended(describe(exc), exception=exc))
            return
        self.response = response
        put(response)
        try:
            async for chunk in response.aiter_bytes():
                put(chunk)
        except Exception as exc:  # a broken body is a drop, whatever broke it
            put(Ended(describe(exc)))
        else:
            put(Ended(None))

    async def next(self) -> Item:
        """The next item; after an :class:`Ended`, do not call again."""
        if self._interrupted is not None:  # chunks already queued are not read any more
            return self._interrupted
        return await self._queue.get()

    async def read_body(self, limit: int) -> bytes:
        """The rest of the body, up to about ``limit`` bytes (for an error response's message)."""
        parts: list[bytes] = []
        size = 0
        while size < limit:
            item = await self.next()
            if not isinstance(item, bytes):
                break
            parts.append(item)
            size += len(item)
        return b"".join(parts)[:limit]

    def interrupt(self, reason: str) -> None:
        """End the exchange now: the next ``next()`` returns ``Ended(reason, interrupted=True)``
        unless the pump had already finished (then the rest of its items follow)."""
        if not self._task.done() and self._interrupted is None:
            self._cancel_pump()
            self._interrupted = Ended(reason, interrupted=True)
            self._queue.put_nowait(self._interrupted)  # wakes a next() that is waiting now

    def _cancel_pump(self) -> None:
        # Once only: httpcore closes its connection in a handler of this cancellation, and a
        # second cancel would cut that cleanup short and leave the pooled connection open.
        if not self._cancelled and not self._task.done():
            self._cancelled = True
            self._task.cancel()

    async def aclose(self) -> None:
        """Stop the pump and close the response (a closed, half-read HTTP/1.1 connection is
        discarded, never reused)."""
        self._cancel_pump()
        await asyncio.wait({self._task})  # not ``await task``: that would re-raise its cancel
        if self.response is not None:
            with contextlib.suppress(httpx.HTTPError, OSError):
                await self.response.aclose()
