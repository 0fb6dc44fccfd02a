"""A scripted HTTP/1.1 server on 127.0.0.1 that misbehaves exactly as a test says.

Each stream request (every method but ``DELETE``) takes the next :class:`Reply` of the script, so a
test states what the Nth connection gets: status, headers, a chunked or close-delimited body sent
piece by piece with pauses, and how it ends (cleanly, an abrupt close, a TCP reset or a hang).
``DELETE`` requests get ``on_delete`` (``204`` by default) and set :attr:`FaultServer.deleted`,
which a body can wait for with :class:`WaitDelete`. Every request is recorded.

Raw asyncio rather than a framework, because frameworks do not let a handler cut a chunk in half,
reset the socket or omit the chunked terminator. One request per connection (``Connection:
close``), so connections and requests are counted alike.

Use it in the test's own event loop (``async with FaultServer(script) as server``) or, for a client
in another process or loop, in a thread (``with ThreadedFaultServer(script) as server``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self, TypeAlias

from desktop.protocol.events import Done, StreamStarted, Token, Usage, WireEvent
from desktop.protocol.wire import encode_event


@dataclass(frozen=True)
class Raw:
    """Bytes written exactly as given, without chunk framing (to cut a chunk in half)."""

    data: bytes


@dataclass(frozen=True)
class WaitDelete:
    """Hold the body until a ``DELETE`` has arrived (or ``timeout`` seconds passed)."""

    timeout: float = 10.0


BodyItem: TypeAlias = "bytes | float | Raw | WaitDelete"
Ending: TypeAlias = Literal["eof", "close", "reset", "hang"]


@dataclass(frozen=True)
class Reply:
    """What one connection gets.

    Attributes:
        status: the HTTP status; ``0`` sends no response at all, then ends as ``end`` says.
        headers: response headers; ``Content-Type: text/event-stream`` when not given.
        body: bytes (one chunk each when ``chunked``), floats (pauses in seconds), :class:`Raw`
            writes and :class:`WaitDelete` holds, in order.
        chunked: ``Transfer-Encoding: chunked``; otherwise the body is close-delimited.
        end: ``"eof"`` ends properly (chunk terminator, then close), ``"close"`` closes without
            the terminator, ``"reset"`` sends a TCP RST, ``"hang"`` keeps the connection open and
            silent until the client goes away.
    """

    status: int = 200
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/event-stream"),)
    body: Sequence[BodyItem] = ()
    chunked: bool = True
    end: Ending = "eof"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class FaultServer:
    """Serves ``script`` (a list of replies, or a function of the request's index and itself)."""

    def __init__(
        self,
        script: Sequence[Reply] | Callable[[int, RecordedRequest], Reply],
        *,
        on_delete: Reply = Reply(204, headers=()),
    ) -> None:
        self._script = script
        self._on_delete = on_delete
        self.requests: list[RecordedRequest] = []
        self.stream_requests: list[RecordedRequest] = []
        self.deleted = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def open_connections(self) -> int:
        """Connections whose handler is still running (a client that leaks sockets keeps them)."""
        return len(self._tasks)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)
        if self._server is not None:
            await self._server.wait_closed()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.get_running_loop().create_task(self._handle(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        abort = False
        try:
            request = await _read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            if request.method == "DELETE":
                reply = self._on_delete
                self.deleted.set()
            else:
                index = len(self.stream_requests)
                self.stream_requests.append(request)
                reply = self._reply_for(index, request)
            abort = await self._send(reader, writer, reply)
        except (ConnectionError, asyncio.IncompleteReadError):
            abort = True
        finally:
            if abort:
                writer.transport.abort()
            else:
                writer.close()
                with contextlib.suppress(ConnectionError, OSError):
                    await writer.wait_closed()

    def _reply_for(self, index: int, request: RecordedRequest) -> Reply:
        if callable(self._script):
            return self._script(index, request)
        if index < len(self._script):
            return self._script[index]
        return Reply(500, headers=(("Content-Type", "text/plain"),), body=[b"script exhausted"])

    async def _send(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reply: Reply
    ) -> bool:
        """Writes ``reply``; returns whether the socket must be aborted rather than closed."""
        if reply.status == 0:  # no response at all, not even a status line
            return await self._end_without_terminator(reader, writer, reply.end)
        lines = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in reply.headers]
        if reply.chunked and reply.status != 204:
            lines.append("Transfer-Encoding: chunked")
        lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        if reply.status == 204:
            return False
        for item in reply.body:
            if isinstance(item, (int, float)):
                await asyncio.sleep(item)
                continue
            if isinstance(item, WaitDelete):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.deleted.wait(), item.timeout)
                continue
            if isinstance(item, Raw):
                writer.write(item.data)
            elif reply.chunked:
                writer.write(b"%x\r\n%s\r\n" % (len(item), item))
            else:
                writer.write(item)
            await writer.drain()
        if reply.end == "eof":
            if reply.chunked:
                writer.write(b"0\r\n\r\n")
                await writer.drain()
            return False
        return await self._end_without_terminator(reader, writer, reply.end)

    async def _end_without_terminator(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, end: Ending
    ) -> bool:
        if end == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return True
        if end == "hang":
            with contextlib.suppress(ConnectionError):
                await reader.read()  # silent until the client goes away (or stop() cancels)
        return True


