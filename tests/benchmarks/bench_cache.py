"""The answer cache under load: what the GUI thread pays, what the disk pays, what reads cost.

Run: ``.venv/bin/python tests/benchmarks/bench_cache.py [--messages N] [--size-mb MB]``.
Prints a table and writes ``tests/benchmarks/results/cache.json``.

* checkpoint cost on the calling thread: each ``AnswerRecorder(event, stamp)`` call timed, on a
  real writer thread and file, both in a tight loop (writer always busy: worst case for the
  GIL) and paced at 1 ms per token; p50/p99/max and p99 of the calls that start a checkpoint;
* write amplification: bytes SQLite hands to ``write()`` (``/proc/self/io`` ``wchar``) per
  1,000 tokens, for a new answer and for the last 1,000 tokens of a 10,000-token one;
* search p50/p95 over ``--messages`` cached messages (one or two words of the demo knowledge
  base, drawn by frequency, so common words are searched often), best first and newest first;
* opening a 10,000-message conversation (messages only, and with every event);
* start-up in a fresh process (open + version check + orphan check + list), cache of
  about ``--size-mb`` MB (mostly the event record of each answer).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from desktop.protocol.events import Done, StreamStarted, Token
from desktop.protocol.request import ChatRequest
from desktop.store.database import open_database
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
KNOWLEDGE = ROOT / "resources" / "knowledge"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def vocabulary() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(KNOWLEDGE.glob("*.md")))
    return re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", text)


def wchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


# --- the calling thread -------------------------------------------------------------------


def checkpoint_cost(tmp: Path, tokens: int, pace_s: float) -> dict[str, Any]:
    answer_clock = [0.0]  # the writer's ticker follows the answer's own (fast) clock
    with CacheWriter(tmp / f"cost-{pace_s}.sqlite3", clock=lambda: answer_clock[0]) as writer:
        recorder = AnswerRecorder.start(
            writer, server_url="http://127.0.0.1:1", protocol="assist", request=ChatRequest("q")
        )
        recorder(StreamStarted(1, "s"), 0.0)
        all_calls: list[float] = []
        checkpoint_calls: list[float] = []
        for i in range(tokens):
            event = Token(i + 2, " wort", i)
            before = recorder.checkpoints
            answer_clock[0] = 0.02 * (i + 1)  # 50 tokens/s on the answer's own clock
            t0 = time.perf_counter_ns()
            recorder(event, answer_clock[0])
            elapsed = (time.perf_counter_ns() - t0) / 1e6
            all_calls.append(elapsed)
            if recorder.checkpoints != before:
                checkpoint_calls.append(elapsed)
            if pace_s:
                time.sleep(pace_s)
        recorder(Done(tokens + 2, "stop"), 0.02 * (tokens + 1))
        recorder.close()
    return {
        "tokens": tokens,
        "pace_ms": pace_s * 1000,
        "p50_ms": pct(all_calls, 50),
        "p99_ms": pct(all_calls, 99),
        "max_ms": max(all_calls),
        "checkpoints": len(checkpoint_calls),
        "checkpoint_call_p99_ms": pct(checkpoint_calls, 99),
    }


# --- the disk ------------------------------------------------------------------------------


def write_amplification(tmp: Path, prefix_tokens: int, tokens: int = 1000) -> dict[str, Any]:
    path = tmp / f"amp-{prefix_tokens}.sqlite3"
    with CacheWriter(path, clock=lambda: 0.0) as writer:  # checkpoints by the answer's stamps
        recorder = AnswerRecorder.start(
            writer, server_url="http://127.0.0.1:1", protocol="assist", request=ChatRequest("q")
        )
        recorder(StreamStarted(1, "s"), 0.0)
        stamp = 0.0
        for i in range(prefix_tokens):
            stamp += 0.02
            recorder(Token(i + 2, " wort", i), stamp)
        writer.flush()
        checkpoints_before, start = recorder.checkpoints, wchar()
        payload = 0
        for i in range(prefix_tokens, prefix_tokens + tokens):
            stamp += 0.02
            content = " wort"
            payload += len(content.encode())
            recorder(Token(i + 2, content, i), stamp)
        recorder(Done(prefix_tokens + tokens + 2, "stop"), stamp + 0.02)
        recorder.close()
        writer.flush()
        written = wchar() - start
        checkpoints = recorder.checkpoints - checkpoints_before
    return {
        "answer_tokens_before": prefix_tokens,
        "tokens": tokens,
        "checkpoints": checkpoints,
        "bytes_written": written,
        "bytes_per_1000_tokens": written * 1000 // tokens,
        "text_bytes": payload,
        "amplification_vs_text": round(written / payload, 1),
    }


# --- a large cache ---------------------------------------------------------------------------


def build_cache(path: Path, messages: int, size_mb: int, words: list[str]) -> dict[str, Any]:
    """Conversations of 20 messages; every answer with a realistic event record (one event
    per token), padded with more conversations' events until the file reaches ``size_mb``."""
    rng = random.Random(7)
    open_database(path).connection.close()
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA synchronous = OFF")
    t0 = time.perf_counter()
    c.execute("BEGIN")
    per_conversation = 20
    next_id = 1
    now = time.time() - 86400 * 365
    for n in range(messages // per_conversation):
        cid = f"{n:08x}" + "0" * 24
        c.execute(
            "INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?)",
            (cid, " ".join(rng.choices(words, k=5)), now + n * 60, now + n * 60),
        )
        for position in range(per_conversation):
            role = "user" if position % 2 == 0 else "assistant"
            length = rng.randint(8, 25) if role == "user" else rng.randint(40, 160)
            pieces = [" " + w for w in rng.choices(words, k=length)]
            c.execute(
                "INSERT INTO messages (id, conversation_id, position, role, text, created, state)"
                " VALUES (?, ?, ?, ?, ?, ?, 'done')",
                (next_id, cid, position, role, "".join(pieces).strip(), now + n * 60),
            )
            if role == "assistant":
                _answer_rows(c, next_id, pieces, now + n * 60)
            next_id += 1
    c.execute("COMMIT")
    built_messages = next_id - 1
    # pad with event records (the bulk of a real cache) until the file is large enough
    padding_rounds = 0
    pieces = [" " + w for w in rng.choices(words, k=120)]
    while path.stat().st_size < size_mb * 1024 * 1024 and padding_rounds < 10_000:
        c.execute("BEGIN")
        cid = f"pad{padding_rounds:05d}" + "0" * 24
        c.execute(
            "INSERT INTO conversations (id, title, created, updated) VALUES (?, 'padding', 0, 0)",
            (cid,),
        )
        for position in range(200):
            c.execute(
                "INSERT INTO messages (id, conversation_id, position, role, text, created, state)"
                " VALUES (?, ?, ?, 'assistant', 'padding', 0, 'done')",
                (next_id, cid, position),
            )
            _answer_rows(c, next_id, pieces, 0)
            next_id += 1
        c.execute("COMMIT")
        padding_rounds += 1
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    return {
        "searchable_messages": built_messages,
        "all_messages": next_id - 1,
        "size_mb": round(path.stat().st_size / 2**20),
        "build_s": round(time.perf_counter() - t0, 1),
    }


def _answer_rows(c: sqlite3.Connection, message_id: int, pieces: list[str], when: float) -> None:
    c.execute(
        "INSERT INTO streams (message_id, server_url, protocol, stream_id, last_event_id, state,"
        " started, finished, tokens, text_event_id) VALUES (?, 'http://127.0.0.1:8765', 'assist',"
        " ?, ?, 'done', ?, ?, ?, ?)",
        (
            message_id,
            f"s{message_id}",
            len(pieces) + 2,
            when,
            when + 3,
            len(pieces),
            len(pieces) + 2,
        ),
    )
    rows = [(message_id, 0, 1, "stream", 0.0, '{"stream_id":"s"}')]
    rows += [
        (message_id, i + 1, i + 2, "token", 20.0 * i, json.dumps({"content": p, "index": i}))
        for i, p in enumerate(pieces)
    ]
    rows.append((message_id, len(pieces) + 1, len(pieces) + 2, "done", 20.0 * len(pieces), "{}"))
    c.executemany(
        "INSERT INTO events (message_id, seq, event_id, type, offset_ms, payload) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def search_latency(
    path: Path, words: list[str], queries: int = 300, *, newest_first: bool = False
) -> dict[str, Any]:
    rng = random.Random(11)
    with CacheRepository.open(path) as repo:
        times, hits = [], []
        for i in range(queries):
            query = rng.choice(words) if i % 2 else " ".join(rng.sample(words, 2))
            t0 = time.perf_counter()
            found = repo.search(query, limit=50, newest_first=newest_first)
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(len(found))
    return {
        "queries": queries,
        "p50_ms": pct(times, 50),
        "p95_ms": pct(times, 95),
        "max_ms": max(times),
        "mean_hits": statistics.mean(hits),
    }


def open_big_conversation(path: Path, words: list[str], size: int = 10_000) -> dict[str, Any]:
    rng = random.Random(3)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("BEGIN")
    cid = "big" + "0" * 29
    c.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES (?, 'big', 1, 1)", (cid,)
    )
    (base,) = c.execute("SELECT max(id) + 1 FROM messages").fetchone()
    for position in range(size):
        role = "user" if position % 2 == 0 else "assistant"
        pieces = [" " + w for w in rng.choices(words, k=30 if role == "user" else 60)]
        c.execute(
            "INSERT INTO messages (id, conversation_id, position, role, text, created, state)"
            " VALUES (?, ?, ?, ?, ?, 1, 'done')",
            (base + position, cid, position, role, "".join(pieces).strip()),
        )
        if role == "assistant":
            _answer_rows(c, base + position, pieces, 1)
    c.execute("COMMIT")
    c.close()
    out: dict[str, Any] = {"messages": size}
    with CacheRepository.open(path) as repo:
        variants = {
            "messages_only": {"with_events": False},
            "without_token_events": {"token_events": False},
            "with_events": {},
        }
        for label, options in variants.items():
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                conversation = repo.get_conversation(cid, **options)  # type: ignore[arg-type]
                runs.append((time.perf_counter() - t0) * 1000)
            out[f"{label}_ms"] = statistics.median(runs)
        out["events"] = sum(len(m.events) for m in conversation.messages)
    return out


