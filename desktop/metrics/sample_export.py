"""A stream's chart samples as CSV or JSON, for a developer's own tools (numpy, a notebook)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from desktop.metrics.timeline import CUMULATIVE, INSTANT, ROLLING, StreamTimeline, T

CSV_COLUMNS = ("t_s", "tokens_per_second", "rolling_tokens_per_second", "tokens")


def samples_csv(timeline: StreamTimeline) -> str:
    """One row per rate bin: time (s since start), instant and rolling tokens/s, tokens so far."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in timeline.rate_rows():
        writer.writerow(
            (_num(row[T]), _num(row[INSTANT]), _num(row[ROLLING]), int(row[CUMULATIVE]))
        )
    return out.getvalue()


def samples_document(timeline: StreamTimeline) -> dict[str, Any]:
    """Everything the charts show, as plain JSON values."""
    rows = timeline.rate_rows()
    return {
        "bin_width_s": timeline.bin_width,
        "ttft_s": timeline.ttft,
        "tokens": timeline.tokens,
        "finished": timeline.finished,
        "samples": [
            {
                "t_s": _num(row[T]),
                "tokens_per_second": _num(row[INSTANT]),
                "rolling_tokens_per_second": _num(row[ROLLING]),
                "tokens": int(row[CUMULATIVE]),
            }
            for row in rows
        ],
        "gaps_s": [_num(gap) for gap in timeline.gap_values()],
        "reconnects": [{"start_s": r.start, "end_s": r.end} for r in timeline.reconnects],
    }


def samples_json(timeline: StreamTimeline) -> str:
    return json.dumps(samples_document(timeline), indent=2)


def save_samples(timeline: StreamTimeline, path: Path) -> None:
    """Write CSV or JSON, chosen by the file's suffix (``.json``; anything else is CSV)."""
    text = samples_json(timeline) if path.suffix.lower() == ".json" else samples_csv(timeline)
    path.write_text(text, encoding="utf-8")


def _num(value: Any) -> float:
    """A float rounded to microseconds, so exports do not carry binary noise."""
    return round(float(value), 6)
