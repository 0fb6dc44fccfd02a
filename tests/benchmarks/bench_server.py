"""The reference server under load: many concurrent streams, and the single-stream ceiling.

Load: one server process (``python -m desktop serve --token-rate 20``) and, in a separate
process, N concurrent streams for a bounded time; each worker starts answers back to back until
the time is up. Every answer's text is compared with the backend's own deterministic answer
(generated in the load process at token rate 0), the gaps between consecutive token events are
collected per stream, and the server's CPU and RSS are sampled with psutil.

Ceiling: the same server with ``--token-rate 0`` streaming one long answer (the scripted test
backend, 20,000 tokens by default) to one reader, in events/s; beside it a bare sse-starlette
``EventSourceResponse`` and a bare Starlette ``StreamingResponse`` in their own process, each
sending exactly the bytes of that answer one event per write.

The readers are raw asyncio HTTP/1.1 clients (chunked decoding plus the project's ``SSEParser``)
so that the load generator costs as little CPU as possible on a small machine.

Run: ``.venv/bin/python tests/benchmarks/bench_server.py [--streams N] [--duration S]
[--backend demo|scripted] [--skip-load] [--skip-ceiling]``. Prints a table and writes
``tests/benchmarks/results/server.json``. Figures from a shared 2-core machine are preliminary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
SCRIPTED = "tests.servers.scripted_backend:create"
TOKEN = "bench-token"
QUESTIONS = (
    "Wie exportiere ich eine Unterhaltung?",
    "How do I search the archive?",
    "Ich kann mich nicht anmelden",
    "Who may delete documents?",
    "Wie lange werden Dokumente aufbewahrt?",
)

sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


# --- the reader ---------------------------------------------------------------------------


@dataclass
class StreamResult:
    text: str = ""
    events: int = 0
    token_times: list[float] = field(default_factory=list)
    finished: bool = False
    status: int = 0
    started: float = 0.0
    ended: float = 0.0


async def read_stream(
    port: int, method: str, path: str, body: bytes = b"", keep_times: bool = True
) -> StreamResult:
    """One request over a fresh connection, read to the end of its chunked body."""
    from desktop.protocol.sse import SSEParser

    result = StreamResult(started=time.perf_counter())
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    try:
        headers = await reader.readuntil(b"\r\n\r\n")
        result.status = int(headers.split(b" ", 2)[1])
        if result.status != 200:
            return result
        parser = SSEParser()
        pieces: list[str] = []
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            if size == 0:
                break
            chunk = (await reader.readexactly(size + 2))[:-2]
            now = time.perf_counter()
            for message in parser.feed(chunk):
                result.events += 1
                if message.event == "token":
                    pieces.append(json.loads(message.data)["content"])
                    if keep_times:
                        result.token_times.append(now)
                elif message.event == "done":
                    result.finished = True
        result.text = "".join(pieces)
    finally:
        result.ended = time.perf_counter()
        writer.close()
    return result


async def reference_texts(
    backend: str, messages: tuple[str, ...], max_tokens: int
) -> dict[str, str]:
    """The backend's answers generated in this process at token rate 0 (they are deterministic)."""
    from desktop.protocol.events import Token
    from desktop.protocol.request import ChatOptions, ChatRequest
    from desktop.server.runtime import load_backend
    from desktop.server.settings import ServerSettings

    settings = ServerSettings(backend=backend, token_rate=0)
    texts = {}
    instance = load_backend(settings)
    for message in messages:
        request = ChatRequest(message, options=ChatOptions(max_tokens=max_tokens))
        generation = await instance.open(request)
        texts[message] = "".join(
            [e.content async for e in generation.events() if isinstance(e, Token)]
        )
    await instance.aclose()
    return texts


