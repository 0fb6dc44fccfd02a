"""Where the window's CPU goes at 50 tokens/s: the window, ``ask`` and the floors, side by side.

Two measurements of the window's CPU disagreed: a few percent of a core for a short answer
(``bench_render``: in-process, a paced source, "window %" is the drawing only) and far more for
the whole process with a 2,000-token Markdown answer from an Ollama-style server. This script
measures both shapes the same way, in one run, so the figures can be compared:

* ``short``: 150 plain-word tokens over the Assist protocol (3 s at 50 tokens/s);
* ``markdown``: 2,000 tokens of paragraphs, lists and code blocks (``bench_render``'s text)
  from an Ollama-style ``/api/chat`` NDJSON server (40 s at 50 tokens/s).

Both servers run in this process on 127.0.0.1 and note when they send the first token and the
end. Each reader is its own process; a sampler polls its CPU time (user + system, psutil) every
20 ms, and the figure is the CPU it used between the server's first token and its end, divided
by that wall time: the share of one core while the answer streams, without start-up. Readers:

* ``window``: ``python -m desktop --server URL --ask Q --quit-when-done`` (offscreen Qt);
* ``ask``: the headless command on the same stream, with its answer cache;
* ``bare httpx``: httpx and the project's decoder for that protocol, counting tokens (a floor);
* ``idle window``: a shown qasync Qt window with a 50 Hz Python timer and nothing else (the
  floor of a window that wakes once per frame, which the coalescer's timer does while text
  streams);
* ``window, 2 answers``: one window process with ``--ask`` twice, two conversations streaming
  their answers at the same time (the target: at most 1.6x one answer's window CPU);
* ``2 windows``: two window processes, each streaming its own answer at the same time; the row
  gives the sum of both processes (two answers without sharing a process).

Then a breakdown: the window once more under cProfile (clock: process CPU time), with the time
spent in each function's own body grouped by component (adapter/parser, session, cache writer,
metrics, coalescer, Markdown, Qt calls, Qt's native event loop, transport, ...). The profiler
slows Python code down, so read the shares, not the seconds.

Run: ``.venv/bin/python tests/benchmarks/bench_window_cpu.py [--repeat R] [--rate N]
[--markdown-tokens N] [--no-profile] [--no-switches] [--short-only]``. Each cell is the median
of R runs (default 3), with the spread (min..max). Prints a table and writes
``tests/benchmarks/results/window_cpu.json``. Not a pass/fail test: on a shared machine the
figures are noisy; the load average is in the JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_render import make_tokens  # noqa: E402
from paced_server import ASSIST, Framing, PacedServer  # noqa: E402

from tests.servers.upstream_bodies import ollama_done, ollama_piece  # noqa: E402

RESULTS = Path(__file__).parent / "results"
SAMPLE_S = 0.02
SHORT_WORDS = [" Hallo", " Welt", ",", " so", " exportieren", " Sie", " Ihre", " Unterhaltung", "."]
IDLE_SECONDS = 6.0
IDLE_WARMUP_S = 4.0


OLLAMA = Framing(
    "ollama",
    b"application/x-ndjson",
    lambda: b"",
    lambda i, text: ollama_piece(text),
    lambda n: ollama_done("stop", 5, n),
)


#: The transport floor: httpx and the project's decoder for the protocol, counting tokens.
BARE = """
import asyncio, sys, httpx
from desktop.protocol.sse import SSEParser
from desktop.protocol.upstream.ollama_chat import ChatLineDecoder
async def main(url, protocol):
    tokens = 0
    if protocol == "assist":
        parser, path, body = SSEParser(), "/api/v1/chat/stream", {"message": "bench"}
        count = lambda chunk: sum(m.event == "token" for m in parser.feed(chunk))
    else:
        decoder, path = ChatLineDecoder(), "/api/chat"
        body = {"model": "bench", "messages": [{"role": "user", "content": "bench"}]}
        count = lambda chunk: len(decoder.feed(chunk))
    async with httpx.AsyncClient(timeout=120) as client:
        async with client.stream("POST", url + path, json=body) as response:
            async for chunk in response.aiter_bytes():
                tokens += count(chunk)
    print(tokens)
asyncio.run(main(sys.argv[1], sys.argv[2]))
"""

#: A window that does nothing but wake 50 times a second, in the same qasync loop as the app.
IDLE_WINDOW = """
import asyncio, sys, qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("idle"))
window.resize(1000, 700)
window.show()
ticks = [0]
timer = QTimer()
timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
timer.start(20)
async def wait(seconds):
    await asyncio.sleep(seconds)
with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
    runner.run(wait(float(sys.argv[1])))
