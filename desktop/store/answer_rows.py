"""The SQL that creates an answer's rows and checkpoints it; runs on the writer thread only.

A checkpoint is one transaction: the events received since the last one and the stream row
(last applied id, state, timings). The token events carry the new text, so text and last
applied id always agree on disk, which is what makes a resume exact. At a state change the
checkpoint also folds the text into ``messages.text`` (and moves ``text_event_id``), so a
settled answer is plain text for search and export; in between, the whole text is not
rewritten every second (that cost grew with the answer: see ``bench_cache.py``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.protocol.events import StreamEvent
from desktop.store.event_codec import encode_stream_event

TITLE_CHARS = 80


#: Message ids count milliseconds from here (2024-01-01 UTC), shifted left by ID_RANDOM_BITS.
ID_EPOCH_MS = 1_704_067_200_000
ID_RANDOM_BITS = 12
_last_id = 0
_id_lock = threading.Lock()


def new_message_id() -> int:
    """A positive id below 2**53 (exact in JSON and JavaScript) that grows with time.

    Time first, so newer messages have larger ids (search lists the newest matches cheaply by
    rowid); 12 random bits, so two processes writing the same file in the same millisecond
    practically never collide; strictly increasing within a process. Good until 2093.
    """
    global _last_id
    stamp = max(0, time.time_ns() // 1_000_000 - ID_EPOCH_MS)
    candidate = (stamp << ID_RANDOM_BITS) | secrets.randbits(ID_RANDOM_BITS)
    with _id_lock:
        _last_id = max(candidate, _last_id + 1)
        return _last_id


def title_from(message: str) -> str:
    """The first non-empty line of the question, shortened: the conversation's initial title."""
    line = next((ln.strip() for ln in message.splitlines() if ln.strip()), "Untitled")
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class AnswerRows:
    """What to insert for a new answer: the question, the answer placeholder and its stream."""

    conversation_id: str
    title: str
    question: str
    history: Sequence[tuple[str, str]]
    user_message_id: int
    message_id: int
    server_url: str
    protocol: str
    created: float
    #: Another answer to the conversation's last question (a regenerate): no new question row;
    #: it becomes the chosen one of that question's alternatives.
    alternative: bool = False
    #: The question is the user's edit of the conversation's last one: that question and its
    #: answers go, so a reopened conversation, search and exports show what the window showed.
    replaces_last: bool = False


@dataclass(slots=True)
class Checkpoint:
    """A consistent snapshot of one answer, taken on the thread that applied its events."""

    message_id: int
    conversation_id: str
    #: The whole text at a state change; ``None`` while streaming (the token events carry it).
    text: str | None
    last_event_id: int
    stream_id: str | None
    state: str
    error: str | None
    tokens: int
    ttft_ms: float | None
    finished: float | None
    updated: float
    #: ``(seq, event, offset_ms)`` of the events not yet written.
    events: list[tuple[int, StreamEvent, float]] = field(default_factory=list)
    rows: AnswerRows | None = None


def insert_answer(connection: sqlite3.Connection, rows: AnswerRows) -> None:
    """Insert the conversation (unless it exists), the question, the answer and its stream."""
    replaced = (
        _remove_last_exchange(connection, rows.conversation_id) if rows.replaces_last else None
    )
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, deleted_at = NULL",
        (rows.conversation_id, rows.title, rows.created, rows.created),
    )
    if replaced is not None:
        _retitle_after_edit(connection, rows, replaced)
    (position,) = connection.execute(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE conversation_id = ?",
        (rows.conversation_id,),
    ).fetchone()
    messages: list[tuple[int, str, str, str]] = []
    if position == 0:  # a new conversation: keep the history the question was asked with
        messages += [(new_message_id(), role, text, "done") for role, text in rows.history]
    if rows.alternative and position > 0:
        connection.execute(
            "UPDATE messages SET chosen = 0 WHERE conversation_id = ? AND role = 'assistant' "
            "AND position > (SELECT COALESCE(MAX(position), -1) FROM messages "
            "WHERE conversation_id = ? AND role != 'assistant')",
            (rows.conversation_id, rows.conversation_id),
        )
    else:
        messages.append((rows.user_message_id, "user", rows.question, "done"))
    messages.append((rows.message_id, "assistant", "", "streaming"))
    connection.executemany(
        "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (mid, rows.conversation_id, position + i, role, text, rows.created, state)
            for i, (mid, role, text, state) in enumerate(messages)
        ],
    )
    connection.execute(
        "INSERT INTO streams (message_id, server_url, protocol, state, started, owner_pid) "
        "VALUES (?, ?, ?, 'streaming', ?, ?)",
        (rows.message_id, rows.server_url, rows.protocol, rows.created, os.getpid()),
    )


def _remove_last_exchange(connection: sqlite3.Connection, conversation_id: str) -> str | None:
    """Delete the last question and every answer after it (their streams and events follow);
    the deleted question's text, if there was one."""
    row = connection.execute(
        "SELECT text FROM messages WHERE conversation_id = ? AND role = 'user' "
        "ORDER BY position DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    connection.execute(
        "DELETE FROM messages WHERE conversation_id = ? AND position >= (SELECT MAX(position) "
        "FROM messages WHERE conversation_id = ? AND role = 'user')",
        (conversation_id, conversation_id),
    )
    return None if row is None else str(row[0])


