"""A paced answer server for the benchmarks: raw asyncio on 127.0.0.1, in the bench's process.

It answers every POST with the given tokens at a fixed rate, framed as one protocol frames an
answer (Assist SSE, or an upstream's NDJSON), and notes when it sent the first token and the
end, so a benchmark can measure a reader between those moments. No HTTP framework: the bench
should measure the reader, not the server.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop.protocol.events import Done, StreamStarted, Token, Usage
from desktop.protocol.wire import encode_event


@dataclass(frozen=True)
class Framing:
    """How one protocol frames an answer on the wire."""

    name: str
    content_type: bytes
    head: Callable[[], bytes]
    token: Callable[[int, str], bytes]
    end: Callable[[int], bytes]


ASSIST = Framing(
    "assist",
    b"text/event-stream",
    lambda: b"retry: 1000\n\n" + encode_event(StreamStarted(1, "s-bench", model="bench")),
    lambda i, text: encode_event(Token(i + 2, text, i)),
    lambda n: encode_event(Done(n + 2, "stop", Usage(5, n))),
)


class PacedServer:
    """Answers every POST with ``tokens`` at ``rate`` per second, and notes when it streamed.

    ``spans`` gets one (first token sent, end sent) pair of ``time.monotonic()`` per answer.
    """

    def __init__(self, framing: Framing, tokens: list[str], rate: float) -> None:
        self.framing = framing
        self.tokens = tokens
        self.rate = rate
        self.port = 0
        self.spans: list[tuple[float, float]] = []
        #: Told "first" when an answer's first token goes out and "end" after its end.
        self.listener: Callable[[str], None] = lambda moment: None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PacedServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.decode("latin-1").split("\r\n"):
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        await reader.readexactly(length)
        if not head.startswith(b"POST "):  # the window's capability probe (GET): none here
            writer.write(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            await writer.drain()
            writer.close()
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: " + self.framing.content_type + b"\r\n"
            b"Cache-Control: no-cache\r\nX-Stream-Id: s-bench\r\nConnection: close\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )

        def send(frame: bytes) -> None:
            if frame:
                writer.write(b"%x\r\n%s\r\n" % (len(frame), frame))

        send(self.framing.head())
        start = time.monotonic()
        self.listener("first")
        for i, text in enumerate(self.tokens):
            send(self.framing.token(i, text))
            delay = start + (i + 1) / self.rate - time.monotonic()
            if delay > 0:
                await writer.drain()
                await asyncio.sleep(delay)
        send(self.framing.end(len(self.tokens)))
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        self.spans.append((start, time.monotonic()))
        self.listener("end")
        writer.close()
