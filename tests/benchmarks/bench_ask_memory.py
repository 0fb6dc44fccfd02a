"""Memory and CPU of the headless client: ``python -m desktop ask`` in a subprocess.

Two runs against a paced Assist-protocol server on 127.0.0.1 (``paced_server``, in this process):

* memory: a 20,000-token answer, fast; RSS growth of the ``ask`` process from its first
  answer byte on stdout to the end (target: under 5 MB), sampled every 10 ms;
* CPU: 200 tokens/s for a few seconds; CPU time of the ``ask`` process (user + system)
  divided by wall time between its first answer byte and the end (target: under 1% of a core).

Both runs check that stdout is exactly the answer. A bare httpx client reading the same
stream gives the transport's own cost on this machine, for comparison. Run:
``.venv/bin/python tests/benchmarks/bench_ask_memory.py [--tokens N] [--cpu-seconds S]
[--repeat R]`` (with R > 1 each row shows the run with the median CPU time).
Prints a table and writes ``tests/benchmarks/results/ask_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from paced_server import ASSIST, PacedServer

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
WORDS = [" Hallo", " Welt", ",", " so", " exportieren", " Sie", " Ihre", " Unterhaltung", " ü", "."]


def token_text(i: int) -> str:
    return WORDS[i % len(WORDS)]


#: The transport floor: httpx reading the same stream and doing nothing with it.
BARE_HTTPX = """
import asyncio, os, sys, httpx
async def main(url):
    async with httpx.AsyncClient(timeout=60) as client:
        body = {"message": "bench"}
        async with client.stream("POST", url + "/api/v1/chat/stream", json=body) as response:
            first = True
            async for chunk in response.aiter_raw():
                if first:
                    os.write(1, b".")
                    first = False
asyncio.run(main(sys.argv[1]))
"""


def run_client(command: list[str], expected: str | None) -> dict[str, Any]:
    """Run a client, sampling its RSS and CPU time from its first stdout byte to its end.

    The client gets a data directory of its own, so its answer cache is a new file and the
    user's real cache is never touched.
    """
    home = tempfile.mkdtemp(prefix="bench-ask-")
    env = {**os.environ, "XDG_DATA_HOME": home}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    info = psutil.Process(proc.pid)
    out = bytearray()
    first = threading.Event()

    def drain() -> None:
        assert proc.stdout is not None
        while chunk := os.read(proc.stdout.fileno(), 65536):
            out.extend(chunk)
            first.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    first.wait(60)
    t0 = time.monotonic()
    cpu0 = info.cpu_times()
    rss0 = info.memory_info().rss
    peak, last_rss, cpu1, t1 = rss0, rss0, cpu0, t0
    while proc.poll() is None:
        try:
            rss, cpu = info.memory_info().rss, info.cpu_times()
        except psutil.NoSuchProcess:
            break
        if rss == 0:  # exited, not yet reaped
            break
        last_rss, cpu1, t1 = rss, cpu, time.monotonic()
        peak = max(peak, last_rss)
        time.sleep(0.01)
    proc.wait(60)
    reader.join(10)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode(errors="replace")
    wall = t1 - t0
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    return {
        "exit_code": proc.returncode,
        "exact_text": None if expected is None else out.decode("utf-8") == expected,
        "rss_at_first_token_mb": rss0 / 2**20,
        "rss_peak_growth_mb": (peak - rss0) / 2**20,
        "rss_final_growth_mb": (last_rss - rss0) / 2**20,
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_percent_of_one_core": 100 * cpu / wall if wall > 0 else None,
        "stderr": stderr[-500:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=20_000, help="tokens in the memory run")
    parser.add_argument("--memory-rate", type=float, default=4_000.0, help="tokens/s, memory run")
    parser.add_argument("--cpu-rate", type=float, default=200.0, help="tokens/s, CPU run")
    parser.add_argument("--cpu-seconds", type=float, default=10.0, help="length of the CPU run")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the median is shown")
    args = parser.parse_args()

    rows: dict[str, dict[str, Any]] = {}
    ask = [sys.executable, "-m", "desktop", "ask", "--url"]
    bare = [sys.executable, "-c", BARE_HTTPX]
    cpu_tokens = int(args.cpu_rate * args.cpu_seconds)
    runs = [
        ("memory", ask, args.tokens, args.memory_rate),
        ("mem-nocache", [*ask[:-1], "--no-cache", "--url"], args.tokens, args.memory_rate),
        ("cpu", ask, cpu_tokens, args.cpu_rate),
        ("cpu-jsonl", [*ask[:-1], "--output", "jsonl", "--url"], cpu_tokens, args.cpu_rate),
        ("httpx-floor", bare, cpu_tokens, args.cpu_rate),
    ]
    for name, command, tokens, rate in runs:
        text = "".join(token_text(i) for i in range(tokens))
        expected = text if "jsonl" not in name and command is not bare else None
        tries = []
        for _ in range(args.repeat):
            with PacedServer(ASSIST, [token_text(i) for i in range(tokens)], rate) as server:
                url = f"http://127.0.0.1:{server.port}"
                tail = [url, "bench"] if command is not bare else [url]
                tries.append(run_client([*command, *tail], expected))
        tries.sort(key=lambda r: r["cpu_s"])
        result = tries[len(tries) // 2]  # the median by CPU time
        result.update(tokens=tokens, rate_tokens_per_s=rate, repeats=args.repeat)
        result["cpu_percent_all_runs"] = [r["cpu_percent_of_one_core"] for r in tries]
        result["exact_text"] = all(r["exact_text"] is not False for r in tries) and (
            None if expected is None else True
        )
        result["exit_code"] = max(r["exit_code"] for r in tries)
        rows[name] = result

    print(
        f"{'run':11} {'tokens':>7} {'tok/s':>6} {'exit':>4} {'exact':>5} {'RSS0 MB':>8} "
        f"{'peak +MB':>9} {'final +MB':>9} {'wall s':>7} {'CPU s':>6} {'CPU %':>6}"
    )
    for name, r in rows.items():
        print(
            f"{name:11} {r['tokens']:>7} {r['rate_tokens_per_s']:>6.0f} {r['exit_code']:>4} "
            f"{r['exact_text']!s:>5} {r['rss_at_first_token_mb']:>8.1f} "
            f"{r['rss_peak_growth_mb']:>9.2f} {r['rss_final_growth_mb']:>9.2f} "
            f"{r['wall_s']:>7.2f} {r['cpu_s']:>6.3f} {r['cpu_percent_of_one_core']:>6.2f}"
        )
    print("targets: RSS growth over 20,000 tokens < 5 MB; CPU at 200 tokens/s < 1% of one core")
    print("httpx-floor: a bare httpx client reading the same stream (the transport's own cost)")
    print("preliminary: a shared 2-core machine; rerun for final figures")
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "runs": rows,
    }
    (RESULTS / "ask_memory.json").write_text(json.dumps(record, indent=2))
    ok = all(r["exit_code"] == 0 and r["exact_text"] is not False for r in rows.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