print(ticks[0])
"""

#: The window's own entry point with components switched off (argv[1], comma-separated) and,
#: with a profile path (argv[2]), profiled from SIGUSR1 to SIGUSR2 on the process CPU clock: the
#: benchmark sends those when the server sends the first token and the end, so start-up and
#: shutdown stay out of the profile.
WINDOW_VARIANT = """
import cProfile, signal, sys, time
from desktop.app import main
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.history.recording import AnswerRecording
from desktop.ui.metrics.dock import MetricsDock
off = set(filter(None, sys.argv[1].split(",")))
if "cache" in off:  # the answer is not recorded: no recorder, no writer thread work
    AnswerRecording._follow = lambda self, session, request: []
if "metrics" in off:  # no metrics recorder, timeline or live panel for the answer
    MetricsDock.follow_answer = lambda self, session, request: ()
if "render" in off:  # events reach the view, which draws nothing: no coalescer, no Markdown
    AssistantMessageView.push_token = lambda self, text: None
profile = cProfile.Profile(time.process_time)
if sys.argv[2]:
    signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
    signal.signal(signal.SIGUSR2, lambda *_: profile.disable())
code = main(sys.argv[3:])
profile.disable()
if sys.argv[2]:
    profile.dump_stats(sys.argv[2])
sys.exit(code)
"""
#: Components the breakdown switches off, one at a time (see ``WINDOW_VARIANT``).
SWITCHES = ("cache", "metrics", "render")


def window_command(url: str, protocol: str, data: Path) -> list[str]:
    settings = data / "settings.json"
    return [
        "-m", "desktop", "--server", url, "--protocol", protocol, "--model", "bench",
        "--ask", "bench", "--quit-when-done", "--db", str(data / "window.sqlite3"),
        "--settings", str(settings), "--size", "1000x700",
    ]  # fmt: skip


def reader_commands(url: str, protocol: str, data: Path) -> dict[str, list[str]]:
    py = sys.executable
    window_args = window_command(url, protocol, data)[2:]
    variants = {
        f"window, no {off}": [py, "-c", WINDOW_VARIANT, off, "", *window_args] for off in SWITCHES
    }
    return {
        "window": [py, *window_command(url, protocol, data)],
        "window, 2 answers": [py, *window_command(url, protocol, data), "--ask", "bench two"],
        **variants,
        "ask": [
            py, "-m", "desktop", "ask", "--url", url, "--protocol", protocol, "--model", "bench",
            "--db", str(data / "ask.sqlite3"), "bench",
        ],
        "bare httpx": [py, "-c", BARE, url, protocol],
    }  # fmt: skip


def environment(home: Path) -> dict[str, str]:
    """A data directory of its own, so no run touches the user's cache or settings."""
    return {
        **os.environ,
        "XDG_DATA_HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "XDG_STATE_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONFAULTHANDLER": "1",  # a crash leaves its stack in stderr
    }


class Sampled:
    """A child process whose CPU time (user + system) is sampled every ``SAMPLE_S``."""

    def __init__(self, command: list[str], home: Path) -> None:
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.started = time.monotonic()
        self.samples: list[tuple[float, float]] = []
        self._info = psutil.Process(self.proc.pid)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self.proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                times = self._info.cpu_times()
                self.samples.append((time.monotonic(), times.user + times.system))
            time.sleep(SAMPLE_S)

    def wait(self, timeout: float = 300) -> tuple[int, bytes, bytes]:
        out, err = self.proc.communicate(timeout=timeout)
        self._thread.join(5)
        return self.proc.returncode, out, err

    def cpu_at(self, moment: float) -> float:
        """CPU seconds used by ``moment``, interpolated between the two nearest samples."""
        before = [s for s in self.samples if s[0] <= moment]
        after = [s for s in self.samples if s[0] >= moment]
        if not before or not after:
            raise RuntimeError("the sampled span does not cover the moment asked for")
        (t0, c0), (t1, c1) = before[-1], after[0]
        return c0 if t1 == t0 else c0 + (c1 - c0) * (moment - t0) / (t1 - t0)

    def share(self, start: float, end: float) -> float:
        """Percent of one core used between ``start`` and ``end``."""
        return 100 * (self.cpu_at(end) - self.cpu_at(start)) / (end - start)


#: Readers that died of a signal after their answer had been sent in full (kept, and reported).
CRASHES: list[dict[str, Any]] = []


def checked(child: Sampled, what: str, *, answer_sent: Callable[[], bool] = lambda: False) -> None:
    code, _, err = child.wait()
    text = err.decode(errors="replace")[-3000:]
    if code < 0 and answer_sent():
        CRASHES.append({"reader": what, "exit": code, "stderr_tail": text})
        return
    if code != 0:
        raise RuntimeError(f"{what} exited {code}: {text[-600:]}")


