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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for servers.*

from servers.random_faults import FAULTS, one_run

RESULTS = Path(__file__).parent / "results"


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
