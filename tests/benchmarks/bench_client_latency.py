"""Client-added latency: from the moment a token event's bytes go onto the loopback socket to the
moment the typed ``Token`` reaches a sink behind ``ReconnectingEventSource``, at 1,000 events/s.

A raw asyncio server in a thread of this process writes each event with ``time.perf_counter_ns()``
of the write as its content (one clock for both ends), and the sink subtracts. The same stream is
also read with bare ``httpx`` ``aiter_bytes()`` (no parsing) as the floor that the transport, the
kernel and the event loop cost anyway, and a wrapping transport stamps when httpx hands each
chunk on, so the part the client itself adds (chunk -> parsed, sequenced ``Token`` at the sink)
is measured directly. The two paths alternate in rounds so that load from other processes on a
shared machine hits both alike.

Run: ``.venv/bin/python tests/benchmarks/bench_client_latency.py [--events N] [--rate R]``.
Prints a table and writes ``tests/benchmarks/results/client_latency.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import statistics
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx

from desktop.protocol.events import Done, Token
from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import encode_event
from desktop.streaming.config import ClientConfig
from desktop.streaming.source import ReconnectingEventSource

RESULTS = Path(__file__).parent / "results"
STAMP = re.compile(rb'"content":"(\d+)"')


class StampingServer:
    """Streams ``events`` token events at ``rate``/s, each stamped with its write time."""

    def __init__(self, events: int, rate: float) -> None:
        self.events, self.rate = events, rate
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.port = 0

    def __enter__(self) -> StampingServer:
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _start(self) -> asyncio.Server:
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await reader.readuntil(b"\r\n\r\n")  # the client's request body (if any) is ignored
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Stream-Id: bench\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )

        def chunk(data: bytes) -> bytes:
            return b"%x\r\n%s\r\n" % (len(data), data)

        writer.write(chunk(b'id: 1\nevent: stream\ndata: {"stream_id":"bench"}\n\n'))
        interval = 1.0 / self.rate
        next_at = time.perf_counter()
        for i in range(self.events):
            next_at += interval
            delay = next_at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            stamp = str(time.perf_counter_ns())
            writer.write(chunk(encode_event(Token(i + 2, stamp, i))))  # sent now: buffer empty
        writer.write(chunk(encode_event(Done(self.events + 2, "stop"))) + b"0\r\n\r\n")
        await writer.drain()
        writer.close()


class _StampedStream(httpx.AsyncByteStream):
    """Records when httpx hands each body chunk on, i.e. when its bytes left the socket layer."""

    def __init__(self, inner: httpx.AsyncByteStream, arrivals: dict[int, int]) -> None:
        self._inner, self._arrivals = inner, arrivals

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            now = time.perf_counter_ns()
            for stamp in STAMP.findall(chunk):
                self._arrivals[int(stamp)] = now
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class StampingTransport(httpx.AsyncHTTPTransport):
    def __init__(self, arrivals: dict[int, int]) -> None:
        super().__init__()
        self._arrivals = arrivals

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _StampedStream(response.stream, self._arrivals)
        return response


async def through_source(url: str) -> list[tuple[int, int]]:
    """(socket write -> sink, transport -> sink) per token, in ns."""
    config = ClientConfig(url, idle_timeout=10)
    arrivals: dict[int, int] = {}
    latencies: list[tuple[int, int]] = []
    async with httpx.AsyncClient(
        transport=StampingTransport(arrivals), timeout=config.timeout
    ) as client:
        source = ReconnectingEventSource(client, config, ChatRequest("bench"))
        async for event in source.events():
            if isinstance(event, Token):
                now, sent = time.perf_counter_ns(), int(event.content)
                latencies.append((now - sent, now - arrivals[sent]))
    return latencies


async def through_bare_httpx(url: str) -> list[tuple[int, int]]:
    latencies: list[tuple[int, int]] = []
    async with (
        httpx.AsyncClient(timeout=10) as client,
        client.stream("POST", f"{url}/api/v1/chat/stream", json={"message": "bench"}) as response,
    ):
        async for chunk in response.aiter_bytes():
            now = time.perf_counter_ns()
            latencies += [(now - int(m), 0) for m in STAMP.findall(chunk)]
    return latencies


def summary(name: str, latencies: list[int]) -> dict[str, float | str | int]:
    """Quantiles in ms of one latency series (ns)."""
    ms = sorted(value / 1e6 for value in latencies)
    q = statistics.quantiles(ms, n=100)
    return {
        "path": name,
        "events": len(ms),
        "p50_ms": q[49],
        "p90_ms": q[89],
        "p99_ms": q[98],
        "max_ms": ms[-1],
    }


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--events", type=int, default=3000)
    args.add_argument("--rate", type=float, default=1000.0)
    args.add_argument("--rounds", type=int, default=6, help="alternating rounds per path")
    opts = args.parse_args()
    paths: tuple[tuple[str, Callable[[str], Awaitable[list[tuple[int, int]]]]], ...] = (
        ("bare httpx", through_bare_httpx),
        ("source", through_source),
    )
    pooled: dict[str, list[tuple[int, int]]] = {name: [] for name, _ in paths}
    per_round = opts.events // opts.rounds
    for _ in range(opts.rounds):  # alternate the paths so that load from others hits both alike
        for name, reader in paths:
            with StampingServer(per_round, opts.rate) as server:
                latencies = asyncio.run(reader(f"http://127.0.0.1:{server.port}"))
            assert len(latencies) == per_round, (name, len(latencies))
            pooled[name] += latencies
    rows = [
        summary("socket write -> bare httpx chunk", [t for t, _ in pooled[paths[0][0]]]),
        summary("socket write -> Token at the sink", [t for t, _ in pooled[paths[1][0]]]),
        summary("client-added: httpx chunk -> Token", [a for _, a in pooled[paths[1][0]]]),
    ]
    print(f"{opts.events} token events at {opts.rate:.0f}/s over loopback; latency in ms")
    print(f"{'path':36} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}")
    for row in rows:
        print(
            f"{row['path']:36} {row['p50_ms']:7.3f} {row['p90_ms']:7.3f} "
            f"{row['p99_ms']:7.3f} {row['max_ms']:7.3f}"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "client_latency.json").write_text(
        json.dumps(
            {
                "events": opts.events,
                "rate": opts.rate,
                "rounds": opts.rounds,
                "rows": rows,
                "note": "preliminary: a shared 2-core VM, server thread in the same process",
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
