"""Queued questions in a real cache file: kept across opens, withdrawn answers, the v6 step."""

from __future__ import annotations

from pathlib import Path

from desktop.protocol.request import ChatRequest
from desktop.store.database import open_database
from desktop.store.migrations import SCHEMA_VERSION, schema_version
from desktop.store.queued_rows import (
    delete_queued,
    load_queued,
    queue_after_first_try,
    save_queued,
)
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import QueuedQuestion
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

QUESTION = QueuedQuestion("q-1", "c-1", "Wie exportiere ich eine Unterhaltung?", 10.0)


def test_a_queued_question_survives_closing_the_file(db_path: Path) -> None:
    with CacheWriter(db_path) as writer:
        writer.submit(lambda c: save_queued(c, QUESTION)).result()
    connection = open_database(db_path).connection
    assert load_queued(connection) == [QUESTION]
    connection.close()


def test_a_queued_question_of_a_new_conversation_lists_that_conversation(db_path: Path) -> None:
    with CacheWriter(db_path) as writer:
        writer.submit(lambda c: save_queued(c, QUESTION)).result()
    with CacheRepository.open(db_path) as repository:
        (summary,) = repository.list_conversations()
    assert (summary.id, summary.title, summary.message_count) == (
        "c-1",
        QUESTION.text,
        0,
    )


def test_saving_again_edits_the_text_and_delete_removes_it(db_path: Path) -> None:
    with CacheWriter(db_path) as writer:
        writer.submit(lambda c: save_queued(c, QUESTION)).result()
        edited = QueuedQuestion("q-1", "c-1", "Wie drucke ich?", 10.0)
        writer.submit(lambda c: save_queued(c, edited)).result()
        assert writer.submit(load_queued).result() == [edited]
        writer.submit(lambda c: delete_queued(c, "q-1")).result()
        assert writer.submit(load_queued).result() == []


def test_queueing_after_a_failed_first_try_withdraws_that_try(writer: CacheWriter) -> None:
    recorder = AnswerRecorder.start(
        writer,
        server_url="http://127.0.0.1:9",
        protocol="assist",
        request=ChatRequest(QUESTION.text, "c-1"),
    )
    recorder.close("stopped")
    writer.submit(lambda c: queue_after_first_try(c, QUESTION, recorder.message_id)).result()
    rows = writer.submit(lambda c: c.execute("SELECT count(*) FROM messages").fetchone()).result()
    assert rows == (0,)
    assert writer.submit(load_queued).result() == [QUESTION]


def test_withdrawing_a_follow_up_keeps_the_earlier_turn(writer: CacheWriter) -> None:
    first = AnswerRecorder.start(
        writer, server_url="u", protocol="assist", request=ChatRequest("eins", "c-1")
    )
    first.close("done")
    second = AnswerRecorder.start(
        writer, server_url="u", protocol="assist", request=ChatRequest("zwei", "c-1")
    )
    second.close("stopped")
    follow_up = QueuedQuestion("q-2", "c-1", "zwei", 11.0)
    writer.submit(lambda c: queue_after_first_try(c, follow_up, second.message_id)).result()
    texts = writer.submit(
        lambda c: [r[0] for r in c.execute("SELECT role FROM messages ORDER BY position")]
    ).result()
    assert texts == ["user", "assistant"]


def test_a_v5_file_migrates_to_v6_and_keeps_its_conversations(tmp_path: Path) -> None:
    path = tmp_path / "v5.sqlite3"
    old = open_database(path, migrate_to=5).connection
    old.execute("INSERT INTO conversations (id, title, created, updated) VALUES ('c-1', 'T', 1, 2)")
    old.execute(
        "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
        "VALUES (1, 'c-1', 0, 'user', 'Hallo', 1, 'done')"
    )
    assert schema_version(old) == 5
    old.close()
    migrated = open_database(path).connection
    assert schema_version(migrated) == SCHEMA_VERSION
    save_queued(migrated, QueuedQuestion("q-1", "c-1", "Noch eine Frage", 3.0))
    assert [q.text for q in load_queued(migrated)] == ["Noch eine Frage"]
    assert migrated.execute("SELECT title FROM conversations").fetchall() == [("T",)]
    migrated.close()


def test_a_deleted_conversation_takes_its_queued_questions_along(db_path: Path) -> None:
    with CacheWriter(db_path) as writer:
        writer.submit(lambda c: save_queued(c, QUESTION)).result()
    with CacheRepository.open(db_path) as repository:
        repository.delete("c-1")
        repository.purge_deleted()
    connection = open_database(db_path).connection
    assert load_queued(connection) == []
    connection.close()


def test_a_v6_queue_migrates_to_v7_as_new_questions_and_every_kind_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v6.sqlite3"
    old = open_database(path, migrate_to=6).connection
    old.execute("INSERT INTO conversations (id, title, created, updated) VALUES ('c-1', 'T', 1, 2)")
    old.execute(
        "INSERT INTO queued_questions (id, conversation_id, text, queued_at) "
        "VALUES ('q-1', 'c-1', 'Noch eine Frage', 3.0)"
    )
    old.close()
    migrated = open_database(path).connection
    assert schema_version(migrated) == 7
    save_queued(migrated, QueuedQuestion("q-2", "c-1", "Noch eine Frage", 4.0, "regenerate"))
    save_queued(migrated, QueuedQuestion("q-3", "c-1", "Anders gefragt", 5.0, "edit"))
    save_queued(migrated, QueuedQuestion("q-3", "c-1", "Anders gefragt", 5.0, "ask"))  # tried
    assert [(q.id, q.kind) for q in load_queued(migrated)] == [
        ("q-1", "ask"),
        ("q-2", "regenerate"),
        ("q-3", "ask"),
    ]
    migrated.close()
