"""Metrics panel benchmark: CPU cost of the open panel, and loop lag with it open in the window.

Part 1, CPU share of one core (process CPU time / wall time) over a fixed window, with tokens
fed at 50 and 2,000 tokens/s straight into the metrics sinks (recorder and timeline, as the
bridge does) by a 10 ms feeder timer:

* ``idle``: the event loop with nothing but the feeder, no tokens (the floor);
* ``sinks``: tokens into the sinks, no panel (what the metrics cost while the dock is hidden);
* ``panel``: the same with the metrics panel shown (charts and figures at 10 Hz);
* ``bare``: two bare pyqtgraph plots whose curves get ``setData`` on every 10 Hz tick,
  the baseline the issue names.

Part 2, the render benchmark's probe (lateness of a 1 ms timer) while a 20,000-token answer
streams at 20,000 tokens/s into the real window, with the metrics dock hidden and shown.

Run: ``.venv/bin/python tests/benchmarks/bench_metrics_panel.py [--seconds S] [--quick]``.
Prints a table and writes ``tests/benchmarks/results/metrics_panel.json``. The machine has two
cores shared with other work: the figures are preliminary; compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyqtgraph as pg  # noqa: E402
import qasync  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget  # noqa: E402

from desktop.metrics.recorder import StreamMetricsRecorder  # noqa: E402
from desktop.metrics.timeline import INSTANT, ROLLING, StreamTimeline, T  # noqa: E402
from desktop.protocol.events import StreamEvent, StreamStarted, Token  # noqa: E402
from desktop.ui.metrics.dock import MetricsDock  # noqa: E402
from desktop.ui.metrics.panel import MetricsPanel  # noqa: E402

RESULTS = ROOT / "tests" / "benchmarks" / "results" / "metrics_panel.json"
FEED_INTERVAL_MS = 10
SIZE = (900, 600)


class Feeder:
    """Pushes the tokens due at ``rate`` into the sinks every 10 ms, as the bridge would."""

    def __init__(self, rate: float, sinks: list[Callable[[StreamEvent, float], None]]) -> None:
        self.rate = rate
        self.sinks = sinks
        self.sent = 0
        self.start = time.monotonic()
        self.timer = QTimer()
        self.timer.setObjectName("bench-feeder")
        self.timer.setInterval(FEED_INTERVAL_MS)
        self.timer.timeout.connect(self._feed)
        for sink in sinks:
            sink(StreamStarted(1, "bench"), self.start)

    def _feed(self) -> None:
        now = time.monotonic()
        due = int((now - self.start) * self.rate)
        while self.sent < due:
            token = Token(self.sent + 2, "x", self.sent)
            for sink in self.sinks:
                sink(token, now)
            self.sent += 1


def bare_plots(timeline: StreamTimeline) -> tuple[QWidget, QTimer]:
    """Two plain PlotWidgets redrawn on every 10 Hz tick, changed or not."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    curves = []
    for _ in range(2):
        plot = pg.PlotWidget()
        layout.addWidget(plot)
        curves.append(plot.plot())
    timer = QTimer(widget)
    timer.setObjectName("bench-bare-refresh")
    timer.setInterval(100)

    def redraw() -> None:
        timeline.advance(time.monotonic())
        rows = timeline.rate_rows()
        curves[0].setData(rows[:, T], rows[:, INSTANT])
        curves[1].setData(rows[:, T], rows[:, ROLLING])

    timer.timeout.connect(redraw)
    return widget, timer


def measure(kind: str, rate: float, seconds: float) -> dict[str, Any]:
    """CPU share of one core while ``kind`` runs for ``seconds`` at ``rate`` tokens/s."""
    now = time.monotonic()
    recorder = StreamMetricsRecorder(started_at=now)
    timeline = StreamTimeline(started_at=now)
    feeder = Feeder(rate if kind != "idle" else 0.0, [recorder, timeline])
    shown: QWidget | None = None
    extra_timer: QTimer | None = None
    if kind == "panel":
        panel = MetricsPanel()
        panel.watch(recorder, timeline)
        shown = panel
    elif kind == "bare":
        shown, extra_timer = bare_plots(timeline)
    if shown is not None:
        shown.resize(*SIZE)
        shown.show()
    QApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    feeder.timer.start()
    if extra_timer is not None:
        extra_timer.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    loop.exec()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    feeder.timer.stop()
    if shown is not None:
        shown.hide()
        shown.deleteLater()
    QApplication.processEvents()
    return {
        "kind": kind,
        "rate": rate,
        "tokens": feeder.sent,
        "wall_s": round(wall, 2),
        "core_pct": round(100 * cpu / wall, 2),
    }


