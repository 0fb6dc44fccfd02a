"""The demo backend alone: events/s at ``token_rate=0``, and knowledge-search latency.

Measures what the demo costs the reference server per stream, without HTTP or the stream log:
``open()`` (language guess, search, answer composition) and iterating ``events()`` at rate 0,
for a mix of German and English questions (and one that finds nothing). Search latency is
timed per query over the same mix, p50 and p99. Also: how long the index takes to build, and
a crowd of paced generations (default 1,000 at 20 tokens/s for 5 s, the server benchmark's
load): the CPU share they take and how late their tokens come against the schedule.

Run: ``.venv/bin/python tests/benchmarks/bench_demo_backend.py [--rounds N]``.
Prints a table and writes ``tests/benchmarks/results/demo_backend.json``. Figures from a shared
2-core machine are preliminary: compare rows of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from desktop.protocol.events import Token
from desktop.protocol.request import ChatRequest
from desktop.server.backends.demo import MAX_THINK_S, THINK_TOKENS, DemoBackend
from desktop.server.backends.knowledge import KnowledgeBase

RESULTS = Path(__file__).parent / "results"
QUESTIONS = [
    "Wie exportiere ich eine Unterhaltung?",
    "How do I export a conversation?",
    "Wie lange muss ich Rechnungen aufbewahren?",
    "Ich habe mein Passwort vergessen",
    "Who can see HR documents? How do roles work?",
    "SSO redirect loop when signing in",
    "Was bedeutet der Fehler DOC-409?",
    "How do I archive emails from Outlook?",
    "Texterkenung verbessern",  # a typo: the fuzzy fallback
    "What's the weather tomorrow?",  # nothing found
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def stream_all(backend: DemoBackend, rounds: int) -> tuple[float, int, int, list[float]]:
    """Open and drain every question ``rounds`` times; returns seconds, events, tokens, opens."""
    events = tokens = 0
    open_ms: list[float] = []
    start = time.perf_counter()
    for _ in range(rounds):
        for question in QUESTIONS:
            opened = time.perf_counter()
            generation = await backend.open(ChatRequest(question))
            open_ms.append((time.perf_counter() - opened) * 1000)
            async for event in generation.events():
                events += 1
                tokens += isinstance(event, Token)
    return time.perf_counter() - start, events, tokens, open_ms


async def paced_crowd(
    backend: DemoBackend, streams: int, seconds: float
) -> tuple[list[float], float, float, int]:
    """``streams`` concurrent generations at the backend's rate for about ``seconds``.

    Returns each token's lateness against its schedule (ms), the CPU seconds used, the wall
    seconds, and the tokens sent. Lateness is what the event loop adds: 0 on an idle machine.
    """
    rate = backend.token_rate
    think = min(THINK_TOKENS / rate, MAX_THINK_S)
    late: list[float] = []
    sent = 0
    deadline = time.monotonic() + seconds

    async def one(n: int) -> None:
        nonlocal sent
        generation = await backend.open(ChatRequest(QUESTIONS[n % len(QUESTIONS)]))
        start = time.monotonic()
        async for event in generation.events():
            if isinstance(event, Token):
                now = time.monotonic()
                late.append((now - (start + think + event.index / rate)) * 1000)
                sent += 1
                if now > deadline:
                    break

    cpu, wall = time.process_time(), time.monotonic()
    await asyncio.gather(*(one(n) for n in range(streams)))
    return late, time.process_time() - cpu, time.monotonic() - wall, sent


def search_latencies(kb: KnowledgeBase, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            kb.search(question, 5)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--rounds", type=int, default=100)
    args.add_argument("--streams", type=int, default=1000, help="concurrent paced generations")
    args.add_argument("--rate", type=float, default=20.0, help="their tokens per second")
    args.add_argument("--seconds", type=float, default=5.0, help="how long they run")
    opts = args.parse_args()

    builds = []
    for _ in range(5):
        started = time.perf_counter()
        kb = KnowledgeBase.load()
        builds.append((time.perf_counter() - started) * 1000)
    backend = DemoBackend(kb, token_rate=0)
    asyncio.run(stream_all(backend, 2))  # warm-up
    gc.collect()
    seconds, events, tokens, open_ms = asyncio.run(stream_all(backend, opts.rounds))
    search_ms = search_latencies(kb, opts.rounds)
    late, cpu_s, wall_s, paced_tokens = asyncio.run(
        paced_crowd(DemoBackend(kb, token_rate=opts.rate), opts.streams, opts.seconds)
    )

    rows: dict[str, Any] = {
        "index_build_ms_best": round(min(builds), 2),
        "passages": len(kb.passages),
        "answers": opts.rounds * len(QUESTIONS),
        "events": events,
        "tokens": tokens,
        "events_per_s": round(events / seconds),
        "tokens_per_s": round(tokens / seconds),
        "answers_per_s": round(opts.rounds * len(QUESTIONS) / seconds, 1),
        "open_ms_p50": round(percentile(open_ms, 0.5), 3),
        "open_ms_p99": round(percentile(open_ms, 0.99), 3),
        "search_ms_p50": round(percentile(search_ms, 0.5), 3),
        "search_ms_p99": round(percentile(search_ms, 0.99), 3),
        "search_ms_mean": round(statistics.fmean(search_ms), 3),
        "paced_streams": opts.streams,
        "paced_rate": opts.rate,
        "paced_tokens": paced_tokens,
        "paced_tokens_per_s": round(paced_tokens / wall_s),
        "paced_cpu_share": round(cpu_s / wall_s, 3),
        "paced_lateness_ms_p50": round(percentile(late, 0.5), 2),
        "paced_lateness_ms_p99": round(percentile(late, 0.99), 2),
    }
    print(f"demo backend, token_rate=0, {rows['answers']} answers of {len(QUESTIONS)} questions")
    print(f"{'measure':28} {'value':>12}")
    # paced_* rows: the crowd of paced generations on one event loop
    for name, value in rows.items():
        print(f"{name:28} {value:>12}")
    print("preliminary: a shared 2-core machine; compare within one run")
    RESULTS.mkdir(exist_ok=True)
    out = {
        "benchmark": "demo_backend",
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "rounds": opts.rounds,
        "results": rows,
    }
    (RESULTS / "demo_backend.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
