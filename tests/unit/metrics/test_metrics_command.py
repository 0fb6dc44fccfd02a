"""``assist-desktop metrics`` against a cache written with the store's own recorder."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Resumed,
    StreamEvent,
    StreamStarted,
    Token,
)
from desktop.protocol.request import ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter

SERVER = "http://127.0.0.1:8765"
DAY_ONE = 1_790_000_000.0  # 2026-09-21
DAY_TWO = DAY_ONE + 86_400


def tokens(first_id: int, n: int, start: float, gap: float) -> list[tuple[StreamEvent, float]]:
    return [(Token(first_id + i, "x", i), start + i * gap) for i in range(n)]


def fast_answer() -> list[tuple[StreamEvent, float]]:
    """TTFT 200 ms, 100 tokens/s, no trouble."""
    return [
        (Connecting(SERVER, 0, False), 0.0),
        (Connected(SERVER, False, "s1"), 0.05),
        (StreamStarted(1, "s1"), 0.06),
        *tokens(2, 51, 0.2, 0.01),
        (Done(53, "stop"), 0.71),
    ]


def dropped_answer(recover: bool) -> list[tuple[StreamEvent, float]]:
    """TTFT 800 ms, 20 tokens/s, one connection loss that is or is not recovered."""
    events: list[tuple[StreamEvent, float]] = [
        (Connecting(SERVER, 0, False), 0.0),
        (StreamStarted(1, "s2"), 0.1),
        *tokens(2, 10, 0.8, 0.05),
        (Reconnecting(1, 5, 0.5, "HTTP 503", 11), 1.3),
    ]
    if not recover:
        return [*events, (GaveUp(5, "HTTP 503"), 3.0)]
    return [
        *events,
        (Resumed(11, 1, 0.7), 2.0),
        *tokens(12, 10, 2.0, 0.05),
        (Done(22, "stop"), 2.5),
    ]


def record(
    writer: CacheWriter,
    events: Sequence[tuple[StreamEvent, float]],
    created: float,
    server: str = SERVER,
) -> None:
    recorder = AnswerRecorder.start(
        writer,
        server_url=server,
        protocol="assist",
        request=ChatRequest("Wie geht das?"),
        wall_clock=lambda: created,
    )
    for event, stamp in events:
        recorder(event, 1000.0 + stamp)
    recorder.close()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache.sqlite3"
    with CacheWriter(path) as writer:
        record(writer, fast_answer(), DAY_ONE)
        record(writer, dropped_answer(recover=True), DAY_TWO)
        record(writer, dropped_answer(recover=False), DAY_TWO + 60)
        record(writer, fast_answer(), DAY_TWO + 120, server="http://127.0.0.1:9999")
        writer.flush()
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["metrics", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_report_holds_each_streams_figures(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, "--db", str(cache))
    streams = report["streams"]
    assert isinstance(streams, list)
    assert [s["state"] for s in streams] == ["done", "done", "interrupted", "done"]
    first, second, third, _ = streams
    assert first["ttft_ms"] == pytest.approx(200, abs=0.1)
    assert first["tokens_per_second"] == pytest.approx(100, abs=0.1)
    assert first["reconnects"] == 0
    assert second["ttft_ms"] == pytest.approx(800, abs=0.1)
    assert second["reconnects"] == 1
    assert second["downtime_ms"] == pytest.approx(700, abs=0.1)
    assert second["error_types"] == ["http_503"]
    assert third["error_types"] == ["http_503", "gave_up"]


def test_aggregate_and_success_metrics_are_judged(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, "--db", str(cache))
    aggregate = report["aggregate"]
    assert isinstance(aggregate, dict)
    assert aggregate["streams"] == 4
    assert aggregate["ttft_ms"]["p50"] == pytest.approx(500, abs=0.1)  # of 200, 200, 800, 800
    assert aggregate["drops"] == 2
    assert aggregate["reconnect_success_rate"] == pytest.approx(0.5)
    assert aggregate["error_recovery_rate"] == pytest.approx(0.5)
    assert aggregate["error_types"] == {"http_503": 2, "gave_up": 1}
    verdicts = {m["name"]: m["verdict"] for m in report["success_metrics"]}  # type: ignore[union-attr]
    assert verdicts == {
        "time to first token (p50)": "fail",
        "tokens per second (p50)": "pass",
        "reconnect success": "fail",
        "error recovery": "fail",
    }


def test_since_and_server_narrow_the_streams(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import datetime

    since = datetime.fromtimestamp(DAY_TWO - 1).isoformat()
    later = run_json(capsys, "--db", str(cache), "--since", since)
    assert len(later["streams"]) == 3  # type: ignore[arg-type]
    one_server = run_json(capsys, "--db", str(cache), "--server", SERVER + "/")
    assert len(one_server["streams"]) == 3  # type: ignore[arg-type]
    both = run_json(capsys, "--db", str(cache), "--since", since, "--server", SERVER)
    assert [s["state"] for s in both["streams"]] == ["done", "interrupted"]  # type: ignore[union-attr]


def test_csv_has_one_row_per_stream(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--db", str(cache), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4
    assert float(rows[0]["ttft_ms"]) == pytest.approx(200, abs=0.1)
    assert rows[2]["error_types"] == "http_503 gave_up"


def test_table_shows_figures_and_verdicts(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--db", str(cache)]) == 0
    table = capsys.readouterr().out
    assert "Streams: 4 (3 completed)" in table
    assert "ttft_ms" in table
    assert re.search(r"reconnect success\s+> 95%\s+50.0%\s+FAIL", table)
    assert "tokens per second (p50)" in table


def test_a_missing_cache_gives_an_empty_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", "--db", str(tmp_path / "none.sqlite3"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["streams"] == []
    assert "no answer cache" in captured.err
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["metrics", "--since", "yesterday"])
    assert exit_info.value.code == 2
    assert "not an ISO date" in capsys.readouterr().err
