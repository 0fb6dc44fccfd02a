"""Recovery: many answers, each through a random series of faults, must arrive exactly.

Each run streams a fresh random answer (Unicode tokens, thinking and progress events) from a
FaultServer whose every connection serves the events after the request's ``Last-Event-ID`` (now
and then replaying from further back), with random chunking, line ends and BOMs, and, until the
run's fault budget is spent, one random fault: a close mid-byte, a TCP reset, a chunk cut in half,
a clean EOF before ``done``, bad JSON, an id gap, a 429/503, or a stall past the idle timeout.
A run passes when the text is exact and the stream ends with the server's ``done``.

Backoff sleeps are skipped (the delays are computed but not waited), so the figure is about
correctness, not time. Run: ``.venv/bin/python tests/benchmarks/bench_recovery.py [--runs N]``.
Writes ``tests/benchmarks/results/recovery.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for servers.fault_server

from servers.fault_server import (
    FaultServer,
    Raw,
    RecordedRequest,
    Reply,
    events_after,
    frames,
    stream_headers,
)

from desktop.protocol.events import (
    Done,
    Progress,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    Usage,
    WireEvent,
)
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource

RESULTS = Path(__file__).parent / "results"
ALPHABET = 'abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ ,.!?\n\t"\\/<>{}:;—–€🙂東京\u2028\u0000'
FAULTS = ["close", "reset", "cut_chunk", "eof_early", "bad_json", "gap", "status", "stall"]
FAULT_WEIGHTS = [20, 15, 15, 15, 12, 12, 9, 2]
IDLE_TIMEOUT = 0.25


def random_answer(rng: random.Random) -> tuple[list[WireEvent], str]:
    stream_id = f"s-{rng.getrandbits(64):016x}"
    events: list[WireEvent] = [StreamStarted(1, stream_id, model="bench")]
    pieces: list[str] = []
    for i in range(rng.randint(5, 60)):
        if rng.random() < 0.08:
            events.append(Thinking(len(events) + 1, message="…denke nach"))
        if i and i % 10 == 0:
            events.append(Progress(len(events) + 1, tokens_sent=i))
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
        pieces.append(text)
        events.append(Token(len(events) + 1, text, i))
    events.append(Done(len(events) + 1, "stop", Usage(3, len(pieces))))
    return events, "".join(pieces)


def split(data: bytes, rng: random.Random) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        step = rng.choice([1, 2, 3, 7, 50, 400, 5000])
        out.append(data[i : i + step])
        i += step
    return out


class RunScript:
    """Decides, per connection, what the server sends; counts the faults it injected."""

    def __init__(self, rng: random.Random, events: list[WireEvent], faults: int) -> None:
        self.rng, self.events, self.faults_left = rng, events, faults
        self.injected: collections.Counter[str] = collections.Counter()

    def __call__(self, index: int, request: RecordedRequest) -> Reply:
        rng = self.rng
        last = int(request.headers.get("last-event-id", "0"))
        start = last if rng.random() < 0.7 else rng.randint(0, last)  # replays overlap
        send = frames(events_after(self.events, start))
        eol = rng.choice([b"\n", b"\n", b"\r\n", b"\r"])
        headers = stream_headers(self.events[0].stream_id)  # type: ignore[attr-defined]
        prefix = (b"\xef\xbb\xbf" if rng.random() < 0.2 else b"") + b"retry: 1" + eol + eol
        if self.faults_left <= 0:
            body = prefix + b"".join(send).replace(b"\n", eol)
            return Reply(200, headers, split(body, rng), chunked=rng.random() < 0.8)
        self.faults_left -= 1
        fault = rng.choices(FAULTS, FAULT_WEIGHTS)[0]
        self.injected[fault] += 1
        if fault == "status":
            status = rng.choice([429, 500, 502, 503, 504, 408])
            return Reply(status, (("Retry-After", "0"),), [b"busy"])
        k = rng.randrange(len(send))
        if fault == "bad_json":
            frame = send[k]
            send[k] = frame[: frame.rindex(b"}")] + b"\n\n"  # the object is never closed
        elif fault == "gap" and k + 1 < len(send):
            del send[k]
        body = prefix + b"".join(send).replace(b"\n", eol)
        cut = rng.randrange(len(prefix), len(body))
        if fault in ("bad_json", "gap"):
            return Reply(200, headers, split(body, rng), end="hang")
        if fault == "close":
            return Reply(200, headers, split(body[:cut], rng), end="close")
        if fault == "reset":
            return Reply(200, headers, split(body[:cut], rng), end="reset")
        if fault == "eof_early":
            return Reply(200, headers, split(body[:cut], rng), chunked=rng.random() < 0.5)
        if fault == "stall":
            return Reply(200, headers, split(body[:cut], rng), end="hang")
        # cut_chunk: a chunk header that promises more bytes than ever come
        pieces = split(body[:cut], rng)
        return Reply(200, headers, [*pieces, Raw(b"40\r\n" + body[cut : cut + 5])], end="close")


async def one_run(seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    events, text = random_answer(rng)
    script = RunScript(rng, events, faults=rng.randint(0, 4))

    async def no_wait(delay: float) -> None:
        await asyncio.sleep(0)

    async with FaultServer(script) as server:
        config = ClientConfig(server.url, idle_timeout=IDLE_TIMEOUT, connect_timeout=5)
        async with make_client(config) as client:
            source = ReconnectingEventSource(
                client, config, ChatRequest("bench"), sleep=no_wait, random=rng.random
            )
            seen: list[StreamEvent] = [event async for event in source.events()]
    got = "".join(e.content for e in seen if isinstance(e, Token))
    wire_ids = [e.id for e in seen if isinstance(e, (StreamStarted, Thinking, Progress, Token))]
    exact = got == text and seen[-1] == events[-1] and wire_ids == sorted(set(wire_ids))
    return {
        "seed": seed,
        "exact": exact,
        "connections": source.stats.connections,
        "faults": dict(script.injected),
        "terminal": type(seen[-1]).__name__,
    }


async def run_all(runs: int, seed: int) -> list[dict[str, object]]:
    return [await one_run(seed + i) for i in range(runs)]


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--runs", type=int, default=1000)
    args.add_argument("--seed", type=int, default=20260101)
    opts = args.parse_args()
    started = time.perf_counter()
    results = asyncio.run(run_all(opts.runs, opts.seed))
    seconds = time.perf_counter() - started
    exact = sum(bool(r["exact"]) for r in results)
    faults: collections.Counter[str] = collections.Counter()
    for r in results:
        faults.update(r["faults"])  # type: ignore[arg-type]
    connections = sum(int(r["connections"]) for r in results)  # type: ignore[call-overload]
    failed = [r["seed"] for r in results if not r["exact"]]
    print(f"{'runs':24} {opts.runs}")
    print(f"{'exact text and done':24} {exact} ({100 * exact / opts.runs:.1f} %)")
    print(f"{'connections':24} {connections}")
    print(f"{'faults injected':24} {sum(faults.values())}")
    for name in FAULTS:
        print(f"  {name:22} {faults[name]}")
    print(f"{'wall time':24} {seconds:.1f} s")
    if failed:
        print(f"failed seeds: {failed[:20]}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "recovery.json").write_text(
        json.dumps(
            {
                "runs": opts.runs,
                "exact": exact,
                "exact_percent": 100 * exact / opts.runs,
                "connections": connections,
                "faults": dict(faults),
                "failed_seeds": failed,
                "seconds": seconds,
                "note": "backoff delays computed but not slept; preliminary, shared 2-core VM",
            },
            indent=2,
        )
    )
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
