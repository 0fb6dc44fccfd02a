"""Replicas behind HAProxy: one load on 1, 2 and 3 replicas, takeover after SIGKILL, start cost.

Scaling: ``--streams`` concurrent answers at 20 tokens/s (the demo backend, answers of 120
tokens, started back to back for ``--duration`` seconds) through HAProxy running
``packaging/deploy/haproxy.cfg`` in front of 1, 2 and 3 ``assist-desktop serve`` replicas on one
Redis. Reported: p50/p99 inter-token gap, TTFT p50/p99 (request sent to first token read), CPU
of each replica and of HAProxy, and every answer checked against the backend's own text. The
balancer's added latency: 100 sequential starts to one replica directly and through HAProxy,
time to the first event.

Takeover: 150 answers of 300 tokens through HAProxy with the project's own
``ReconnectingEventSource``; one replica is killed (SIGKILL) after 4 s. For every answer that
was generated there, the time from the kill to its takeover (p50, p99; the lease is the
default 5 s), from the surviving replicas' ``stream_taken_over`` log lines, and whether every
answer's text is exact.

Start path: one replica (log in Redis) receives ``--starts`` starts of one-token answers within
about 3 s; its CPU per start, and the hottest functions of a cProfile run of the same burst.

Run: ``.venv/bin/python tests/benchmarks/bench_scale_out.py [--streams N] [--duration S]
[--replicas 1,2,3] [--skip-scaling] [--skip-takeover] [--skip-start]``. Prints tables and writes
``tests/benchmarks/results/scale_out.json``. Figures from a shared 2-core machine are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import itertools
import json
import os
import pstats
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_server import QUESTIONS, TOKEN, raise_fd_limit, read_stream, reference_texts  # noqa: E402
from servers.nginx_balancer import NginxBalancer  # noqa: E402
from servers.redis_servers import RedisServer  # noqa: E402
from servers.replicas import Balancer, Replica  # noqa: E402

START = "/api/v1/chat/stream"
MAX_TOKENS = 120


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)


# --- the load process ----------------------------------------------------------------------


async def load(port: int, streams: int, duration: float) -> dict[str, Any]:
    expected = await reference_texts("demo", QUESTIONS, MAX_TOKENS)
    bodies = {
        q: json.dumps({"message": q, "options": {"max_tokens": MAX_TOKENS}}).encode()
        for q in QUESTIONS
    }
    deadline = time.perf_counter() + duration
    gaps: list[float] = []
    ttfts: list[float] = []
    totals = {"answers": 0, "exact": 0, "wrong": 0, "unfinished": 0, "refused": 0}

    async def worker(index: int) -> None:
        await asyncio.sleep(min(5.0, duration / 5) * index / streams)
        n = index
        while time.perf_counter() < deadline:
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            try:
                result = await read_stream(port, "POST", START, bodies[question])
            except (OSError, asyncio.IncompleteReadError):
                totals["unfinished"] += 1
                continue
            if result.status != 200:
                totals["refused"] += 1
                await asyncio.sleep(1)
                continue
            totals["answers"] += 1
            if not result.finished:
                totals["unfinished"] += 1
            elif result.text == expected[question]:
                totals["exact"] += 1
            else:
                totals["wrong"] += 1
            if result.token_times:
                ttfts.append(result.token_times[0] - result.started)
            gaps.extend(b - a for a, b in itertools.pairwise(result.token_times))

    await asyncio.gather(*(worker(i) for i in range(streams)))
    return {
        **totals,
        "token_gap_ms": {"p50": pct(gaps, 0.5), "p99": pct(gaps, 0.99), "max": pct(gaps, 1.0)},
        "ttft_ms": {"p50": pct(ttfts, 0.5), "p99": pct(ttfts, 0.99)},
    }


# --- helpers -------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    with contextlib.suppress(psutil.Error):
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)
    return 0.0


def replicas_on(redis: RedisServer, count: int, logs: Path, *extra: str) -> list[Replica]:
    args = ["--backend", "demo", "--token-rate", "20", "--redis-url", redis.url,
            "--max-streams-per-token", "100000", *extra]  # fmt: skip
    return [Replica(f"r{i + 1}", args, TOKEN, logs).start() for i in range(count)]


async def first_event_latency(port: int, starts: int) -> list[float]:
    body = json.dumps({"message": QUESTIONS[0], "options": {"max_tokens": 1}}).encode()
    latencies = []
    for _ in range(starts):
        sent = time.perf_counter()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            (
                f"POST {START} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
            + body
        )
        await reader.readuntil(b"id: 1\n")
        latencies.append(time.perf_counter() - sent)
        writer.close()
        with contextlib.suppress(Exception):
            await reader.read()
    return latencies


# --- scaling -------------------------------------------------------------------------------


def run_scaling(
    count: int, streams: int, duration: float, work: Path, kind: str = "haproxy"
) -> dict[str, Any]:
    work.mkdir()
    redis = RedisServer(work, persistent=False).start()
    replicas = replicas_on(redis, count, work)
    balancer: Balancer | NginxBalancer = (
        NginxBalancer(replicas, work) if kind == "nginx" else Balancer(replicas, work)
    ).start()
    try:
        pids = [r.proc.pid for r in replicas if r.proc is not None]
        balancer_pid = balancer._proc.pid if balancer._proc is not None else 0
        before = [cpu_seconds(p) for p in pids]
        balancer_before = cpu_seconds(balancer_pid)
        wall = time.perf_counter()
        loader = subprocess.run(
            [sys.executable, __file__, "--load-process", "--port", str(balancer.port),
             "--streams", str(streams), "--duration", str(duration)],
            capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
            preexec_fn=raise_fd_limit, check=True,
        )  # fmt: skip
        wall = time.perf_counter() - wall
        cpu = [
            round(100 * (cpu_seconds(p) - b) / wall, 1) for p, b in zip(pids, before, strict=True)
        ]
        balancer_cpu = round(100 * (cpu_seconds(balancer_pid) - balancer_before) / wall, 1)
        report = json.loads(loader.stdout)
        direct = asyncio.run(first_event_latency(replicas[0].port, 100))
        through = asyncio.run(first_event_latency(balancer.port, 100))
    finally:
        balancer.stop()
        for replica in replicas:
            replica.stop()
        redis.stop()
    return {
        "balancer": kind,
        "replicas": count,
        "streams": streams,
        "duration_s": duration,
        **report,
        "replica_cpu_percent": cpu,
        "balancer_cpu_percent": balancer_cpu,
        "first_event_ms": {
            "direct_p50": pct(direct, 0.5),
            "balancer_p50": pct(through, 0.5),
            "direct_p99": pct(direct, 0.99),
            "balancer_p99": pct(through, 0.99),
        },
    }


# --- takeover ------------------------------------------------------------------------------


async def takeover_load(url: str, victim: Replica, streams: int) -> dict[str, Any]:
    import httpx

    from desktop.protocol.events import Token
    from desktop.protocol.request import ChatOptions, ChatRequest
    from desktop.streaming.config import ClientConfig
    from desktop.streaming.source import ReconnectingEventSource

    requests = [
        ChatRequest(f"{QUESTIONS[i % len(QUESTIONS)]} ({i})", options=ChatOptions(max_tokens=300))
        for i in range(streams)
    ]
    expected = [await _expected(r) for r in requests]
    config = ClientConfig(base_url=url, token=TOKEN, max_attempts=12, backoff_cap=2.0)
    texts = [""] * streams

    async def one(index: int, client: httpx.AsyncClient) -> None:
        source = ReconnectingEventSource(client, config, requests[index])
        async for event in source.events():
            if isinstance(event, Token):
                texts[index] += event.content

    limits = httpx.Limits(max_connections=None)
    async with httpx.AsyncClient(timeout=config.timeout, limits=limits) as client:
        tasks = [asyncio.create_task(one(i, client)) for i in range(streams)]
        await asyncio.sleep(4.0)
        owned = re.search(r"^assist_streams_active (\S+)", victim.metrics(), re.M)
        killed_wall = time.time()
        victim.proc.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
        await asyncio.to_thread(victim.proc.wait)  # type: ignore[union-attr]
        await asyncio.gather(*tasks)
    return {
        "streams": streams,
        "exact": sum(t == e for t, e in zip(texts, expected, strict=True)),
        "owned_by_the_killed_replica": float(owned.group(1)) if owned else None,
        "killed_at_unix": killed_wall,
    }


TAKEN_OVER = re.compile(r"^time=(\S+) .* stream_taken_over ", re.M)


def takeover_delays(logs: str, killed_at_unix: float) -> list[float]:
    """Seconds from the kill to each ``stream_taken_over`` line of the surviving replicas."""
    return [
        datetime.fromisoformat(stamp).timestamp() - killed_at_unix
        for stamp in TAKEN_OVER.findall(logs)
    ]


async def _expected(request: Any) -> str:
    from desktop.protocol.events import Token

    backend = _demo()
    generation = await backend.open(request)
    return "".join([e.content async for e in generation.events() if isinstance(e, Token)])


_DEMO: list[Any] = []


def _demo() -> Any:
    from desktop.server.backends.demo import DemoBackend

    if not _DEMO:
        _DEMO.append(DemoBackend(token_rate=0))
    return _DEMO[0]


def run_takeover(streams: int, work: Path) -> dict[str, Any]:
    work.mkdir()
    redis = RedisServer(work).start()
    replicas = replicas_on(redis, 3, work)
    balancer = Balancer(replicas, work).start()
    try:
        report = asyncio.run(takeover_load(balancer.url, replicas[0], streams))
    finally:
        balancer.stop()
        for replica in replicas[1:]:
            replica.stop()
        redis.stop()
    delays = takeover_delays("".join(r.log_text() for r in replicas[1:]), report["killed_at_unix"])
    report["taken_over"] = len(delays)
    report["kill_to_takeover_ms"] = {"p50": pct(delays, 0.5), "p99": pct(delays, 0.99)}
    return report


# --- the start path ------------------------------------------------------------------------


async def burst(port: int, starts: int, within: float) -> int:
    bodies = [
        json.dumps({"message": f"{QUESTIONS[i % len(QUESTIONS)]} {i}",
                    "options": {"max_tokens": 1}}).encode()
        for i in range(starts)
    ]  # fmt: skip

    async def one(index: int) -> bool:
        await asyncio.sleep(within * index / starts)
        result = await read_stream(port, "POST", START, bodies[index], keep_times=False)
        return result.finished

    return sum(await asyncio.gather(*(one(i) for i in range(starts))))


START_SETUPS = {
    "demo + redis": ("demo", True),
    "demo + memory": ("demo", False),
    "scripted + memory": ("tests.servers.scripted_backend:create", False),
}


def run_start(starts: int, work: Path) -> dict[str, Any]:
    """CPU per start of one replica for the same burst, with and without search and Redis.

    The scripted backend does no retrieval and the memory log no Redis round trips, so the last
    setup is what the HTTP and SSE machinery alone costs a start; the difference to the first
    is what search and the shared log add.
    """
    work.mkdir()
    redis = RedisServer(work).start()
    figures: dict[str, Any] = {}
    try:
        for label, (backend, shared) in START_SETUPS.items():
            args = ["--backend", backend, "--token-rate", "20", "--max-streams-per-token", "100000"]
            if shared:
                args += ["--redis-url", redis.url]
            replica = Replica(label.replace(" ", "").replace("+", "-"), args, TOKEN, work).start()
            try:
                pid = replica.proc.pid  # type: ignore[union-attr]
                asyncio.run(burst(replica.port, 50, 0.5))  # warm up
                time.sleep(1.5)
                before = cpu_seconds(pid)
                finished = asyncio.run(burst(replica.port, starts, 3.0))
                time.sleep(1.5)  # the one-token answers end after the demo's thinking pause
                spent = cpu_seconds(pid) - before
            finally:
                replica.stop()
            figures[label] = {
                "finished": finished,
                "cpu_ms_per_start": round(1000 * spent / starts, 2),
            }
        profile = profile_start(redis.url, min(starts, 300))
    finally:
        redis.stop()
    return {"starts": starts, "setups": figures, "profile_top": profile}


#: Waiting in the event loop's selector is idle time, not a start's cost.
IDLE = frozenset({"<method 'poll' of 'select.epoll' objects>"})
#: The server's own steps on the start path, shown by cumulative time.
OURS = ("app.py", "runner.py", "redis_streams.py", "limits.py", "demo.py", "demo_answer.py",
        "event_stream.py", "knowledge.py")  # fmt: skip


def profile_start(redis_url: str, starts: int) -> dict[str, Any]:
    """The same burst against an in-process server under cProfile: where a start's CPU goes."""
    from servers.server_thread import ServerThread

    server = ServerThread(
        backend=None, token=TOKEN, redis_url=redis_url, token_rate=20, key_prefix="profile",
        max_streams_per_token=100000,
    ).start()  # fmt: skip
    try:
        asyncio.run(burst(server.port, 30, 0.3))
        profiler = cProfile.Profile()
        assert server.loop is not None
        server.loop.call_soon_threadsafe(profiler.enable)
        asyncio.run(burst(server.port, starts, 3.0))
        server.loop.call_soon_threadsafe(profiler.disable)
        time.sleep(0.2)
    finally:
        server.stop()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if name in IDLE:
            continue
        rows.append(
            {
                "function": f"{Path(filename).name}:{line}:{name}",
                "calls": calls,
                "self_ms_per_start": round(1000 * tottime / starts, 3),
                "cum_ms_per_start": round(1000 * cumtime / starts, 3),
            }
        )
    busy = sum(r["self_ms_per_start"] for r in rows)
    by_self = sorted(rows, key=lambda r: r["self_ms_per_start"], reverse=True)[:15]
    ours = [r for r in rows if any(part in r["function"] for part in OURS)]
    by_cum = sorted(ours, key=lambda r: r["cum_ms_per_start"], reverse=True)[:15]
    return {"busy_ms_per_start": round(busy, 2), "by_self": by_self, "ours_by_cumulative": by_cum}


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load-process", action="store_true")
    parser.add_argument("--port", type=int)
    parser.add_argument("--streams", type=int, default=300)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--replicas", default="1,2,3")
    parser.add_argument("--starts", type=int, default=1000)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-takeover", action="store_true")
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--balancer", choices=("haproxy", "nginx"), default="haproxy")
    args = parser.parse_args()
    if args.load_process:
        print(json.dumps(asyncio.run(load(args.port, args.streams, args.duration))))
        return 0
    raise_fd_limit()
    report: dict[str, Any] = {"machine": "shared 2-core VM; figures are noisy"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_scaling:
            report["scaling"] = []
            print(
                "| replicas | answers | exact | gap p50 | gap p99 | TTFT p50 | TTFT p99 | "
                f"replica CPU % | {args.balancer} CPU % | first event direct / balancer p50 |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|")
            for count in (int(c) for c in args.replicas.split(",")):
                row = run_scaling(
                    count, args.streams, args.duration, work / f"scale{count}", args.balancer
                )
                report["scaling"].append(row)
                fe = row["first_event_ms"]
                print(
                    f"| {count} | {row['answers']} | {row['exact']} | "
                    f"{row['token_gap_ms']['p50']} | {row['token_gap_ms']['p99']} | "
                    f"{row['ttft_ms']['p50']} | {row['ttft_ms']['p99']} | "
                    f"{row['replica_cpu_percent']} | {row['balancer_cpu_percent']} | "
                    f"{fe['direct_p50']} / {fe['balancer_p50']} |",
                    flush=True,
                )
        if not args.skip_takeover:
            takeover = run_takeover(150, work / "takeover")
            report["takeover"] = takeover
            waits = takeover["kill_to_takeover_ms"]
            print(
                f"\ntakeover (lease 5 s): {takeover['taken_over']} of the killed replica's "
                f"{takeover['owned_by_the_killed_replica']} answers taken over, kill -> takeover "
                f"p50 {waits['p50']} ms, p99 {waits['p99']} ms (server logs); "
                f"{takeover['exact']}/{takeover['streams']} answers exact",
                flush=True,
            )
        if not args.skip_start:
            start = run_start(args.starts, work / "start")
            report["start"] = start
            profile = start["profile_top"]
            print(f"\nstart path: {start['starts']} starts within 3 s, one-token answers")
            print("| setup | finished | CPU ms per start |\n|---|---|---|")
            for label, row in start["setups"].items():
                print(f"| {label} | {row['finished']} | {row['cpu_ms_per_start']} |")
            print(
                f"in-process cProfile (demo + redis; profiling inflates it): "
                f"{profile['busy_ms_per_start']} ms busy per start"
            )
            for title, key in (("self", "by_self"), ("cumulative, ours", "ours_by_cumulative")):
                print(f"  by {title} (self ms, cumulative ms, calls, function):")
                for row in profile[key]:
                    print(
                        f"  {row['self_ms_per_start']:8.3f}  {row['cum_ms_per_start']:8.3f}  "
                        f"{row['calls']:7d}  {row['function']}"
                    )
    RESULTS.mkdir(exist_ok=True)
    name = "scale_out.json" if args.balancer == "haproxy" else f"scale_out_{args.balancer}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {RESULTS / name} (a shared 2-core machine: noisy figures)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
