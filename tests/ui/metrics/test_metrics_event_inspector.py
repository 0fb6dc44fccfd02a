"""The event inspector: rows arrive in batches, filter by type and text, copy and save."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.protocol.sse import SSEMessage
from desktop.ui.metrics.event_inspector import EventInspector


@pytest.fixture
def inspector(qtbot: QtBot) -> EventInspector:
    clock = iter(float(i) / 100 for i in range(100_000))
    widget = EventInspector(clock=lambda: next(clock))
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    widget.begin()
    return widget


def message(event: str, data: str, event_id: int) -> SSEMessage:
    return SSEMessage(event=event, data=data, id=str(event_id), has_id=True)


def feed_answer(inspector: EventInspector, tokens: int) -> None:
    inspector.feed(message("stream", '{"stream_id":"s-1"}', 1), 19)
    for i in range(tokens):
        data = json.dumps({"content": f"Wort{i}", "index": i})
        inspector.feed(message("token", data, i + 2), len(data))
        if i % 50 == 49:
            inspector.feed(message("progress", f'{{"tokens_sent":{i + 1}}}', i + 2), 17)
    inspector.feed(message("done", '{"finish_reason":"stop"}', tokens + 2), 24)


def test_rows_arrive_in_one_batch_per_flush_not_per_event(
    qtbot: QtBot, inspector: EventInspector
) -> None:
    inserted: list[tuple[int, int]] = []
    inspector.model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    feed_answer(inspector, 500)
    assert inspector.model.rowCount() == 0  # nothing yet: the batch timer has not fired
    assert inspector.model.flush_timer.isActive()
    qtbot.waitUntil(lambda: inspector.model.rowCount() == 512)
    assert inserted == [(0, 511)]
    assert inspector.model.batches == 1


def test_the_filters_narrow_the_shown_rows(inspector: EventInspector) -> None:
    feed_answer(inspector, 100)
    inspector.model.flush()
    assert inspector.type_filter.count() == 5  # all, stream, token, progress, done
    inspector.set_filter("progress")
    assert [r.data for r in inspector.shown_records()] == [
        '{"tokens_sent":50}',
        '{"tokens_sent":100}',
    ]
    inspector.set_filter("token", "wort7")
    assert [r.id for r in inspector.shown_records()] == [
        str(i + 2) for i in (7, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79)
    ]
    inspector.set_filter(text="finish_reason")
    assert [r.type for r in inspector.shown_records()] == ["done"]
    inspector.set_filter()
    assert inspector.proxy.rowCount() == 104


def test_the_rows_show_id_type_time_size_and_data(inspector: EventInspector) -> None:
    feed_answer(inspector, 3)
    inspector.model.flush()
    model = inspector.proxy
    row = [model.index(1, column).data() for column in range(5)]
    assert row == ["2", "token", "0.020", "32", '{"content": "Wort0", "index": 0}']


def test_copy_and_save_write_json_lines(inspector: EventInspector, tmp_path: Path) -> None:
    feed_answer(inspector, 20)
    inspector.model.flush()
    inspector.set_filter("token")
    inspector.table.selectRow(0)
    inspector.copy_selection()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert [json.loads(line)["id"] for line in copied] == ["2"]
    count = inspector.save(tmp_path / "events.jsonl")
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert count == len(lines) == 20
    first = json.loads(lines[0])
    assert first == {
        "id": "2",
        "type": "token",
        "t": pytest.approx(0.02),
        "size": 32,
        "data": '{"content": "Wort0", "index": 0}',
    }


def test_the_oldest_rows_go_past_the_limit(inspector: EventInspector) -> None:
    inspector.model.max_rows = 100
    feed_answer(inspector, 300)
    inspector.model.flush()
    assert inspector.model.rowCount() == 100
    assert inspector.model.rows[-1].type == "done"


def test_a_new_stream_clears_the_table_and_the_type_list(inspector: EventInspector) -> None:
    feed_answer(inspector, 5)
    inspector.model.flush()
    inspector.begin()
    assert inspector.model.rowCount() == 0
    assert inspector.type_filter.count() == 1


def test_a_hidden_inspector_only_queues_rows_and_shows_them_when_shown(
    inspector: EventInspector,
) -> None:
    inspector.hide()
    feed_answer(inspector, 50)
    assert not inspector.model.flush_timer.isActive()  # no timer outlives a closed dock
    assert inspector.model.rowCount() == 0
    inspector.show()
    assert inspector.model.rowCount() == 53


def test_a_hidden_inspector_keeps_only_what_it_could_show(inspector: EventInspector) -> None:
    inspector.model.max_rows = 100
    inspector.hide()
    feed_answer(inspector, 1000)
    inspector.show()
    assert inspector.model.rowCount() == 100
    assert inspector.model.rows[-1].type == "done"