async def _read_request(reader: asyncio.StreamReader) -> RecordedRequest | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length else b""
    return RecordedRequest(method, path, headers, body)


class ThreadedFaultServer:
    """A :class:`FaultServer` on its own event loop in a daemon thread (for subprocess clients or
    clients on another loop). ``requests`` is safe to read after the client has finished."""

    def __init__(
        self, script: Sequence[Reply] | Callable[[int, RecordedRequest], Reply], **kwargs: Reply
    ) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, daemon=True, name="fault-server"
        )
        self._kwargs = kwargs
        self._script = script
        self.server: FaultServer | None = None

    def start(self) -> None:
        self._thread.start()

        async def make() -> FaultServer:
            server = FaultServer(self._script, **self._kwargs)
            await server.start()
            return server

        self.server = asyncio.run_coroutine_threadsafe(make(), self._loop).result(10)

    def stop(self) -> None:
        if self.server is not None:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    @property
    def requests(self) -> list[RecordedRequest]:
        assert self.server is not None
        return list(self.server.requests)

    @property
    def stream_requests(self) -> list[RecordedRequest]:
        assert self.server is not None
        return list(self.server.stream_requests)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


#: What the ``fault_server`` fixture (tests/e2e/conftest.py) hands a test.
FaultServerFactory: TypeAlias = "Callable[..., ThreadedFaultServer]"


# --- building scripts ------------------------------------------------------------------------

STREAM_ID = "s-0123456789abcdef"


def frames(events: Iterable[WireEvent]) -> list[bytes]:
    """The SSE frame of each event, one body piece each."""
    return [encode_event(event) for event in events]


def answer_events(tokens: Sequence[str], *, stream_id: str = STREAM_ID) -> list[WireEvent]:
    """A whole answer: ``stream`` (id 1), one ``token`` per piece, ``done``."""
    events: list[WireEvent] = [StreamStarted(id=1, stream_id=stream_id, model="fault")]
    events += [Token(id=i + 2, content=text, index=i) for i, text in enumerate(tokens)]
    events.append(Done(id=len(tokens) + 2, finish_reason="stop", usage=Usage(1, len(tokens))))
    return events


def stream_headers(
    stream_id: str | None = STREAM_ID,
    content_type: str = "text/event-stream",
    *extra: tuple[str, str],
) -> tuple[tuple[str, str], ...]:
    base: tuple[tuple[str, str], ...] = (
        ("Content-Type", content_type),
        ("Cache-Control", "no-cache"),
    )
    if stream_id is not None:
        base += (("X-Stream-Id", stream_id),)
    return base + tuple(extra)


def sse_reply(
    body: Sequence[BodyItem],
    *,
    end: Ending = "eof",
    chunked: bool = True,
    stream_id: str | None = STREAM_ID,
    retry_ms: int | None = 1,
) -> Reply:
    """A 200 event stream, ``retry_ms`` first (tiny by default: real backoff stays short)."""
    prefix: list[BodyItem] = [b"retry: %d\n\n" % retry_ms] if retry_ms is not None else []
    return Reply(200, stream_headers(stream_id), [*prefix, *body], chunked=chunked, end=end)


def events_after(events: Sequence[WireEvent], last_id: int) -> list[WireEvent]:
    return [event for event in events if event.id > last_id]


def json_error(status: int, message: str, *extra: tuple[str, str]) -> Reply:
    body = json.dumps({"error": {"type": "invalid_request", "message": message}}).encode()
    return Reply(status, (("Content-Type", "application/json"), *extra), [body])


__all__ = [
    "STREAM_ID",
    "FaultServer",
    "FaultServerFactory",
    "Raw",
    "RecordedRequest",
    "Reply",
    "ThreadedFaultServer",
    "WaitDelete",
    "answer_events",
    "events_after",
    "frames",
    "json_error",
    "sse_reply",
    "stream_headers",
]