def lag_with_dock(quick: bool) -> list[dict[str, Any]]:
    """The render benchmark's 20,000 tokens/s run, with the metrics dock hidden and shown."""
    import bench_render as render

    from desktop.settings import Settings
    from desktop.ui.bridge import StreamBridge
    from desktop.ui.window import theme
    from desktop.ui.window.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)

    async def scenario() -> list[dict[str, Any]]:
        theme.apply(app, theme.LIGHT)
        factory = render.Factory()
        bridge = StreamBridge(factory)
        window = MainWindow(bridge, Settings(theme="light"))
        dock = MetricsDock()
        window.set_metrics_widget(dock)
        window.resize(1100, 900)
        window.show()

        def follow_answer(_session: object, _request: object) -> tuple[Any, ...]:
            recorder = StreamMetricsRecorder(started_at=time.monotonic())
            return recorder, dock.watch_live(recorder)

        bridge.observe(follow_answer)
        count = 4000 if quick else 20_000
        rows = []
        for dock_shown in (False, True, False, True):
            window.metrics_dock.setVisible(dock_shown)
            window.controller.new_conversation()
            result = await render.run_rate(window, factory, 20_000, render.make_tokens(count))
            result["dock_shown"] = dock_shown
            rows.append(result)
        bridge.close()
        window.close()
        return rows

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(scenario())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=6.0, help="per CPU measurement (6)")
    parser.add_argument("--repeats", type=int, default=2, help="runs per CPU row; median (2)")
    parser.add_argument("--quick", action="store_true", help="short runs, for a smoke check")
    args = parser.parse_args()
    seconds = 1.5 if args.quick else args.seconds
    repeats = 1 if args.quick else args.repeats
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)

    cpu_rows = []
    plan = [("idle", 0.0), ("bare", 50.0)]
    plan += [(kind, rate) for rate in (50.0, 2000.0) for kind in ("sinks", "panel")]
    for kind, rate in plan:
        runs = [measure(kind, rate, seconds) for _ in range(repeats)]
        row = dict(runs[0])
        row["core_pct"] = round(statistics.median(r["core_pct"] for r in runs), 2)
        row["runs_core_pct"] = [r["core_pct"] for r in runs]
        cpu_rows.append(row)
    by = {(r["kind"], r["rate"]): r["core_pct"] for r in cpu_rows}
    idle = by[("idle", 0.0)]
    for row in cpu_rows:
        row["above_idle_pct"] = round(row["core_pct"] - idle, 2)
        if row["kind"] == "panel":
            row["panel_only_pct"] = round(row["core_pct"] - by[("sinks", row["rate"])], 2)

    lag_rows = lag_with_dock(args.quick)
    platform = os.environ["QT_QPA_PLATFORM"]
    result = {
        "cpu": cpu_rows,
        "lag_20k": lag_rows,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform,
            "seconds": seconds,
            "repeats": repeats,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")

    print(f"Metrics panel CPU cost -- preliminary, shared 2-core machine, Qt platform {platform}")
    print(
        f"{'scenario':<10} {'tok/s':>6} {'tokens':>7} {'core %':>7} {'above idle':>11} "
        f"{'panel only':>11}  runs"
    )
    for r in cpu_rows:
        panel_only = r.get("panel_only_pct", "")
        print(
            f"{r['kind']:<10} {r['rate']:>6.0f} {r['tokens']:>7} {r['core_pct']:>6}% "
            f"{r['above_idle_pct']:>10}% {panel_only!s:>10}{'%' if panel_only != '' else ' '}"
            f"  {r['runs_core_pct']}"
        )
    print()
    print("Loop lag at 20,000 tokens/s in the real window (1 ms probe lateness)")
    print(
        f"{'dock':<7} {'tokens':>7} {'lag p50':>8} {'lag p99':>8} {'lag max':>8} {'core %':>7} "
        f"{'exact':>6}"
    )
    for r in lag_rows:
        print(
            f"{'shown' if r['dock_shown'] else 'hidden':<7} {r['tokens']:>7} "
            f"{r['lag_p50_ms']:>6}ms {r['lag_p99_ms']:>6}ms {r['lag_max_ms']:>6}ms "
            f"{r['core_share_pct']:>6}% {r['text_exact']!s:>6}"
        )
    print(f"JSON: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
