"""AnswerRecorder: checkpoint cadence, one transaction per checkpoint, states, disk trouble."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from pathlib import Path

import pytest
from cache_builders import read_one, scripted_answer

from desktop.protocol.events import (
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    StreamError,
    StreamEvent,
    StreamStarted,
    Token,
)
from desktop.protocol.request import ChatRequest, HistoryItem
from desktop.store.errors import CacheError, CacheUnavailable
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

REQUEST = ChatRequest("Wie exportiere ich eine Unterhaltung?")


def _start(writer: CacheWriter, **kw: object) -> AnswerRecorder:
    return AnswerRecorder.start(
        writer,
        server_url="http://127.0.0.1:8765",
        protocol="assist",
        request=REQUEST,
        **kw,  # type: ignore[arg-type]
    )


def test_a_streaming_answer_is_checkpointed_at_least_once_per_second_in_few_transactions(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = _start(writer)
    events = scripted_answer(1000)
    # 50 tokens a second on a fake clock: 20 s of streaming
    stamps = [i * 0.02 for i in range(len(events))]
    for event, stamp in zip(events, stamps, strict=True):
        recorder(event, stamp)
    recorder.close()

    gaps = [b - a for a, b in itertools.pairwise(recorder.checkpoint_stamps)]
    assert max(gaps) <= 1.0
    # batched: about one checkpoint per 0.8 s, not one per token
    assert stamps[-1] / 1.0 <= recorder.checkpoints <= stamps[-1] / 0.8 + 4
    assert writer.transactions == 1 + recorder.checkpoints  # the insert, then one per checkpoint

    text = "".join(e.content for e in events if isinstance(e, Token))
    assert read_one(
        db_path, "SELECT text, state FROM messages WHERE id = ?", recorder.message_id
    ) == (
        text,
        "done",
    )
    assert read_one(
        db_path,
        "SELECT stream_id, last_event_id, state, tokens FROM streams WHERE message_id = ?",
        recorder.message_id,
    ) == ("s-1", events[-1].id, "done", 1000)  # type: ignore[union-attr]
    assert read_one(db_path, "SELECT count(*) FROM events") == (len(events),)


def test_text_on_disk_always_matches_the_last_applied_id(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = _start(writer)
    events = scripted_answer(300)
    by_id = {e.id: e for e in events}  # type: ignore[union-attr]
    for n, event in enumerate(events):
        recorder(event, n * 0.05)
        if n % 37 == 0:
            writer.flush()
            with CacheRepository.open(db_path) as other_process:
                stored = other_process.stream(str(recorder.message_id))
            expected = "".join(
                e.content
                for i, e in sorted(by_id.items())
                if isinstance(e, Token) and i <= stored.last_event_id
            )
            assert stored.text == expected
    recorder.close()


def test_a_stalled_answer_is_checkpointed_by_the_writers_ticker(db_path: Path) -> None:
    now = [0.0]
    with CacheWriter(db_path, clock=lambda: now[0], tick_interval=0.01) as writer:
        recorder = _start(writer)
        recorder(StreamStarted(1, "s"), 0.0)
        recorder(Token(2, "Hallo", 0), 0.5)
        assert recorder.checkpoints == 1  # only the stream's start so far
        committed = threading.Event()
        now[0] = 1.0  # the stream then stalls: no more events arrive
        writer.add_ticker(lambda _now: recorder.checkpoints >= 2 and committed.set())
        assert committed.wait(10)
        writer.flush()
        with CacheRepository.open(db_path) as other_process:
            assert other_process.stream(str(recorder.message_id)).text == "Hallo"
        recorder.close()


def test_a_reconnect_is_checkpointed_at_once(writer: CacheWriter) -> None:
    recorder = _start(writer)
    recorder(Connecting("u", 0, False), 0.0)
    recorder(StreamStarted(1, "s"), 0.01)
    recorder(Token(2, "a", 0), 0.02)
    before = recorder.checkpoints
    recorder(Reconnecting(1, 8, 1.0, "connection reset", 2), 0.03)
    assert recorder.checkpoints == before + 1
    assert recorder.state == "streaming"
    recorder.close()


@pytest.mark.parametrize(
    ("terminal", "state", "error"),
    [
        (Done(3, "stop"), "done", None),
        (Done(3, "length"), "done", None),
        (Done(3, "cancelled"), "stopped", None),
        (
            StreamError(3, "token_limit", "zu lang", resumable=False),
            "failed",
            "token_limit: zu lang",
        ),
        (Rejected("not_resumable", "stream expired", 410), "interrupted", "stream expired"),
        (Rejected("unauthorized", "bad token", 401), "failed", "bad token"),
        (GaveUp(8, "connection refused"), "interrupted", "connection refused"),
    ],
)
def test_the_terminal_event_sets_the_stream_state(
    writer: CacheWriter, db_path: Path, terminal: StreamEvent, state: str, error: str | None
) -> None:
    recorder = _start(writer)
    for n, event in enumerate([StreamStarted(1, "s"), Token(2, "Teil", 0), terminal]):
        recorder(event, n * 0.1)
    recorder.close()
    assert read_one(
        db_path, "SELECT state, error FROM streams WHERE message_id = ?", recorder.message_id
    ) == (state, error)
    assert read_one(db_path, "SELECT text FROM messages WHERE id = ?", recorder.message_id) == (
        "Teil",
    )


def test_closing_without_a_terminal_event_keeps_the_answer_resumable(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = _start(writer)
    recorder(StreamStarted(1, "s"), 0.0)
    recorder(Token(2, "halb", 0), 0.1)
    recorder.close()
    assert read_one(
        db_path,
        "SELECT state, last_event_id FROM streams WHERE message_id = ?",
        recorder.message_id,
    ) == ("interrupted", 2)


def test_the_question_and_its_history_start_a_titled_conversation(
    writer: CacheWriter, db_path: Path
) -> None:
    request = ChatRequest(
        "Und als PDF?\nBitte kurz.",
        history=(HistoryItem("user", "Export?"), HistoryItem("assistant", "Über Datei.")),
    )
    recorder = AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:1", protocol="assist", request=request
    )
    recorder.close()
    with sqlite3.connect(db_path) as c:
        rows = c.execute(
            "SELECT role, text, state FROM messages WHERE conversation_id = ? ORDER BY position",
            (recorder.conversation_id,),
        ).fetchall()
        title = c.execute("SELECT title FROM conversations").fetchone()[0]
    c.close()
    assert rows == [
        ("user", "Export?", "done"),
        ("assistant", "Über Datei.", "done"),
        ("user", "Und als PDF?\nBitte kurz.", "done"),
        ("assistant", "", "interrupted"),
    ]
    assert title == "Und als PDF?"


def test_attach_continues_an_answer_where_the_cache_left_it(
    writer: CacheWriter, db_path: Path
) -> None:
    first = _start(writer)
    first(StreamStarted(1, "s"), 0.0)
    first(Token(2, "Hallo ", 0), 0.1)
    first.close()
    second = AnswerRecorder.attach(writer, first.message_id)
    assert second.text == "Hallo "
    assert second.last_event_id == 2
    second(Token(3, "Welt", 1), 5.0)
    second(Token(4, "", 2), 6.0)  # the first checkpoint of a resume says "streaming" again
    writer.flush()
    assert read_one(
        db_path,
        "SELECT m.state, s.state FROM messages m JOIN streams s ON s.message_id = m.id",
    ) == ("streaming", "streaming")
    second(Done(5, "stop"), 6.1)
    second.close()
    assert read_one(db_path, "SELECT text FROM messages WHERE id = ?", first.message_id) == (
        "Hallo Welt",
    )
    assert read_one(db_path, "SELECT count(*), max(seq) FROM events") == (5, 4)


def test_a_full_disk_is_reported_and_nothing_is_lost_once_there_is_room(db_path: Path) -> None:
    errors: list[CacheError] = []
    with CacheWriter(db_path, on_error=errors.append) as writer:
        recorder = _start(writer)
        recorder(StreamStarted(1, "s"), 0.0)
        writer.flush()
        (pages,) = writer.submit(lambda c: c.execute("PRAGMA page_count").fetchone()).result()
        writer.submit(lambda c: c.execute(f"PRAGMA max_page_count = {pages}")).result()
        big = "x" * 20_000
        for i in range(10):
            recorder(Token(2 + i, big, i), 1.0 + i)
        writer.flush()
        assert errors
        assert isinstance(errors[0], CacheUnavailable)
        assert "full" in str(errors[0])
        assert recorder.text == big * 10  # still on screen

        writer.submit(lambda c: c.execute("PRAGMA max_page_count = 1000000")).result()
        recorder(Done(12, "stop"), 20.0)
        recorder.close()
    assert read_one(
        db_path, "SELECT length(text) FROM messages WHERE id = ?", recorder.message_id
    ) == (200_000,)
    assert read_one(db_path, "SELECT count(*) FROM events") == (12,)


def test_two_writers_on_one_file_record_side_by_side(db_path: Path) -> None:
    """A window and an ``ask`` in another process share the cache; busy_timeout serialises."""
    with CacheWriter(db_path) as first, CacheWriter(db_path) as second:
        recorders = [_start(first), _start(second)]
        for n in range(400):
            for k, recorder in enumerate(recorders):
                event = StreamStarted(1, f"s{k}") if n == 0 else Token(n + 1, f"{k}:{n} ", n - 1)
                recorder(event, n * 0.01)
        for recorder in recorders:
            recorder(Done(401, "stop"), 4.01)
            recorder.close()
        assert first.last_error is None
        assert second.last_error is None
    with CacheRepository.open(db_path) as repo:
        for k, recorder in enumerate(recorders):
            stored = repo.stream(str(recorder.message_id))
            assert stored.stream_id == f"s{k}"
            assert stored.text == "".join(f"{k}:{n} " for n in range(1, 400))
            assert stored.state == "done"
