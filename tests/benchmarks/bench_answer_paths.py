"""One burst, four readers side by side: the bare parser, ``ask --no-cache``, ``ask``, the window.

A paced Assist-protocol server on 127.0.0.1 (the one of ``bench_ask_memory``, unpaced here)
answers with N tokens at once. Each reader runs as its own process, end to end, for a short
answer (100 tokens) and a long one (100,000 by default); the *marginal* time (long minus short)
is what the answer itself costs, without start-up. The readers:

* ``bare``: httpx with the project's SSE parser, counting tokens (the floor);
* ``ask --no-cache`` and ``ask`` (with the answer cache, in a fresh data directory);
* ``window``: ``python -m desktop --server URL --ask Q --quit-when-done`` (offscreen Qt),
  the same answer runner, rendered.

The issue's targets: ``ask`` within 2x of the bare reader with the cache on; the window within
1.5x of ``ask``. Run: ``.venv/bin/python tests/benchmarks/bench_answer_paths.py [--tokens N]
[--repeat R]`` (each cell is the median of R runs). Prints a table and writes
``tests/benchmarks/results/answer_paths.json``. Not a pass/fail test: on a shared machine the
figures are noisy, so read the ratios, and repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_ask_memory import token_text
from paced_server import ASSIST, PacedServer

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
SHORT = 100
UNPACED = 1e12

#: The floor: httpx and the project's parser, nothing else.
BARE = """
import asyncio, sys, httpx
from desktop.protocol.sse import SSEParser
async def main(url):
    parser, tokens = SSEParser(), 0
    async with httpx.AsyncClient(timeout=120) as client:
        body = {"message": "bench"}
        async with client.stream("POST", url + "/api/v1/chat/stream", json=body) as response:
            async for chunk in response.aiter_bytes():
                tokens += sum(m.event == "token" for m in parser.feed(chunk))
    print(tokens)
asyncio.run(main(sys.argv[1]))
"""


def commands(url: str, data_dir: str) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "bare": [py, "-c", BARE, url],
        "ask --no-cache": [py, "-m", "desktop", "ask", "--no-cache", "--url", url, "bench"],
        "ask": [py, "-m", "desktop", "ask", "--url", url, "bench"],
        "window": [
            py, "-m", "desktop", "--server", url, "--ask", "bench", "--quit-when-done",
            "--db", str(Path(data_dir) / "window.sqlite3"), "--size", "1000x700",
        ],
    }  # fmt: skip


def timed(command: list[str]) -> float:
    """Wall seconds of one process run (a fresh data directory, so a new cache file)."""
    home = tempfile.mkdtemp(prefix="bench-paths-")
    env = {
        **os.environ,
        "XDG_DATA_HOME": home,
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": home,
        "QT_QPA_PLATFORM": "offscreen",
    }
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=600, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited {done.returncode}: {done.stderr[-400:]!r}")
    return seconds


def measure(tokens: int, repeat: int) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """Medians per reader and size, and every run (the spread of the marginal time too)."""
    rows: dict[str, dict[str, float]] = {}
    runs: dict[str, dict[str, list[float]]] = {}
    data_dir = tempfile.mkdtemp(prefix="bench-paths-db-")
    for size in (SHORT, tokens):
        with PacedServer(ASSIST, [token_text(i) for i in range(size)], UNPACED) as server:
            url = f"http://127.0.0.1:{server.port}"
            for name, command in commands(url, data_dir).items():
                times = [timed(command) for _ in range(repeat)]
                runs.setdefault(name, {})[str(size)] = times
                rows.setdefault(name, {})[str(size)] = statistics.median(times)
    for name, row in rows.items():
        row["marginal"] = row[str(tokens)] - row[str(SHORT)]
        # Run i's long answer minus the median short one: the spread of the long runs.
        marginals = [t - row[str(SHORT)] for t in runs[name][str(tokens)]]
        row["marginal_min"], row["marginal_max"] = min(marginals), max(marginals)
    return rows, runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rows, runs = measure(args.tokens, args.repeat)
    bare, ask = rows["bare"]["marginal"], rows["ask"]["marginal"]
    print(
        f"\n{args.tokens:,}-token burst vs {SHORT} tokens, wall seconds (median of {args.repeat})"
    )
    print(
        f"| reader | {SHORT} tokens | {args.tokens:,} tokens | marginal (min..max) | x bare "
        "| x ask |"
    )
    print("|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row[str(SHORT)]:.2f} | {row[str(args.tokens)]:.2f} | "
            f"{row['marginal']:.2f} ({row['marginal_min']:.2f}..{row['marginal_max']:.2f}) | "
            f"{row['marginal'] / bare:.1f} | {row['marginal'] / ask:.2f} |"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)")
    RESULTS.mkdir(exist_ok=True)
    report: dict[str, Any] = {
        "tokens": args.tokens,
        "short": SHORT,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average": os.getloadavg(),
        "rows": rows,
        "runs": runs,
        "targets": {
            "ask_within_2x_bare": ask <= 2 * bare,
            "window_within_1_5x_ask": rows["window"]["marginal"] <= 1.5 * ask,
        },
    }
    (RESULTS / "answer_paths.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
