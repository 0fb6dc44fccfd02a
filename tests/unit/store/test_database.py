"""Opening the cache: pragmas, bad files, newer files, read-only directories."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store.database import open_database
from desktop.store.errors import CacheUnavailable, NewerSchemaError
from desktop.store.migrations import SCHEMA_VERSION


def test_a_new_cache_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "c.sqlite3")
    c = opened.connection
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert opened.notice is None
    c.close()


def test_a_corrupt_file_is_moved_aside_with_a_timestamp_and_a_new_cache_started(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.sqlite3"
    garbage = b"this is not a database, just some bytes " * 200
    db.write_bytes(garbage)
    opened = open_database(db)
    assert opened.moved_to is not None
    assert opened.moved_to.name.startswith("c.sqlite3.corrupt-")
    assert opened.moved_to.read_bytes() == garbage
    assert opened.notice is not None
    assert str(opened.moved_to) in opened.notice
    assert "new, empty cache" in opened.notice
    count = opened.connection.execute("SELECT count(*) FROM conversations").fetchone()[0]
    assert count == 0
    opened.connection.close()


def test_a_damaged_page_inside_a_real_database_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    connection = open_database(db).connection
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the header
    db.write_bytes(bytes(data))
    opened = open_database(db)
    assert opened.moved_to is not None
    assert opened.moved_to.exists()
    opened.connection.close()


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE future (x)")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    with pytest.raises(NewerSchemaError) as caught:
        open_database(db)
    assert caught.value.found == SCHEMA_VERSION + 1
    assert "newer version" in str(caught.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite3"]


@contextlib.contextmanager
def _read_only(directory: Path) -> Iterator[None]:
    """Make ``directory`` unwritable, even for root (which ignores mode bits)."""
    directory.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(directory)], check=True)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        directory.chmod(0o755)


def test_a_read_only_directory_gives_a_clear_cache_unavailable(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    with _read_only(directory), pytest.raises(CacheUnavailable) as caught:
        open_database(directory / "c.sqlite3")
    message = str(caught.value)
    assert str(directory / "c.sqlite3") in message
    assert "not saved" in message


def test_a_missing_parent_under_a_read_only_directory_gives_cache_unavailable(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    with _read_only(directory), pytest.raises(CacheUnavailable):
        open_database(directory / "sub" / "c.sqlite3")


def test_an_existing_cache_in_a_directory_made_read_only_is_reported_not_moved(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    db = directory / "c.sqlite3"
    open_database(db).connection.close()
    for leftover in directory.glob("c.sqlite3-*"):
        leftover.unlink()
    with _read_only(directory), pytest.raises(CacheUnavailable):
        open_database(db)
    assert sorted(p.name for p in directory.iterdir()) == ["c.sqlite3"]
    shutil.rmtree(directory)
