"""Run the benchmarks one after another (never in parallel: they measure CPU and latency).

Usage: ``.venv/bin/python tests/benchmarks/run.py [NAME ...]`` where NAME is a script's name
without ``bench_`` (``parser``, ``server``, ...); no NAME runs all but ``frozen_app``, which needs
a build from ``packaging/build.sh``. Each script prints its own table and writes
``results/<name>.json``; this runner adds ``results/index.json`` with what ran, how long it took
and its exit code. Nothing here passes or fails on a number.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEEDS_BUILD = {"frozen_app"}


def main(names: list[str]) -> int:
    available = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    chosen = names or [n for n in available if n not in NEEDS_BUILD]
    unknown = sorted(set(chosen) - set(available))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(available)}")
        return 2
    index = []
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(HERE / f"bench_{name}.py")])
        index.append(
            {"name": name, "exit_code": code, "seconds": round(time.monotonic() - started, 1)}
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "index.json").write_text(json.dumps(index, indent=2) + "\n")
    print("\n| benchmark | exit | seconds |\n|---|---|---|")
    for row in index:
        print(f"| {row['name']} | {row['exit_code']} | {row['seconds']} |")
    return max((row["exit_code"] for row in index), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