async def load(port: int, streams: int, duration: float, backend: str) -> dict[str, Any]:
    """N workers starting answers back to back until ``duration`` has passed.

    ``backend`` names the server's backend (to know the exact answers), or ``bare:<path>`` for
    the bare endpoints, whose answer is :func:`paced_frames`.
    """
    max_tokens = 120
    if backend.startswith("bare:"):
        method, path = "GET", backend.removeprefix("bare:")
        text = paced_text()
        expected = dict.fromkeys(QUESTIONS, text)
        bodies = dict.fromkeys(QUESTIONS, b"")
    else:
        method, path = "POST", "/api/v1/chat/stream"
        expected = await reference_texts(backend, QUESTIONS, max_tokens)
        bodies = {
            q: json.dumps({"message": q, "options": {"max_tokens": max_tokens}}).encode()
            for q in QUESTIONS
        }
    ramp = min(5.0, duration / 5)
    deadline = time.perf_counter() + duration
    gaps: list[float] = []
    totals = {"answers": 0, "exact": 0, "wrong": 0, "unfinished": 0, "refused": 0, "events": 0}

    async def worker(index: int) -> None:
        await asyncio.sleep(ramp * index / streams)
        n = index
        while time.perf_counter() < deadline:
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            try:
                result = await read_stream(port, method, path, bodies[question])
            except (OSError, asyncio.IncompleteReadError):
                totals["unfinished"] += 1
                continue
            if result.status != 200:
                totals["refused"] += 1
                await asyncio.sleep(1)
                continue
            totals["answers"] += 1
            totals["events"] += result.events
            if not result.finished:
                totals["unfinished"] += 1
            elif result.text == expected[question]:
                totals["exact"] += 1
            else:
                totals["wrong"] += 1
            times = result.token_times
            gaps.extend(b - a for a, b in itertools.pairwise(times))

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(streams)))
    gaps.sort()

    def pct(p: float) -> float:
        return round(1000 * gaps[min(len(gaps) - 1, int(p * len(gaps)))], 1) if gaps else 0.0

    return {
        **totals,
        "wall_s": round(time.perf_counter() - started, 1),
        "token_gap_ms": {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99), "max": pct(1.0)},
        "token_gaps": len(gaps),
    }


def paced_frames() -> list[bytes]:
    """The bare endpoints' paced answer: 120 scripted tokens, ``progress`` every ten, ``done``."""
    from desktop.protocol.events import Done, Progress, Token
    from desktop.protocol.request import ChatOptions, ChatRequest
    from desktop.protocol.wire import encode_event
    from tests.servers.scripted_backend import answer_words

    frames: list[bytes] = []
    next_id = 1
    for index, word in enumerate(
        answer_words(ChatRequest("bare", options=ChatOptions(max_tokens=120)))
    ):
        frames.append(encode_event(Token(next_id, word, index)))
        next_id += 1
        if index % 10 == 9:
            frames.append(encode_event(Progress(next_id, index + 1)))
            next_id += 1
    frames.append(encode_event(Done(next_id, "stop")))
    return frames


def paced_text() -> str:
    from desktop.protocol.request import ChatOptions, ChatRequest
    from tests.servers.scripted_backend import expected_text

    return expected_text(ChatRequest("bare", options=ChatOptions(max_tokens=120)))


# --- processes ------------------------------------------------------------------------------


def wait_healthy(port: int, proc: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during startup")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(
                    f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
                )
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not come up")


def start_server(
    backend: str, token_rate: float, streams: int, redis_url: str | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "desktop",
        "serve",
        "--port",
        str(port),
        "--backend",
        backend,
        "--token-rate",
        str(token_rate),
        "--token",
        TOKEN,
        "--log-level",
        "warning",
        "--max-streams-per-token",
        str(streams + 100),
    ]
    if redis_url:
        command += ["--redis-url", redis_url]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=raise_fd_limit)
    wait_healthy(port, proc)
    return proc, port


