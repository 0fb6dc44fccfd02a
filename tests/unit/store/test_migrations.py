"""Every earlier schema version migrates to the current one, keeping its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store.database import open_database
from desktop.store.migrations import SCHEMA_VERSION, migrate, schema_version


def _schema(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {(name, sql) for name, sql in rows}


def _fill_v1(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES ('c1', 'Export', 1, 2)"
    )
    connection.executemany(
        "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
        "VALUES (?, 'c1', ?, ?, ?, 1, ?)",
        [
            (1, 0, "user", "Wie exportiere ich eine Unterhaltung?", "done"),
            (2, 1, "assistant", "Über das Menü Datei, dann Exportieren.", "done"),
            (3, 2, "assistant", "Ein halber Satz über Kalender", "streaming"),
        ],
    )
    connection.execute(
        "INSERT INTO streams (message_id, server_url, protocol, stream_id, last_event_id, "
        "state, started) VALUES (3, 'http://127.0.0.1:9', 'assist', 'abc', 7, 'streaming', 1)"
    )


def test_the_current_version_is_at_least_two() -> None:
    assert SCHEMA_VERSION >= 2


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_every_earlier_version_migrates_to_the_schema_of_a_new_file(
    tmp_path: Path, start: int
) -> None:
    fresh = open_database(tmp_path / "fresh.sqlite3").connection
    expected = _schema(fresh)
    fresh.close()

    old = open_database(tmp_path / "old.sqlite3", migrate_to=start).connection
    assert schema_version(old) == start
    if start >= 1:
        _fill_v1(old)
    old.close()

    migrated = open_database(tmp_path / "old.sqlite3").connection
    assert schema_version(migrated) == SCHEMA_VERSION
    assert _schema(migrated) == expected
    if start >= 1:
        texts = [r[0] for r in migrated.execute("SELECT text FROM messages ORDER BY position")]
        assert texts[0] == "Wie exportiere ich eine Unterhaltung?"
        row = migrated.execute(
            "SELECT stream_id, last_event_id, text_event_id FROM streams"
        ).fetchone()
        # a v1/v2 text was always whole; rows written into a v3 file directly have no fold yet
        assert row == ("abc", 7, 7 if start < 3 else 0)
    migrated.close()


def test_migrating_v1_indexes_settled_messages_and_leaves_streaming_ones_for_later(
    tmp_path: Path,
) -> None:
    old = open_database(tmp_path / "c.sqlite3", migrate_to=1).connection
    _fill_v1(old)
    old.close()
    c = open_database(tmp_path / "c.sqlite3").connection

    def hits(term: str) -> list[int]:
        rows = c.execute("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?", (term,))
        return sorted(r[0] for r in rows)

    assert hits("exportieren") == [2]
    assert hits("kalender") == []
    c.execute("UPDATE messages SET state = 'interrupted' WHERE id = 3")
    assert hits("kalender") == [3]
    c.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")
    c.close()


def test_a_failed_step_leaves_the_old_version_intact(tmp_path: Path) -> None:
    c = open_database(tmp_path / "c.sqlite3", migrate_to=1).connection
    c.execute("CREATE TABLE events (clash INTEGER)")  # makes the v2 step fail
    with pytest.raises(sqlite3.OperationalError):
        migrate(c, "c.sqlite3")
    assert schema_version(c) == 1
    assert (
        c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'").fetchone()[0]
        == 0
    )
    c.close()
