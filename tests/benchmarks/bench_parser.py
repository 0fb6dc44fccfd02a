"""Parser throughput: bytes -> typed events with JSON decoded, against httpx-sse's decoder plus
``json.loads`` on the same bytes, in the same run, on one core.

Run: ``.venv/bin/python tests/benchmarks/bench_parser.py [--events N] [--repeat R]``.
Prints a table and writes ``tests/benchmarks/results/parser.json``. Best of R runs per row.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from desktop.protocol.events import Token
from desktop.protocol.sse import SSEParser
from desktop.protocol.wire import decode_event, encode_event

RESULTS = Path(__file__).parent / "results"
WORDS = ["Hallo", " Welt", ",", " so", " exportieren", " Sie", " Ihre", " Unterhaltung", "."]


def token_stream(count: int) -> list[bytes]:
    """One SSE frame per small token event, as the reference server sends them."""
    return [encode_event(Token(i + 1, WORDS[i % len(WORDS)], i)) for i in range(count)]


def ours(chunks: list[bytes]) -> int:
    parser = SSEParser()
    feed = parser.feed
    count = 0
    for chunk in chunks:
        for message in feed(chunk):
            event = decode_event(int(message.id), message.event, message.data)  # type: ignore[arg-type]
            count += event is not None
    return count


def ours_parse_only(chunks: list[bytes]) -> int:
    parser = SSEParser()
    return sum(len(parser.feed(chunk)) for chunk in chunks)


def httpx_sse_json(chunks: list[bytes]) -> int:
    """What ``EventSource.aiter_sse()`` does per chunk (aiter_text -> lines -> events), plus
    ``json.loads`` of each event's data: the pipeline a typical httpx-sse client runs."""
    text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines = SSELineDecoder()
    sse = SSEDecoder()
    loads = json.loads
    count = 0
    for chunk in chunks:
        for line in lines.decode(text_decoder.decode(chunk)):
            event = sse.decode(line)
            if event is not None:
                loads(event.data)
                count += 1
    return count


def httpx_sse_only(chunks: list[bytes]) -> int:
    text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines = SSELineDecoder()
    sse = SSEDecoder()
    count = 0
    for chunk in chunks:
        for line in lines.decode(text_decoder.decode(chunk)):
            count += sse.decode(line) is not None
    return count


def rechunk(frames: list[bytes], size: int) -> list[bytes]:
    body = b"".join(frames)
    return [body[i : i + size] for i in range(0, len(body), size)]


def interleaved_best(
    impls: dict[str, Callable[[list[bytes]], int]], chunks: list[bytes], repeat: int
) -> dict[str, tuple[float, int]]:
    """Best time of each implementation, running them in turn (A B C A B C ...) so that load
    from other processes on a shared machine hits all of them alike."""
    best = dict.fromkeys(impls, float("inf"))
    counts = dict.fromkeys(impls, 0)
    for _ in range(repeat):
        for name, fn in impls.items():
            gc.collect()
            start = time.perf_counter()
            counts[name] = fn(chunks)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: (best[name], counts[name]) for name in impls}


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--events", type=int, default=20_000)
    args.add_argument("--repeat", type=int, default=15)
    opts = args.parse_args()
    frames = token_stream(opts.events)
    total_bytes = sum(map(len, frames))
    chunkings = {"one event per chunk": frames, "64 KiB chunks": rechunk(frames, 65536)}
    impls: dict[str, Callable[[list[bytes]], int]] = {
        "SSEParser + decode_event (typed)": ours,
        "httpx-sse decoder + json.loads": httpx_sse_json,
        "SSEParser alone": ours_parse_only,
        "httpx-sse decoder alone": httpx_sse_only,
    }
    rows: list[dict[str, Any]] = []
    print(f"{opts.events} token events, {total_bytes / 1e6:.2f} MB, best of {opts.repeat}")
    print(f"{'pipeline':36} {'chunking':20} {'events/s':>12} {'MB/s':>8}")
    for chunking, chunks in chunkings.items():
        for name, (seconds, count) in interleaved_best(impls, chunks, opts.repeat).items():
            assert count == opts.events, (name, chunking, count)
            row = {
                "pipeline": name,
                "chunking": chunking,
                "events_per_s": opts.events / seconds,
                "mb_per_s": total_bytes / seconds / 1e6,
                "seconds": seconds,
            }
            rows.append(row)
            print(f"{name:36} {chunking:20} {row['events_per_s']:12,.0f} {row['mb_per_s']:8.1f}")
    RESULTS.mkdir(exist_ok=True)
    out = {
        "events": opts.events,
        "bytes": total_bytes,
        "repeat": opts.repeat,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "rows": rows,
        "note": "preliminary: a shared 2-core VM; compare rows of the same run only",
    }
    (RESULTS / "parser.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