def events_sent(port: int) -> float:
    """The server's ``assist_events_sent_total`` from ``/metrics``."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    for line in data.decode().splitlines():
        if line.startswith("assist_events_sent_total "):
            return float(line.split()[1])
    return 0.0


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_bare(frames_file: Path | None = None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, __file__, "--bare-server", "--port", str(port)]
    if frames_file is not None:
        command += ["--frames", str(frames_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=raise_fd_limit)
    wait_healthy(port, proc)
    return proc, port


def run_load(
    streams: int, duration: float, target: str, redis_url: str | None = None
) -> dict[str, Any]:
    """Load one server (``demo``, ``scripted``, ``bare-sse`` or ``bare-plain``) from a subprocess.

    CPU and events are taken over the whole life of the load process (ramp included), so the
    per-event figure compares alike between the reference server and the bare endpoints.
    """
    if target.startswith("bare-"):
        proc, port = start_bare()
        backend = "bare:/sse_paced" if target == "bare-sse" else "bare:/plain_paced"
    else:
        backend = "demo" if target == "demo" else SCRIPTED
        proc, port = start_server(backend, 20, streams, redis_url)
    try:
        server = psutil.Process(proc.pid)
        rss_idle = server.memory_info().rss
        cpu_start, wall_start = server.cpu_times(), time.perf_counter()
        loader = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--load-process",
                "--port",
                str(port),
                "--streams",
                str(streams),
                "--duration",
                str(duration),
                "--backend",
                backend,
            ],
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            preexec_fn=raise_fd_limit,
        )
        load_proc = psutil.Process(loader.pid)
        rss_peak, load_cpu = 0, 0.0
        while loader.poll() is None:
            rss_peak = max(rss_peak, server.memory_info().rss)
            with contextlib.suppress(psutil.Error):
                times = load_proc.cpu_times()
                load_cpu = times.user + times.system
            time.sleep(0.5)
        cpu_end, wall_end = server.cpu_times(), time.perf_counter()
        out, _ = loader.communicate(timeout=60)
        report = json.loads(out)
    finally:
        stop(proc)
    busy = (cpu_end.user + cpu_end.system) - (cpu_start.user + cpu_start.system)
    system = cpu_end.system - cpu_start.system
    wall = wall_end - wall_start
    events = report["events"]
    report.update(
        target=target + (" + redis" if redis_url and not target.startswith("bare-") else ""),
        streams=streams,
        duration_s=duration,
        token_rate=20,
        events_per_s=round(events / wall),
        server_cpu_percent=round(100 * busy / wall, 1),
        server_cpu_us_per_event=round(1e6 * busy / events, 1) if events else None,
        server_cpu_system_share=round(system / busy, 2) if busy else None,
        load_process_cpu_percent=round(100 * load_cpu / wall, 1),
        server_rss_idle_mb=round(rss_idle / 2**20, 1),
        server_rss_peak_mb=round(rss_peak / 2**20, 1),
        rss_mb_per_100_streams=round((rss_peak - rss_idle) / 2**20 / streams * 100, 2),
    )
    return report


def print_load(lo: dict[str, Any]) -> None:
    gaps = lo["token_gap_ms"]
    print(f"\nload: {lo['target']}, {lo['streams']} streams x {lo['duration_s']} s, 20 tokens/s")
    row("answers (exact text)", f"{lo['answers']} ({lo['exact']})")
    row("wrong / unfinished / 429", f"{lo['wrong']} / {lo['unfinished']} / {lo['refused']}")
    row("token gap p50 / p99 / max", f"{gaps['p50']} / {gaps['p99']} / {gaps['max']} ms")
    row("events/s", lo["events_per_s"])
    row("server CPU", f"{lo['server_cpu_percent']} %")
    share = lo["server_cpu_system_share"] or 0
    row("server CPU/event (kernel)", f"{lo['server_cpu_us_per_event']} us ({100 * share:.0f} %)")
    row("load process CPU", f"{lo['load_process_cpu_percent']} %")
    row("server RSS idle / peak", f"{lo['server_rss_idle_mb']} / {lo['server_rss_peak_mb']} MB")
    row("RSS per 100 streams", f"{lo['rss_mb_per_100_streams']} MB")


def bare_server(port: int, frames_file: str | None) -> None:
    """``--bare-server``: sse-starlette and plain Starlette endpoints replaying fixed frames."""
    import uvicorn
    from sse_starlette import EventSourceResponse
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    data = Path(frames_file).read_bytes() if frames_file else b""
    frames = [frame + b"\n\n" for frame in data.split(b"\n\n") if frame]

    async def frames_iter() -> Any:
        for frame in frames:
            yield frame

    paced = paced_frames()

    async def paced_iter() -> Any:
        for frame in paced:
            if b"event: token" in frame:
                await asyncio.sleep(0.05)  # 20 tokens/s, as the server's load test
            yield frame

    async def sse(request: Any) -> EventSourceResponse:
        return EventSourceResponse(frames_iter(), ping=15)

    async def sse_paced(request: Any) -> EventSourceResponse:
        return EventSourceResponse(paced_iter(), ping=15)

    async def plain_paced(request: Any) -> StreamingResponse:
        return StreamingResponse(paced_iter(), media_type="text/event-stream")

    async def plain(request: Any) -> StreamingResponse:
        return StreamingResponse(frames_iter(), media_type="text/event-stream")

    async def health(request: Any) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("ok")

    app = Starlette(
        routes=[
            Route("/sse", sse),
            Route("/plain", plain),
            Route("/sse_paced", sse_paced),
            Route("/plain_paced", plain_paced),
            Route("/healthz", health),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def events_per_second(port: int, method: str, path: str, body: bytes = b"") -> tuple[float, int]:
    result = asyncio.run(read_stream(port, method, path, body, keep_times=False))
    return result.events / (result.ended - result.started), result.events


def run_ceiling(tokens: int, repeats: int = 3) -> dict[str, Any]:
    proc, port = start_server(SCRIPTED, 0, 10)
    body = json.dumps({"message": "ceiling", "options": {"max_tokens": tokens}}).encode()
    try:
        live = [
            events_per_second(port, "POST", "/api/v1/chat/stream", body) for _ in range(repeats)
        ]
        # the bytes of one finished answer, for the bare endpoints
        stream_id = _last_stream_id(port, body)
        replay = [
            events_per_second(port, "GET", f"/api/v1/streams/{stream_id}/events")
            for _ in range(repeats)
        ]
        frames = _fetch_raw(port, f"/api/v1/streams/{stream_id}/events")
    finally:
        stop(proc)
    frames_file = RESULTS / "server_frames.sse"
    frames_file.write_bytes(frames)
    bare_port = free_port()
    bare = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--bare-server",
            "--port",
            str(bare_port),
            "--frames",
            str(frames_file),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        wait_healthy(bare_port, bare)
        sse = [events_per_second(bare_port, "GET", "/sse") for _ in range(repeats)]
        plain = [events_per_second(bare_port, "GET", "/plain") for _ in range(repeats)]
    finally:
        stop(bare)
    best = {
        "server_live": max(r for r, _ in live),
        "server_replay": max(r for r, _ in replay),
        "bare_sse_starlette": max(r for r, _ in sse),
        "bare_streaming_response": max(r for r, _ in plain),
    }
    return {
        "events": live[0][1],
        "events_per_s": {k: round(v) for k, v in best.items()},
        "bare_sse_over_server_live": round(best["bare_sse_starlette"] / best["server_live"], 2),
    }


def _last_stream_id(port: int, body: bytes) -> str:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        head = (
            f"POST /api/v1/chat/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"x-stream-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise RuntimeError("no X-Stream-Id")


def _fetch_raw(port: int, path: str) -> bytes:
    """The decoded body of a replay: every event frame (the retry line dropped)."""
    from desktop.protocol.sse import SSEParser

    async def fetch() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await reader.readuntil(b"\r\n\r\n")
        body = b""
        while size := int((await reader.readline()).strip() or b"0", 16):
            body += (await reader.readexactly(size + 2))[:-2]
        writer.close()
        return body

    body = asyncio.run(fetch())
    frames = [block for block in body.split(b"\n\n") if block.startswith(b"id:")]
    assert len(SSEParser().feed(b"\n\n".join(frames) + b"\n\n")) == len(frames)
    return b"\n\n".join(frames) + b"\n\n"


def row(label: str, value: object) -> None:
    print(f"  {label:<28}{value!s:>22}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument(
        "--targets",
        default="demo,bare-sse",
        help="comma-separated: demo, scripted, bare-sse, bare-plain (default demo,bare-sse)",
    )
    parser.add_argument("--backend", default="demo", help=argparse.SUPPRESS)
    parser.add_argument("--redis-url", help="give the server this Redis for its stream logs")
    parser.add_argument("--ceiling-tokens", type=int, default=20_000)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-ceiling", action="store_true")
    parser.add_argument("--load-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--frames", help=argparse.SUPPRESS)
    args = parser.parse_args()
    raise_fd_limit()
    if args.load_process:
        report = asyncio.run(load(args.port, args.streams, args.duration, args.backend))
        print(json.dumps(report))
        return 0
    if args.bare_server:
        bare_server(args.port, args.frames)
        return 0

    RESULTS.mkdir(exist_ok=True)
    report: dict[str, Any] = {"cpus": os.cpu_count(), "load_average": os.getloadavg()}
    if not args.skip_load:
        report["load"] = []
        for target in args.targets.split(","):
            report["load"].append(run_load(args.streams, args.duration, target, args.redis_url))
            print_load(report["load"][-1])
    if not args.skip_ceiling:
        report["ceiling"] = run_ceiling(args.ceiling_tokens)
        ce = report["ceiling"]
        print(f"\nsingle-stream ceiling, {ce['events']} events, one event per write")
        for name, rate in ce["events_per_s"].items():
            row(name, f"{rate} events/s")
        row("bare sse-starlette / server", f"{ce['bare_sse_over_server_live']}x")
    (RESULTS / "server.json").write_text(json.dumps(report, indent=2))
    print(f"\nwrote {RESULTS / 'server.json'} (preliminary: a shared 2-core machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
