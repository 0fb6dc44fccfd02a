"""Opening the cache file: WAL, foreign keys, migrations, and what to do with a bad file.

A corrupt or unreadable file is moved aside as ``<name>.corrupt-<timestamp>`` (with its
``-wal``/``-shm``, so nothing is destroyed) and a fresh cache is started, with a message saying
so. A file from a newer schema is refused and left as it is. A directory or disk that cannot be
written gives :class:`CacheUnavailable`, which callers show while keeping the answer on screen.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.store.errors import CacheUnavailable
from desktop.store.migrations import check_not_newer, migrate
from desktop.store.paths import (
    companion_paths,
    default_db_path,
    prepare_private_file,
    restrict_modes,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS: Final = 5_000
#: SQLite page cache per connection, in KiB (the default is 2,000).
PAGE_CACHE_KIB: Final = 512
#: SQLite result codes that mean "this file is not a usable database".
_BAD_FILE: Final = frozenset({"SQLITE_NOTADB", "SQLITE_CORRUPT"})


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    """A ready connection and, if the old file was bad, where it went and what to tell the user."""

    connection: sqlite3.Connection
    path: Path
    notice: str | None = None
    moved_to: Path | None = None


def open_database(path: Path | None = None, *, migrate_to: int | None = None) -> OpenedDatabase:
    """Open (creating or migrating as needed) the cache at ``path`` or the default location.

    The connection is in autocommit mode (``BEGIN``/``COMMIT`` are explicit) and may be handed
    to another thread (``check_same_thread=False``), though only one thread may use it at a time.

    Raises:
        NewerSchemaError: the file is from a newer release (it is not modified).
        CacheUnavailable: the file cannot be created, opened or written.
    """
    own_directory = path is None
    db_path = (path or default_db_path()).expanduser()
    try:
        prepare_private_file(db_path, own_directory=own_directory)
    except OSError as exc:
        raise CacheUnavailable(str(db_path), _describe(exc)) from exc
    try:
        connection = _connect(db_path, migrate_to)
    except sqlite3.DatabaseError as exc:
        if not _is_bad_file(exc, db_path):
            raise CacheUnavailable(str(db_path), str(exc)) from exc
        moved_to = _move_aside(db_path)
        notice = (
            f"The answer cache {db_path} could not be read ({exc}); it was moved to "
            f"{moved_to} and a new, empty cache was started."
        )
        log.info("%s", notice)  # callers show it; a warning would print it twice on a CLI
        try:
            prepare_private_file(db_path, own_directory=own_directory)
            connection = _connect(db_path, migrate_to)
        except (OSError, sqlite3.DatabaseError) as retry_exc:
            raise CacheUnavailable(str(db_path), str(retry_exc)) from retry_exc
        return OpenedDatabase(connection, db_path, notice, moved_to)
    return OpenedDatabase(connection, db_path)


def _connect(db_path: Path, migrate_to: int | None) -> sqlite3.Connection:
    connection = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        # Read the version before anything writes the header (journal_mode does).
        check_not_newer(connection, str(db_path))
        connection.execute("PRAGMA journal_mode = WAL").fetchone()
        # FULL: a checkpointed answer survives power loss, not only a crash (one fsync a second).
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        # The writer mostly appends; a small page cache keeps an app that streams for hours
        # from holding SQLite's default 2 MB per connection (reads still hit the OS cache).
        connection.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB:d}")
        if migrate_to is None:
            migrate(connection, str(db_path))
        else:
            migrate(connection, str(db_path), target=migrate_to)
        restrict_modes(db_path)
    except BaseException:
        connection.close()
        raise
    return connection


def _is_bad_file(exc: sqlite3.DatabaseError, db_path: Path) -> bool:
    """Corrupt, not a database, or a file we may not read although we could replace it."""
    if getattr(exc, "sqlite_errorname", None) in _BAD_FILE:
        return True
    if isinstance(exc, sqlite3.OperationalError) and db_path.exists():
        unreadable = not os.access(db_path, os.R_OK | os.W_OK)
        return unreadable and os.access(db_path.parent, os.W_OK | os.X_OK)
    return False


def _move_aside(db_path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{n}")
    try:
        # The WAL may hold the only copy of recent answers: move it along, under the new name.
        for companion in companion_paths(db_path):
            if companion.exists():
                suffix = companion.name[len(db_path.name) :]
                companion.rename(target.with_name(target.name + suffix))
        db_path.rename(target)
    except OSError as exc:
        raise CacheUnavailable(str(db_path), f"it is damaged and cannot be moved ({exc})") from exc
    return target


def _describe(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{reason} ({exc.filename})" if exc.filename else reason
