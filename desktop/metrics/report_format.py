"""The analytics report as a terminal table, CSV or JSON (what ``assist-desktop metrics`` prints).

CSV holds the per-stream rows only, one line each, for spreadsheets; the table and JSON add
the aggregate and the success checks.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from desktop.metrics.analytics import Aggregate, Distribution, StreamSummary, SuccessCheck

STREAM_COLUMNS = (
    "message_id",
    "started",
    "server_url",
    "state",
    "tokens",
    "ttft_ms",
    "tokens_per_second",
    "duration_ms",
    "reconnects",
    "downtime_ms",
    "error_types",
)


def stream_row(summary: StreamSummary) -> dict[str, Any]:
    """One stream as the report's columns (times rounded to 0.1 ms, rates to 0.01)."""
    return {
        "message_id": summary.message_id,
        "started": _iso(summary.started),
        "server_url": summary.server_url,
        "state": summary.state,
        "tokens": summary.tokens,
        "ttft_ms": _round(summary.ttft_ms, 1),
        "tokens_per_second": _round(summary.tokens_per_second, 2),
        "duration_ms": _round(summary.duration_ms, 1),
        "reconnects": summary.reconnects,
        "downtime_ms": _round(summary.downtime_ms, 1),
        "error_types": " ".join(summary.error_types),
    }


def report_document(
    summaries: Sequence[StreamSummary], total: Aggregate, checks: Sequence[SuccessCheck]
) -> dict[str, Any]:
    """The whole report as JSON values."""
    aggregate = asdict(total)
    aggregate["reconnect_success_rate"] = total.reconnect_success_rate
    aggregate["error_recovery_rate"] = total.error_recovery_rate
    streams = [stream_row(s) | {"error_types": list(s.error_types)} for s in summaries]
    return {
        "streams": streams,
        "aggregate": aggregate,
        "success_metrics": [asdict(check) for check in checks],
    }


def format_json(
    summaries: Sequence[StreamSummary], total: Aggregate, checks: Sequence[SuccessCheck]
) -> str:
    return json.dumps(report_document(summaries, total, checks), indent=2) + "\n"


def format_csv(summaries: Sequence[StreamSummary]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STREAM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for summary in summaries:
        writer.writerow(stream_row(summary))
    return out.getvalue()


def format_table(
    summaries: Sequence[StreamSummary], total: Aggregate, checks: Sequence[SuccessCheck]
) -> str:
    """Aligned text: the streams, the distributions, the totals and the verdicts."""
    columns = (
        "started",
        "state",
        "tokens",
        "ttft_ms",
        "tokens_per_second",
        "reconnects",
        "error_types",
    )
    rows = [[_cell(stream_row(s)[c]) for c in columns] for s in summaries]
    lines = [f"Streams: {total.streams} ({total.completed} completed)", ""]
    lines += _aligned([list(columns), *rows]) if rows else ["(no cached streams match)"]
    lines += ["", *_aligned(_distribution_rows(total))]
    lines += [
        "",
        f"reconnects: {total.reconnects} in {total.drops} connection losses, "
        f"{total.drops_recovered} recovered",
        f"streams with errors: {total.streams_with_errors}, {total.streams_recovered} completed",
        "error types: " + (", ".join(f"{k} {v}" for k, v in total.error_types.items()) or "none"),
        "",
        *_aligned(
            [["success metric", "target", "measured", "result"]]
            + [[c.name, c.target, _measured(c), c.verdict.upper()] for c in checks]
        ),
    ]
    return "\n".join(lines) + "\n"


def _distribution_rows(total: Aggregate) -> list[list[str]]:
    header = ["figure", "n", "mean", "p50", "p95", "p99", "min", "max"]

    def row(name: str, d: Distribution) -> list[str]:
        values = (d.mean, d.p50, d.p95, d.p99, d.minimum, d.maximum)
        return [name, str(d.count), *(_cell(_round(v, 1)) for v in values)]

    return [
        header,
        row("ttft_ms", total.ttft_ms),
        row("tokens_per_second", total.tokens_per_second),
    ]


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _measured(check: SuccessCheck) -> str:
    if check.measured is None:
        return "-"
    if "%" in check.target:
        return f"{check.measured:.1%}"
    return f"{check.measured:.1f}"


def _cell(value: object) -> str:
    return "-" if value is None or value == "" else str(value)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _iso(unix: float) -> str:
    return datetime.fromtimestamp(unix).astimezone().isoformat(timespec="seconds")