def stream_shares(
    server: PacedServer, names: list[str], parallel: int = 1, answers: int = 1
) -> list[float]:
    """Start ``parallel`` copies of each reader in turn (each reading ``answers`` answers at
    once); their shares while the answers streamed."""
    shares: list[float] = []
    expected = parallel * answers
    for name in names:
        homes = [Path(tempfile.mkdtemp(prefix="bench-wcpu-")) for _ in range(parallel)]
        commands = [reader_commands(server.url, server.framing.name, home)[name] for home in homes]
        first = len(server.spans)
        children = [Sampled(command, home) for command, home in zip(commands, homes, strict=True)]

        def all_sent(first: int = first) -> bool:
            return len(server.spans) - first == expected

        for child in children:
            checked(child, name, answer_sent=all_sent)
        spans = server.spans[first:]
        if len(spans) != expected:
            raise RuntimeError(f"{name}: expected {expected} answers, the server sent {len(spans)}")
        # Each child against the span of the answer it read: with two at once, take the span
        # both were streaming (the later start to the earlier end).
        start, end = max(s for s, _ in spans), min(e for _, e in spans)
        shares.append(sum(child.share(start, end) for child in children))
    return shares


def idle_share() -> float:
    home = Path(tempfile.mkdtemp(prefix="bench-wcpu-idle-"))
    child = Sampled(
        [sys.executable, "-c", IDLE_WINDOW, str(IDLE_WARMUP_S + IDLE_SECONDS + 0.5)], home
    )
    checked(child, "idle window")
    start = child.started + IDLE_WARMUP_S
    return child.share(start, start + IDLE_SECONDS)


def spread(values: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "runs": [round(v, 2) for v in values],
    }


#: Component of a profiled function, by where it lives; the first match wins.
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("start-up (imports, module code)", ("<frozen importlib", "<module>")),
    ("coalescer flush", ("desktop/ui/widgets/token_coalescer",)),
    ("Markdown (split, render)", ("desktop/markdown/", "markdown_it/", "mdurl/")),
    ("Markdown view", ("desktop/ui/conversation/markdown_view", "desktop/ui/widgets/text_block")),
    ("metrics sinks, panel", ("desktop/metrics/", "desktop/ui/metrics/")),
    ("cache writer, recorder", ("desktop/store/", "sqlite3")),
    ("adapter, parser", ("desktop/protocol/", "json/", "'loads'", "'dumps'")),
    ("session, source", ("desktop/streaming/",)),
    ("conversation model", ("desktop/conversation/",)),
    ("bridge, controller, other ui", ("desktop/ui/",)),
    ("Qt native event loop (paint, layout, timers)", ("'exec'", "processEvents")),
    ("Qt calls from Python", ("PySide6", "shiboken", "Qt")),
    ("transport (httpx, httpcore, h11, ssl)", ("httpx/", "httpcore/", "h11/", "anyio/", "ssl")),
    ("event loop (asyncio, qasync)", ("asyncio/", "qasync/", "selectors", "select")),
    ("threads, locks", ("threading", "lock", "queue")),
]


def component(filename: str, name: str) -> str:
    where = f"{filename}:'{name}'"
    for label, markers in COMPONENTS:
        if any(m in where for m in markers):
            return label
    return "other"


