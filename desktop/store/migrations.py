"""Bringing a cache file up to the current schema, one step per version.

Each step is a function from version ``n`` to ``n + 1``; all pending steps of one open run in a
single ``BEGIN IMMEDIATE`` transaction together with the new ``user_version``, so a crash in
the middle leaves the old version intact. A file from a newer version is refused, never
touched: a downgrade must not destroy what a newer release wrote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final

from desktop.store.errors import NewerSchemaError
from desktop.store.schema import V1, V2, V3, V4, V5, V6, V7


def _to_v1(connection: sqlite3.Connection) -> None:
    _run_script(connection, V1)


def _to_v2(connection: sqlite3.Connection) -> None:
    _run_script(connection, V2)


def _to_v3(connection: sqlite3.Connection) -> None:
    _run_script(connection, V3)


def _to_v4(connection: sqlite3.Connection) -> None:
    _run_script(connection, V4)


def _to_v5(connection: sqlite3.Connection) -> None:
    _run_script(connection, V5)


def _to_v6(connection: sqlite3.Connection) -> None:
    _run_script(connection, V6)


def _to_v7(connection: sqlite3.Connection) -> None:
    _run_script(connection, V7)


def _run_script(connection: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first; run statement by statement to stay in the transaction.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            connection.execute(statement)
            statement = ""


#: STEPS[n] upgrades a version-n file to version n + 1.
STEPS: Final[tuple[Callable[[sqlite3.Connection], None], ...]] = (
    _to_v1,
    _to_v2,
    _to_v3,
    _to_v4,
    _to_v5,
    _to_v6,
    _to_v7,
)
SCHEMA_VERSION: Final = len(STEPS)


def schema_version(connection: sqlite3.Connection) -> int:
    """The file's ``PRAGMA user_version`` (0 for a new, empty file)."""
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_not_newer(connection: sqlite3.Connection, path: str) -> int:
    """The file's version; raises :class:`NewerSchemaError` if this release cannot read it."""
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(path, version, SCHEMA_VERSION)
    return version


def migrate(
    connection: sqlite3.Connection, path: str, *, target: int = SCHEMA_VERSION
) -> tuple[int, int]:
    """Apply every step from the file's version up to ``target`` in one transaction.

    ``connection`` must be in autocommit mode (``isolation_level=None``). Returns the version
    before and after. ``target`` below the current version exists for tests that build old files.
    """
    if check_not_newer(connection, path) >= target:
        version = schema_version(connection)
        return version, version
    connection.execute("BEGIN IMMEDIATE")
    try:
        before = check_not_newer(connection, path)  # another process may have migrated meanwhile
        for step in STEPS[before:target]:
            step(connection)
        connection.execute(f"PRAGMA user_version = {max(before, target):d}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return before, max(before, target)
