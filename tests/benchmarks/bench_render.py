"""Rendering benchmark: streamed tokens into the real window (offscreen), at several rates.

Measures, per rate: event-loop lag (lateness of a 1 ms probe timer, p50/p99), flushes, CPU
seconds per 1,000 tokens and the share of one core, and dropped or reordered tokens (the final
answer must equal the streamed text exactly). Separately: the cost of one flush with 1k and
with 100k tokens already in the answer (and with 100k tokens in earlier messages), and the cold
start of the application to the window's first paint.

Run: ``.venv/bin/python tests/benchmarks/bench_render.py [--quick]``. Prints a table and writes
``tests/benchmarks/results/render.json``. The machine is shared, so treat figures as
preliminary and compare ratios rather than absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.protocol.events import Done, StreamEvent, StreamStarted, Token  # noqa: E402
from desktop.protocol.request import ChatRequest  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.ui.bridge import StreamBridge  # noqa: E402
from desktop.ui.conversation.message_view import AssistantMessageView  # noqa: E402
from desktop.ui.window import theme  # noqa: E402
from desktop.ui.window.main_window import MainWindow  # noqa: E402

RESULTS = ROOT / "tests" / "benchmarks" / "results" / "render.json"
#: The source wakes at most this often and then delivers every token that is due, as a network
#: read delivers several events at once; waking per token would measure qasync's timers.
BURST_S = 0.004


def make_tokens(count: int) -> list[str]:
    """Markdown-like answer text cut into word tokens: paragraphs, lists and code blocks."""
    words = [
        "Die",
        "Antwort",
        "streamt",
        "Wort",
        "für",
        "Wort",
        "in",
        "das",
        "Fenster",
        "und",
        "bleibt",
        "dabei",
        "flüssig",
        "lesbar",
        "while",
        "the",
        "window",
        "keeps",
        "rendering",
        "every",
        "block",
        "exactly",
        "once",
    ]
    tokens: list[str] = []
    i = 0
    while len(tokens) < count:
        section = (i // 40) % 6
        if section == 3 and i % 40 == 0:
            tokens.append("\n\n```python\n")
        if section == 3:
            tokens.append(f"value_{i} = compute({i})\n")
        else:
            tokens.append(("- " if section == 5 and i % 8 == 0 else "") + words[i % len(words)])
            tokens.append(
                "\n\n" if i % 37 == 36 else ("\n" if section == 5 and i % 8 == 7 else " ")
            )
        if section == 3 and i % 40 == 39:
            tokens.append("```\n\n")
        i += 1
    return tokens[:count]


class PacedSource:
    """Yields ``tokens`` at ``rate`` tokens per second (in bursts per loop wake-up)."""

    def __init__(self, tokens: list[str], rate: float) -> None:
        self.tokens = tokens
        self.rate = rate
        self.stream_id: str | None = "bench"

    async def events(self) -> AsyncIterator[StreamEvent]:
        yield StreamStarted(1, "bench")
        loop = asyncio.get_running_loop()
        start = loop.time()
        sent = 0
        total = len(self.tokens)
        while sent < total:
            due = min(total, int((loop.time() - start) * self.rate) + 1)
            while sent < due:
                yield Token(sent + 2, self.tokens[sent], sent)
                sent += 1
            wait = (sent + 1) / self.rate - (loop.time() - start)
            await asyncio.sleep(max(BURST_S, wait))
        yield Done(total + 2, "stop")

    async def cancel(self) -> None:
        return None

    def drop_connection(self) -> None:
        return None


class Factory:
    def __init__(self) -> None:
        self.next: PacedSource | None = None

    def start(self, request: ChatRequest) -> PacedSource:
        assert self.next is not None
        return self.next

    def resume(self, stream_id: str, last_event_id: int) -> None:
        return None


@contextlib.contextmanager
def without_rendering() -> Iterator[None]:
    """Events still flow through the bridge and controller, but answers draw nothing."""
    original = AssistantMessageView.push_token
    AssistantMessageView.push_token = lambda self, text: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        AssistantMessageView.push_token = original  # type: ignore[method-assign]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run_rate(
    window: MainWindow, factory: Factory, rate: float, tokens: list[str], *, probe_lag: bool = True
) -> dict[str, Any]:
    lateness: list[float] = []
    last = [time.perf_counter()]
    probe = QTimer()
    probe.setObjectName("bench-lag-probe")
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(1)

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - 0.001))
        last[0] = now

    probe.timeout.connect(tick)
    factory.next = PacedSource(tokens, rate)
    finished = asyncio.get_running_loop().create_future()
    window.controller.answer_finished.connect(lambda o: finished.done() or finished.set_result(o))
    cpu0, wall0 = time.process_time(), time.perf_counter()
    last[0] = wall0
    if probe_lag:  # the 1 ms probe costs CPU itself, so CPU is measured in runs without it
        probe.start()
    window.controller.send(f"rate {rate}")
    answer = window.transcript.last_answer()
    await finished
    while answer is not None and not answer.finalized:  # noqa: ASYNC110 (a backlog drains)
        await asyncio.sleep(0.005)
    probe.stop()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    assert answer is not None
    expected = "".join(tokens)
    got = answer.text
    mismatch = (
        0
        if got == expected
        else next(
            (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
            min(len(got), len(expected)),
        )
    )
    return {
        "rate": rate,
        "tokens": len(tokens),
        "wall_s": round(wall, 3),
        "lag_p50_ms": round(percentile(lateness, 50) * 1000, 2),
        "lag_p99_ms": round(percentile(lateness, 99) * 1000, 2),
        "lag_max_ms": round(max(lateness, default=0) * 1000, 2),
        "flushes": answer.markdown.flush_count,
        "cpu_s_per_1k_tokens": round(cpu / len(tokens) * 1000, 4),
        "core_share_pct": round(100 * cpu / wall, 2),
        "text_exact": got == expected,
        "first_mismatch_at": None if got == expected else mismatch,
    }


def flush_cost_by_size(window: MainWindow, total: int, batch: int) -> dict[str, Any]:
    """Feed ``total`` tokens in frame-sized batches straight into a new answer view."""
    tokens = make_tokens(total)
    view = window.transcript.add_answer()
    costs: list[tuple[int, float]] = []
    fed = 0
    while fed < total:
        for token in tokens[fed : fed + batch]:
            view.push_token(token)
        fed += batch
        started = time.perf_counter()
        view.flush()
        QApplication.processEvents()  # layout and paint belong to the cost of a flush
        costs.append((fed, time.perf_counter() - started))
    view.finish(view.state.DONE)

    def window(lo: int, hi: int, q: float) -> float:
        return percentile([c for n, c in costs if lo < n <= hi], q) * 1000

    span = min(5000, total // 3)  # ~125 flushes per window, so p99 is more than the maximum
    early = (1000, 1000 + span)
    late = (total - span, total)
    p50 = (window(*early, 50), window(*late, 50))
    p99 = (window(*early, 99), window(*late, 99))
    return {
        "tokens": total,
        "batch": batch,
        "p50_ms_at_1k": round(p50[0], 3),
        "p50_ms_at_end": round(p50[1], 3),
        "p99_ms_at_1k": round(p99[0], 3),
        "p99_ms_at_end": round(p99[1], 3),
        "ratio": round(p99[1] / p99[0], 2) if p99[0] else None,
        "ratio_p50": round(p50[1] / p50[0], 2) if p50[0] else None,
        "segments": view.markdown.segment_count,
    }


def cold_start() -> dict[str, Any]:
    """Seconds from process start to the first paint of the main window (embedded server)."""
    child = textwrap.dedent(
        """
        import os, sys, time
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication
        app = QApplication(sys.argv[:1])
        class FirstPaint(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and type(obj).__name__ == "MainWindow":
                    sys.stdout.write(f"{time.time()}\\n")
                    sys.stdout.flush()
                    os._exit(0)
                return False
        hook = FirstPaint()
        app.installEventFilter(hook)
        from desktop.app import main
        main(sys.argv[1:])
        """
    )
    runs = []
    for _ in range(3):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", child, "--settings", "/nonexistent-dir/settings.json"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]) - started)
    libraries = []
    for _ in range(3):
        started = time.time()
        subprocess.run(
            [sys.executable, "-c", "import PySide6.QtWidgets, qasync, httpx, markdown_it"],
            check=True,
            timeout=60,
        )
        libraries.append(time.time() - started)
    return {
        "first_paint_s": round(statistics.median(runs), 3),
        "runs": [round(r, 3) for r in runs],
        "libraries_import_s": round(statistics.median(libraries), 3),
    }


async def scenario(app: QApplication, quick: bool) -> dict[str, Any]:
    theme.apply(app, theme.LIGHT)
    factory = Factory()
    window = MainWindow(StreamBridge(factory), Settings(theme="light"))
    window.resize(1100, 800)
    window.show()
    count = 4000 if quick else 20_000
    rates: list[dict[str, Any]] = []
    slow_tokens = make_tokens(150 if quick else 500)  # 3 s / 10 s at 50 tokens/s
    runs = ((50, slow_tokens), (2000, make_tokens(count)), (20_000, make_tokens(count)))
    for rate, tokens in runs:
        window.controller.new_conversation()
        with without_rendering():
            baseline = await run_rate(window, factory, rate, tokens, probe_lag=False)
        window.controller.new_conversation()
        unprobed = await run_rate(window, factory, rate, tokens, probe_lag=False)
        window.controller.new_conversation()
        measured = await run_rate(window, factory, rate, tokens)
        for key in ("cpu_s_per_1k_tokens", "core_share_pct"):
            measured[key] = unprobed[key]
        measured["text_exact"] = measured["text_exact"] and unprobed["text_exact"]
        measured["pipeline_core_share_pct"] = baseline["core_share_pct"]
        measured["window_core_share_pct"] = round(
            unprobed["core_share_pct"] - baseline["core_share_pct"], 2
        )
        measured["window_cpu_s_per_1k_tokens"] = round(
            unprobed["cpu_s_per_1k_tokens"] - baseline["cpu_s_per_1k_tokens"], 4
        )
        rates.append(measured)
    window.controller.new_conversation()
    in_answer = flush_cost_by_size(window, 12_000 if quick else 102_000, 40)
    # 100k tokens in earlier messages, then a fresh answer: its flushes must not notice them.
    for _ in range(4):
        flush_cost_by_size(window, 25_000 if not quick else 3000, 400)
    in_conversation = flush_cost_by_size(window, 4000, 40)
    window.bridge.close()
    window.close()
    return {
        "rates": rates,
        "flush_in_answer": in_answer,
        "flush_after_conversation": in_conversation,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs (for a smoke check)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        result = runner.run(scenario(app, args.quick))
    result["cold_start"] = cold_start()
    result["machine"] = {"cpus": os.cpu_count(), "platform": "offscreen", "quick": args.quick}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")

    print("Rendering into the real window (offscreen) -- preliminary, shared 2-core machine")
    print(
        f"{'rate tok/s':>10} {'tokens':>7} {'lag p50':>8} {'lag p99':>8} {'lag max':>8} "
        f"{'flushes':>8} {'CPU s/1k':>9} {'core %':>7} {'window %':>9} {'exact':>6}"
    )
    for r in result["rates"]:
        print(
            f"{r['rate']:>10} {r['tokens']:>7} {r['lag_p50_ms']:>7}ms {r['lag_p99_ms']:>7}ms "
            f"{r['lag_max_ms']:>7}ms {r['flushes']:>8} {r['cpu_s_per_1k_tokens']:>9} "
            f"{r['core_share_pct']:>7} {r['window_core_share_pct']:>9} {r['text_exact']!s:>6}"
        )
    print(
        "lag from a run with a 1 ms probe timer; CPU from runs without it: core % = the whole "
        "process (paced source, bridge, window), window % = that minus a run whose answers draw "
        "nothing"
    )
    fa, fc = result["flush_in_answer"], result["flush_after_conversation"]
    print(
        f"flush in one answer, p50/p99: {fa['p50_ms_at_1k']}/{fa['p99_ms_at_1k']} ms from 1k "
        f"tokens, {fa['p50_ms_at_end']}/{fa['p99_ms_at_end']} ms near {fa['tokens'] // 1000}k "
        f"(x{fa['ratio_p50']}/x{fa['ratio']}, {fa['segments']} frozen segments)"
    )
    print(
        f"a new answer after 100k tokens of conversation, p50/p99: {fc['p50_ms_at_1k']}/"
        f"{fc['p99_ms_at_1k']} ms early, {fc['p50_ms_at_end']}/{fc['p99_ms_at_end']} ms late"
    )
    cs = result["cold_start"]
    print(
        f"cold start to first paint: {cs['first_paint_s']} s (runs {cs['runs']}); "
        f"importing the libraries alone: {cs['libraries_import_s']} s"
    )
    print(f"JSON: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
