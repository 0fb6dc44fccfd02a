"""What the nscale gateway adds: time to first token and CPU per event, against a direct client.

Three processes: the fake nscale-assist (``tests/servers/nscale``) at the real backend's pace
(10 ms after each token, about 90 tokens/s), the gateway (``python -m desktop serve --backend
nscale``) in front of it, and this load generator. Each phase runs N concurrent streams, each
answer ``--tokens`` long, for ``--rounds`` rounds, then stops:

* direct: every stream asks the fake itself (``POST /api/v1/question/stream``) and decodes the
  v1 body with the project's decoder, as the ``nscale`` client protocol does;
* gateway: every stream asks the gateway (``POST /api/v1/chat/stream``) and reads SSE.

Time to first token runs from sending the request to receiving the first answer token. The
gateway's CPU (user + system, psutil) over its phase, divided by the events its clients
received, is its cost per event; the fake's CPU per phase is shown beside it for scale. Each
answer is checked against the fake's text. The readers are raw asyncio HTTP/1.1 clients, so
the load generator itself costs little on a small machine.

Run: ``.venv/bin/python tests/benchmarks/bench_gateway.py [--streams 100] [--tokens 300]
[--rounds 2]``. Prints a table and writes ``tests/benchmarks/results/gateway.json``. Figures
from a shared 2-core machine are noisy and preliminary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
QUESTION = "Wie lege ich eine Akte an?"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answer_tokens(count: int) -> tuple[str, ...]:
    return tuple(f" Wort{i}ä" for i in range(count))


# --- the fake, in its own process -----------------------------------------------------------


def serve_fake(port: int, tokens: int) -> None:
    """Run the fake nscale-assist on ``port`` until killed; every question gets ``tokens``."""
    import uvicorn
    from servers.nscale import EMAIL, PASSWORD
    from servers.nscale.app import FakeNscale
    from servers.nscale.streams import answer

    fake = FakeNscale()
    fake.accounts.add(EMAIL, PASSWORD)
    script = answer(answer_tokens(tokens))
    fake.default = lambda _question: script
    fake.generations = _Forgetful()
    config = uvicorn.Config(
        fake.app(),
        host="127.0.0.1",
        port=port,
        http="h11",
        lifespan="off",
        log_level="critical",
        access_log=False,
        backlog=4096,
    )
    uvicorn.Server(config).run()


class _Forgetful(list[Any]):
    """The fake records every generation; a long benchmark need not keep them."""

    def append(self, _item: Any) -> None:
        pass


# --- the reader -----------------------------------------------------------------------------


@dataclass
class Stream:
    status: int = 0
    ttft: float | None = None
    events: int = 0
    text: str = ""
    finished: bool = False


async def read_one(port: int, path: str, body: bytes, token: str, gateway: bool) -> Stream:
    """One request on a fresh connection, read to the end of its chunked body."""
    from desktop.protocol.events import Token
    from desktop.protocol.sse import SSEParser
    from desktop.protocol.upstream.chat_stream import EndOfStream
    from desktop.protocol.upstream.nscale import V1StreamDecoder

    result = Stream()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = time.perf_counter()
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        + body
    )
    pieces: list[str] = []
    sse, v1 = SSEParser(), V1StreamDecoder()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        result.status = int(head.split(b" ", 2)[1])
        if result.status != 200:
            return result
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            if size == 0:
                break
            chunk = (await reader.readexactly(size + 2))[:-2]
            if gateway:
                for message in sse.feed(chunk):
                    result.events += 1
                    if message.event == "token":
                        result.ttft = result.ttft or time.perf_counter() - sent
                        pieces.append(json.loads(message.data)["content"])
                    elif message.event == "done":
                        result.finished = True
            else:
                for fact in v1.feed(chunk):
                    result.events += 1
                    if isinstance(fact, Token):
                        result.ttft = result.ttft or time.perf_counter() - sent
                        pieces.append(fact.content)
                    elif isinstance(fact, EndOfStream):
                        result.finished = True
    finally:
        writer.close()
    result.text = "".join(pieces)
    return result


async def login(port: int) -> str:
    from servers.nscale import EMAIL, PASSWORD

    body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            f"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body
    )
    raw = await reader.read()
    writer.close()
    token: str = json.loads(raw.split(b"\r\n\r\n", 1)[1])["access_token"]
    return token


async def phase(
    port: int, gateway: bool, token: str, streams: int, rounds: int, expected: str
) -> dict[str, Any]:
    """``rounds`` rounds of ``streams`` concurrent answers; the per-stream figures pooled."""
    if gateway:
        path, body = "/api/v1/chat/stream", json.dumps({"message": QUESTION}).encode()
    else:
        path = "/api/v1/question/stream"
        body = json.dumps({"question": QUESTION, "session_id": 1}).encode()
    results: list[Stream] = []
    started = time.perf_counter()
    for _ in range(rounds):
        results += await asyncio.gather(
            *(read_one(port, path, body, token, gateway) for _ in range(streams))
        )
    ttfts = sorted(r.ttft for r in results if r.ttft is not None)
    return {
        "answers": len(results),
        "exact": sum(r.finished and r.text == expected for r in results),
        "refused": sum(r.status != 200 for r in results),
        "statuses": dict(Counter(r.status for r in results)),
        "unfinished": sum(r.status == 200 and not r.finished for r in results),
        "events": sum(r.events for r in results),
        "wall_s": round(time.perf_counter() - started, 2),
        "ttft_ms": {
            "p50": round(1000 * statistics.median(ttfts), 1) if ttfts else None,
            "p95": round(1000 * ttfts[int(0.95 * (len(ttfts) - 1))], 1) if ttfts else None,
            "max": round(1000 * ttfts[-1], 1) if ttfts else None,
        },
    }


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("a server exited during startup")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("a server did not come up")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve-fake", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake:
        serve_fake(args.serve_fake, args.tokens)
        return 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))

    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    env.pop("ASSIST_SERVER_TOKEN", None)
    fake_port, gateway_port = free_port(), free_port()
    fake = subprocess.Popen(
        [sys.executable, __file__, "--serve-fake", str(fake_port), "--tokens", str(args.tokens)],
        env=env,
    )
    gateway = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop",
            "serve",
            "--backend",
            "nscale",
            "--upstream-url",
            f"http://127.0.0.1:{fake_port}",
            "--port",
            str(gateway_port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_listening(fake_port, fake)
        wait_listening(gateway_port, gateway)
        expected = "".join(answer_tokens(args.tokens))
        fake_ps, gateway_ps = psutil.Process(fake.pid), psutil.Process(gateway.pid)
        token = asyncio.run(login(fake_port))
        for port, through_gateway in ((fake_port, False), (gateway_port, True)):
            # warm-up: first requests pay for imports and connection pools, not the path
            asyncio.run(phase(port, through_gateway, token, 5, 1, expected))
        report: dict[str, Any] = {
            "streams": args.streams,
            "tokens_per_answer": args.tokens,
            "rounds": args.rounds,
            "pace": "the fake's 10 ms after each token (about 90 tokens/s per stream)",
            "machine": f"{os.cpu_count()} cores, shared with other work: figures are noisy",
        }
        for name, through_gateway in (("direct", False), ("gateway", True)):
            fake_cpu, gateway_cpu = cpu_seconds(fake_ps), cpu_seconds(gateway_ps)
            result = asyncio.run(
                phase(
                    gateway_port if through_gateway else fake_port,
                    through_gateway,
                    token,
                    args.streams,
                    args.rounds,
                    expected,
                )
            )
            result["fake_cpu_s"] = round(cpu_seconds(fake_ps) - fake_cpu, 2)
            result["gateway_cpu_s"] = round(cpu_seconds(gateway_ps) - gateway_cpu, 2)
            report[name] = result
        direct, through = report["direct"], report["gateway"]
        report["added_ttft_ms"] = {
            key: round(through["ttft_ms"][key] - direct["ttft_ms"][key], 1)
            for key in ("p50", "p95")
            if through["ttft_ms"][key] is not None and direct["ttft_ms"][key] is not None
        }
        report["gateway_cpu_us_per_event"] = (
            round(1e6 * through["gateway_cpu_s"] / through["events"], 1)
            if through["events"]
            else None
        )
    finally:
        for process in (gateway, fake):
            process.terminate()
        for process in (gateway, fake):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    print(
        f"\n{args.streams} streams x {args.rounds} rounds, {args.tokens} tokens each, "
        "at the fake's pace (~90 tokens/s); shared 2-core machine: noisy\n"
    )
    print(
        "| path | exact/answers | events | TTFT p50 ms | TTFT p95 ms | wall s "
        "| fake CPU s | gateway CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in ("direct", "gateway"):
        r = report[name]
        print(
            f"| {name} | {r['exact']}/{r['answers']} | {r['events']} | {r['ttft_ms']['p50']} "
            f"| {r['ttft_ms']['p95']} | {r['wall_s']} | {r['fake_cpu_s']} | {r['gateway_cpu_s']} |"
        )
    print(
        f"\nadded TTFT: {report['added_ttft_ms']} ms; "
        f"gateway CPU per event: {report['gateway_cpu_us_per_event']} us"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "gateway.json").write_text(json.dumps(report, indent=2) + "\n")
    ok = all(report[n]["exact"] == report[n]["answers"] for n in ("direct", "gateway"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
