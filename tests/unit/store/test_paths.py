"""The cache's location and file modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop.protocol.events import Done, StreamStarted, Token
from desktop.protocol.request import ChatRequest
from desktop.store.database import open_database
from desktop.store.paths import DB_FILENAME, default_db_path
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_xdg_data_home_moves_the_default_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "assist-desktop" / DB_FILENAME


def test_default_directory_is_private_and_files_are_0600_including_wal_and_shm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    old_umask = os.umask(0)  # the modes must come from the code, not from a strict umask
    try:
        _stream_one_answer()
    finally:
        os.umask(old_umask)
    db = default_db_path()
    assert _mode(db.parent) == 0o700
    assert _mode(db) == 0o600


def _stream_one_answer() -> None:
    with CacheWriter() as writer:
        recorder = AnswerRecorder.start(
            writer, server_url="http://127.0.0.1:1", protocol="assist", request=ChatRequest("Hi")
        )
        recorder(StreamStarted(1, "s"), 0.0)
        recorder(Token(2, "Hallo", 0), 0.1)
        recorder(Done(3, "stop"), 0.2)
        recorder.close()
        db = default_db_path()
        # while the writer is open, WAL and shared-memory files exist
        assert [_mode(p) for p in (db, db.with_name(db.name + "-wal"))] == [0o600, 0o600]
        assert _mode(db.with_name(db.name + "-shm")) == 0o600


def test_an_existing_default_directory_is_tightened_but_a_chosen_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default_dir = default_db_path().parent
    default_dir.mkdir(parents=True, mode=0o755)
    default_dir.chmod(0o755)
    open_database().connection.close()
    assert _mode(default_dir) == 0o700

    chosen = tmp_path / "shared"
    chosen.mkdir(mode=0o755)
    chosen.chmod(0o755)
    open_database(chosen / "mine.sqlite3").connection.close()
    assert _mode(chosen) == 0o755
    assert _mode(chosen / "mine.sqlite3") == 0o600


def test_a_copied_in_file_with_loose_mode_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    open_database(db).connection.close()
    db.chmod(0o644)
    open_database(db).connection.close()
    assert _mode(db) == 0o600
