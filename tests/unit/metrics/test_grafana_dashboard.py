"""The Grafana dashboard queries only metrics the reference server really exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from desktop.server.metrics import ServerMetrics

DASHBOARD = Path(__file__).parents[3] / "packaging" / "grafana" / "assist-server-dashboard.json"
_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


def exposed_series() -> set[str]:
    names: set[str] = set()
    for family in ServerMetrics().registry.collect():
        names.update(family.name + suffix for suffix in _SUFFIXES[family.type])
    return names


def load() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_queried_series_is_exposed_by_the_server() -> None:
    exprs = [t["expr"] for p in load()["panels"] for t in p["targets"]]
    queried = {name for expr in exprs for name in re.findall(r"\bassist_[a-z_]+", expr)}
    assert queried
    assert queried <= exposed_series()


def test_the_dashboard_charts_what_the_issue_asks_for() -> None:
    exprs = " ".join(t["expr"] for p in load()["panels"] for t in p["targets"])
    for series in (
        "assist_streams_active",
        "assist_time_to_first_token_seconds_bucket",
        "assist_tokens_per_second_bucket",
        "assist_errors_total",
        "assist_events_sent_total",
    ):
        assert series in exprs
    assert "by (error_type)" in exprs


def test_panels_have_unique_ids_and_do_not_overlap() -> None:
    panels = load()["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    cells: set[tuple[int, int]] = set()
    for p in panels:
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24
        area = {
            (x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])
        }
        assert not area & cells, p["title"]
        cells |= area
