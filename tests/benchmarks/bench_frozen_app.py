"""Start-up of the frozen program (``dist/assist-desktop``) against the same code run from source.

Measured per variant, ``--repeat`` times (the first run is reported apart: it is the coldest the
page cache allows without dropping it, which would disturb others on a shared machine):

* ``--version``: process start to exit, the bare cost of starting the program;
* ``ask``: process start to the first byte of the answer on stdout (embedded demo server
  started, question sent, first token back) and to exit;
* window: process start to the main window being mapped and viewable on an Xvfb display
  (found by polling ``xwininfo`` every 10 ms), the nearest outside view of the first paint.

A third variant, ``frozen-cold``, evicts the built folder's files from the page cache before
each run (``posix_fadvise(DONTNEED)`` on our own files only; system libraries stay cached, as
they would be on a desktop that has been in use), which is the start right after installing.

Everything runs with throwaway XDG directories; the embedded server listens on 127.0.0.1.
Run: ``.venv/bin/python tests/benchmarks/bench_frozen_app.py [--dist DIR] [--repeat N]``.
Prints a table and writes ``tests/benchmarks/results/frozen_app.json``. Needs ``Xvfb`` and
``xwininfo`` (x11-utils) for the window rows; without them those rows are left out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results"
QUESTION = "How do I reset my password?"
WINDOW_TITLE = "Assist Desktop"
STEP_TIMEOUT = 60.0


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_"))}
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    env.update(extra)
    return env


def evict(folder: Path) -> None:
    """Drop ``folder``'s clean pages from the page cache, so the next start reads the disk."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def time_version(command: list[str], home: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*command, "--version"], env=_env(home), check=True, capture_output=True)
    return time.perf_counter() - start


def time_ask(command: list[str], home: Path) -> tuple[float, float]:
    """Seconds to the first answer byte on stdout, and to exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "ask", QUESTION, "--no-cache"],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    first = proc.stdout.read(1)
    first_byte = time.perf_counter() - start
    rest = proc.stdout.read()
    code = proc.wait(timeout=STEP_TIMEOUT)
    if code != 0 or not (first + rest).strip():
        raise RuntimeError(f"ask exited {code} with {len(first + rest)} bytes")
    return first_byte, time.perf_counter() - start


def _viewable(display: str) -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display], capture_output=True, text=True
    ).stdout
    for line in tree.splitlines():
        if f'"{WINDOW_TITLE}' in line and line.split()[0].startswith("0x"):
            info = subprocess.run(
                ["xwininfo", "-id", line.split()[0], "-display", display],
                capture_output=True,
                text=True,
            ).stdout
            if "IsViewable" in info:
                return True
    return False


def time_window(command: list[str], home: Path, display: str) -> float:
    """Seconds from process start to the main window being viewable on ``display``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        env=_env(home, DISPLAY=display, QT_QPA_PLATFORM="xcb"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = start + STEP_TIMEOUT
        while time.perf_counter() < deadline:
            if _viewable(display):
                return time.perf_counter() - start
            if proc.poll() is not None:
                raise RuntimeError(f"the window exited early with {proc.returncode}")
            time.sleep(0.01)
        raise TimeoutError("the window did not appear")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        return None
    for number in range(93, 120):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        display = f":{number}"
        server = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return server, display
            time.sleep(0.05)
        server.kill()
        server.wait()
    return None


def summarise(samples: list[float]) -> dict[str, float]:
    return {
        "first": round(samples[0], 3),
        "median_rest": round(statistics.median(samples[1:] or samples), 3),
        "min": round(min(samples), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "assist-desktop")
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    frozen = args.dist / "assist-desktop"
    if not frozen.exists():
        print(f"no frozen program at {frozen}: run packaging/build.sh first", file=sys.stderr)
        return 1
    variants = {
        "frozen": [str(frozen)],
        "frozen-cold": [str(frozen)],
        "source": [sys.executable, "-m", "desktop"],
    }
    xvfb = start_xvfb()
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            for name, command in variants.items():
                rows: dict[str, list[float]] = {"version": [], "ask_first_byte": [], "ask_exit": []}
                if xvfb:
                    rows["window_viewable"] = []
                cold = name.endswith("-cold")
                for _ in range(args.repeat):
                    if cold:
                        evict(args.dist)
                    rows["version"].append(time_version(command, home))
                    if cold:
                        evict(args.dist)
                    first_byte, total = time_ask(command, home)
                    rows["ask_first_byte"].append(first_byte)
                    rows["ask_exit"].append(total)
                    if xvfb:
                        if cold:
                            evict(args.dist)
                        rows["window_viewable"].append(time_window(command, home, xvfb[1]))
                results[name] = {key: summarise(values) for key, values in rows.items()}
    finally:
        if xvfb:
            xvfb[0].terminate()
            xvfb[0].wait()
    size = sum(f.stat().st_size for f in args.dist.rglob("*") if f.is_file() and not f.is_symlink())
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "dist_folder_mb": round(size / 1e6, 1),
        "repeat": args.repeat,
        "seconds": results,
        "note": "preliminary: a shared 2-core machine; first = first run after the build",
    }
    print(f"built folder: {report['dist_folder_mb']} MB; seconds (first run / median of the rest)")
    print(f"{'measure':<18}" + "".join(f"{name:>22}" for name in results))
    for key in next(iter(results.values())):
        cells = "".join(
            f"{results[n][key]['first']:>11.2f} /{results[n][key]['median_rest']:>8.2f}"
            for n in results
        )
        print(f"{key:<18}{cells}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "frozen_app.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