STARTUP = """
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from desktop.store.repository import CacheRepository
t1 = time.perf_counter()
repo = CacheRepository.open(Path(sys.argv[1]))
t2 = time.perf_counter()
repo.mark_orphans_interrupted()
listed = repo.list_conversations()
t3 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, len(listed))
"""


def startup(path: Path) -> dict[str, Any]:
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.split()
        process_ms = (time.perf_counter() - t0) * 1000
        runs.append((float(out[0]), float(out[1]), float(out[2]), int(out[3]), process_ms))
    best = min(runs, key=lambda r: r[1] + r[2])
    return {
        "size_mb": round(path.stat().st_size / 2**20),
        "import_ms": best[0],
        "open_and_migrate_check_ms": best[1],
        "orphans_and_list_ms": best[2],
        "conversations_listed": best[3],
        "whole_process_ms": best[4],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--tokens", type=int, default=5000)
    args = parser.parse_args()
    words = vocabulary()
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp_name:
        tmp = Path(tmp_name)
        results["checkpoint_tight"] = checkpoint_cost(tmp, args.tokens, 0.0)
        results["checkpoint_paced"] = checkpoint_cost(tmp, min(args.tokens, 3000), 0.001)
        results["write_new_answer"] = write_amplification(tmp, 0)
        results["write_long_answer"] = write_amplification(tmp, 9000)
        big = tmp / "large.sqlite3"
        results["large_cache"] = build_cache(big, args.messages, args.size_mb, words)
        results["search"] = search_latency(big, words)
        results["search_newest_first"] = search_latency(big, words, newest_first=True)
        results["open_conversation"] = open_big_conversation(big, words)
        results["startup"] = startup(big)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cache.json").write_text(json.dumps(results, indent=2))
    report(results)


def report(r: dict[str, Any]) -> None:
    tight, paced = r["checkpoint_tight"], r["checkpoint_paced"]
    new, long_ = r["write_new_answer"], r["write_long_answer"]
    large, search, conv, start = r["large_cache"], r["search"], r["open_conversation"], r["startup"]
    startup_ms = start["open_and_migrate_check_ms"] + start["orphans_and_list_ms"]
    rows = [
        ("checkpoint call p99, tight loop (target < 1 ms)", f"{tight['p99_ms']:.3f} ms"),
        ("  ... p50 / max", f"{tight['p50_ms']:.3f} / {tight['max_ms']:.2f} ms"),
        ("  ... calls that start a checkpoint, p99", f"{tight['checkpoint_call_p99_ms']:.3f} ms"),
        ("checkpoint call p99, paced 1 ms/token", f"{paced['p99_ms']:.3f} ms"),
        (
            "bytes written / 1,000 tokens, new answer",
            f"{new['bytes_per_1000_tokens']:,} B ({new['amplification_vs_text']}x text)",
        ),
        (
            "bytes written / 1,000 tokens, at 10,000 tokens",
            f"{long_['bytes_per_1000_tokens']:,} B ({long_['amplification_vs_text']}x text)",
        ),
        (
            "large cache",
            f"{large['size_mb']} MB, {large['searchable_messages']:,} searchable messages, "
            f"built in {large['build_s']} s",
        ),
        ("search p95 (target < 50 ms)", f"{search['p95_ms']:.2f} ms (p50 {search['p50_ms']:.2f})"),
        ("search p95, newest first", f"{r['search_newest_first']['p95_ms']:.2f} ms"),
        (
            "open 10,000-message conversation",
            f"{conv['messages_only_ms']:.0f} ms; without token events "
            f"{conv['without_token_events_ms']:.0f} ms; "
            f"with all {conv['events']:,} events {conv['with_events_ms']:.0f} ms",
        ),
        (
            "start-up: open + check + list",
            f"{startup_ms:.1f} ms ({start['conversations_listed']:,} conversations; "
            f"whole process {start['whole_process_ms']:.0f} ms)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print("Answer cache benchmark (preliminary: 2 shared cores)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
