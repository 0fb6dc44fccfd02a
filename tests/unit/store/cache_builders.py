"""Shared builders for the cache tests (imported by module name; tests have no packages)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.protocol.events import Done, StreamEvent, StreamStarted, Thinking, Token, Usage


def scripted_answer(tokens: int, *, stream_id: str = "s-1") -> list[StreamEvent]:
    """``stream``, a thinking line, ``tokens`` tokens, ``done`` with consecutive ids."""
    events: list[StreamEvent] = [
        StreamStarted(1, stream_id, model="demo"),
        Thinking(2, message="Suche in der Dokumentation"),
    ]
    events += [Token(3 + i, f"w{i} ", i) for i in range(tokens)]
    events.append(Done(3 + tokens, "stop", Usage(5, tokens), 123.0))
    return events


def read_one(db_path: Path, sql: str, *params: object) -> tuple[object, ...]:
    """One row from a separate connection, as another process would see the file."""
    c = sqlite3.connect(db_path)
    try:
        row = c.execute(sql, params).fetchone()
    finally:
        c.close()
    assert row is not None
    return tuple(row)