def _retitle_after_edit(connection: sqlite3.Connection, rows: AnswerRows, replaced: str) -> None:
    """An edit of a conversation's only question titles it after the edit, as asking it first
    would have; a title the user gave it (anything but the one made from the old question)
    stays."""
    connection.execute(
        "UPDATE conversations SET title = ? WHERE id = ? AND title = ? AND NOT EXISTS "
        "(SELECT 1 FROM messages WHERE conversation_id = ? AND role = 'user')",
        (rows.title, rows.conversation_id, title_from(replaced), rows.conversation_id),
    )


class CheckpointGap(Exception):
    """An earlier checkpoint of this answer failed; its events must be written first."""


def write_checkpoint(connection: sqlite3.Connection, checkpoint: Checkpoint) -> None:
    """Write one snapshot; creates the rows first if their insert was lost (e.g. disk full).

    Raises:
        CheckpointGap: the events before this batch are missing (a failed checkpoint); the
            recorder then sends them again with the next one, so text never skips a piece.
    """
    cursor = connection.execute(*_stream_update(checkpoint))
    if cursor.rowcount == 0 and checkpoint.rows is not None:
        insert_answer(connection, checkpoint.rows)
        write_checkpoint(connection, dataclasses.replace(checkpoint, rows=None))
        return
    if checkpoint.events:
        (next_seq,) = connection.execute(
            "SELECT COALESCE(MAX(seq) + 1, 0) FROM events WHERE message_id = ?",
            (checkpoint.message_id,),
        ).fetchone()
        if min(seq for seq, _, _ in checkpoint.events) > next_seq:
            raise CheckpointGap(f"events of answer {checkpoint.message_id} from {next_seq} missing")
    connection.executemany(
        "INSERT OR IGNORE INTO events (message_id, seq, event_id, type, offset_ms, payload) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (checkpoint.message_id, seq, event_id, name, round(offset_ms, 3), payload)
            for seq, event, offset_ms in checkpoint.events
            for name, event_id, payload in (encode_stream_event(event),)
        ],
    )
    if checkpoint.text is None:
        return
    connection.execute(
        "UPDATE messages SET text = ?, state = ? WHERE id = ?",
        (checkpoint.text, checkpoint.state, checkpoint.message_id),
    )
    connection.execute(
        "UPDATE conversations SET updated = ? WHERE id = ?",
        (checkpoint.updated, checkpoint.conversation_id),
    )


def _stream_update(checkpoint: Checkpoint) -> tuple[str, tuple[object, ...]]:
    """The UPDATE of the stream row: progress only while streaming, everything at a state change.

    Leaving ``state`` out of the progress update keeps SQLite from rewriting the
    ``streams_by_state`` index page at every checkpoint (it rewrites index entries of every
    column in the SET list, changed or not).
    """
    c = checkpoint
    progress = "stream_id = COALESCE(?, stream_id), last_event_id = ?, tokens = ?, owner_pid = ?"
    values: tuple[object, ...] = (c.stream_id, c.last_event_id, c.tokens, os.getpid())
    if c.text is None:
        sql = f"UPDATE streams SET {progress}, ttft_ms = COALESCE(ttft_ms, ?) WHERE message_id = ?"
        return sql, (*values, c.ttft_ms, c.message_id)
    sql = (
        f"UPDATE streams SET {progress}, ttft_ms = COALESCE(ttft_ms, ?), state = ?, error = ?, "
        "finished = ?, text_event_id = ? WHERE message_id = ?"
    )
    return sql, (*values, c.ttft_ms, c.state, c.error, c.finished, c.last_event_id, c.message_id)


def current_text(
    connection: sqlite3.Connection, message_id: int, text: str, text_event_id: int
) -> str:
    """``text`` (valid up to ``text_event_id``) plus the tokens recorded after it.

    A ``reset`` recorded after that id starts the text over: the answer is what follows it.
    """
    rows = connection.execute(
        "SELECT type, payload FROM events WHERE message_id = ? AND type IN ('token', 'reset') "
        "AND event_id > ? ORDER BY seq",
        (message_id, text_event_id),
    )
    parts = [text]
    for kind, payload in rows:
        if kind == "reset":
            parts.clear()
        else:
            parts.append(str(json.loads(payload).get("content", "")))
    return "".join(parts)


def fold_text(connection: sqlite3.Connection, message_id: int) -> None:
    """Bring ``messages.text`` up to the last recorded event (a crashed answer, a resume)."""
    row = connection.execute(
        "SELECT m.text, s.text_event_id, s.last_event_id FROM messages m "
        "JOIN streams s ON s.message_id = m.id WHERE m.id = ?",
        (message_id,),
    ).fetchone()
    if row is None or row[1] >= row[2]:
        return
    text = current_text(connection, message_id, row[0], row[1])
    connection.execute("UPDATE messages SET text = ? WHERE id = ?", (text, message_id))
    connection.execute(
        "UPDATE streams SET text_event_id = last_event_id WHERE message_id = ?", (message_id,)
    )