def profile_breakdown(server: PacedServer) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="bench-wcpu-prof-"))
    out = home / "window.prof"
    command = [sys.executable, "-c", WINDOW_VARIANT, "", str(out)]
    command += window_command(server.url, server.framing.name, home)[2:]
    child = Sampled(command, home)
    signals = {"first": signal.SIGUSR1, "end": signal.SIGUSR2}
    server.listener = lambda moment: os.kill(child.proc.pid, signals[moment])
    try:
        checked(child, "profiled window")
    finally:
        server.listener = lambda moment: None
    start, end = server.spans[-1]
    sampled = child.cpu_at(end) - child.cpu_at(start)
    stats = pstats.Stats(str(out))
    groups: dict[str, float] = {}
    top: list[tuple[float, str]] = []
    for (filename, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        label = component(filename, name)
        groups[label] = groups.get(label, 0.0) + own
        top.append((own, f"{Path(filename).name}:{name}"))
    total = sum(groups.values())
    top.sort(reverse=True)
    return {
        "total_cpu_s": round(total, 3),
        # What the sampler saw in the same span; the rest is native code that ran outside any
        # profiled Python call (Qt's own event processing: layout, paint) plus other threads.
        "sampled_cpu_s": round(sampled, 3),
        "components": {
            k: {"cpu_s": round(v, 3), "share_pct": round(100 * v / total, 1)}
            for k, v in sorted(groups.items(), key=lambda kv: -kv[1])
        },
        "top_functions": [{"own_cpu_s": round(t, 3), "function": f} for t, f in top[:15]],
    }


@contextlib.contextmanager
def servers(rate: float, markdown_tokens: int) -> Iterator[dict[str, PacedServer]]:
    short = [SHORT_WORDS[i % len(SHORT_WORDS)] for i in range(150)]
    with (
        PacedServer(ASSIST, short, rate) as a,
        PacedServer(OLLAMA, make_tokens(markdown_tokens), rate) as o,
    ):
        yield {"short (assist, 150 tokens)": a, f"markdown (ollama, {markdown_tokens})": o}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--markdown-tokens", type=int, default=2000)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile breakdown")
    parser.add_argument(
        "--no-switches", action="store_true", help="skip the runs with components switched off"
    )
    parser.add_argument("--short-only", action="store_true", help="skip the Markdown answer")
    args = parser.parse_args()
    load_before = os.getloadavg()
    rows: dict[str, dict[str, Any]] = {}
    breakdown: dict[str, Any] = {}
    with servers(args.rate, args.markdown_tokens) as by_shape:
        for shape, server in by_shape.items():
            if args.short_only and server.framing is not ASSIST:
                continue
            readers = ["window", "ask", "bare httpx"]
            if not args.no_switches:
                readers += [f"window, no {off}" for off in SWITCHES]
            runs: dict[str, list[float]] = {name: [] for name in readers}
            runs["window, 2 answers"] = []
            runs["2 windows (sum)"] = []
            for _ in range(args.repeat):  # interleaved, so a burst of load hits every reader
                for name, share in zip(readers, stream_shares(server, readers), strict=True):
                    runs[name].append(share)
                runs["window, 2 answers"] += stream_shares(server, ["window, 2 answers"], answers=2)
                runs["2 windows (sum)"] += stream_shares(server, ["window"], parallel=2)
            rows[shape] = {name: spread(values) for name, values in runs.items()}
            if not args.no_profile:
                breakdown[shape] = profile_breakdown(server)
    idle = spread([idle_share() for _ in range(args.repeat)])
    print(
        f"\nCPU while the answer streams at {args.rate:g} tokens/s, % of one core, median of "
        f"{args.repeat} (min..max); shared 2-core machine, load {load_before[0]:.1f}"
    )
    shapes = list(rows)
    print("| reader | " + " | ".join(shapes) + " |")
    print("|---|" + "---|" * len(shapes))
    for name in next(iter(rows.values())):
        cells = [f"{rows[sh][name]['median']} ({rows[sh][name]['min']}..{rows[sh][name]['max']})"
                 for sh in shapes]  # fmt: skip
        print(f"| {name} | " + " | ".join(cells) + " |")
    for shape, row in rows.items():
        window = row["window"]["median"]
        costs = ", ".join(
            f"{off} {window - row[f'window, no {off}']['median']:.2f}"
            for off in SWITCHES
            if f"window, no {off}" in row
        )
        print(
            f"{shape}: window / ask {window / max(row['ask']['median'], 1e-9):.1f}, "
            f"2 answers in one window / 1 "
            f"{row['window, 2 answers']['median'] / max(window, 1e-9):.2f}, "
            f"2 windows / 1 {row['2 windows (sum)']['median'] / max(window, 1e-9):.2f}"
            + (
                f"; cost of each component (window minus window without it): {costs}"
                if costs
                else ""
            )
        )
    print(
        f"floor: an idle qasync window with a 50 Hz timer: {idle['median']} % "
        f"({idle['min']}..{idle['max']})"
    )
    for shape, result in breakdown.items():
        print(
            f"\nwindow under cProfile (process CPU clock, first token to end), {shape}: "
            f"{result['total_cpu_s']} s in Python calls of {result['sampled_cpu_s']} s sampled"
        )
        print("| component | CPU s | share |\n|---|---|---|")
        for label, cell in result["components"].items():
            print(f"| {label} | {cell['cpu_s']} | {cell['share_pct']} % |")
        print("top functions (own time): " + "; ".join(
            f"{t['function']} {t['own_cpu_s']}" for t in result["top_functions"][:8]
        ))  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    report = {
        "rate": args.rate,
        "repeat": args.repeat,
        "markdown_tokens": args.markdown_tokens,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "shared": True},
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "rows": rows,
        "idle_window_50hz": idle,
        "breakdown": breakdown,
        "crashed_after_the_answer": CRASHES,
        "note": "'window, 2 answers' is one window with --ask twice, both streaming at once; "
        "'2 windows' is two processes streaming at once, summed",
    }
    (RESULTS / "window_cpu.json").write_text(json.dumps(report, indent=2) + "\n")
    if CRASHES:
        print(f"{len(CRASHES)} reader(s) died of a signal after their answer: see the JSON")
    print(f"JSON: {(RESULTS / 'window_cpu.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
