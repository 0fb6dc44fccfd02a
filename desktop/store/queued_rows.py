"""The queued questions in the cache: plain functions over a connection (the writer thread's or
a repository's), like ``server_records``.

Putting a question in the queue after its first try found no server also withdraws the rows
that try wrote (the question and its empty answer), in the same transaction, so the cache never
shows a failed answer for a question that is only waiting.
"""

from __future__ import annotations

import sqlite3

from desktop.store.answer_rows import title_from
from desktop.store.records import QUEUED_KINDS, QueuedKind, QueuedQuestion


def save_queued(connection: sqlite3.Connection, question: QueuedQuestion) -> None:
    """Insert or update ``question``; its conversation is created if it has no row yet."""
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET deleted_at = NULL",
        (
            question.conversation_id,
            title_from(question.text),
            question.queued_at,
            question.queued_at,
        ),
    )
    connection.execute(
        "INSERT INTO queued_questions (id, conversation_id, text, queued_at, kind) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET text = excluded.text, kind = excluded.kind",
        (question.id, question.conversation_id, question.text, question.queued_at, question.kind),
    )


def queue_after_first_try(
    connection: sqlite3.Connection, question: QueuedQuestion, answer_message_id: int | None
) -> None:
    """Queue ``question`` and withdraw the answer row its failed first try recorded (with the
    question row just before it); one ``writer.submit`` makes it one transaction."""
    if answer_message_id is not None:
        withdraw_answer(connection, answer_message_id)
    save_queued(connection, question)


def withdraw_answer(connection: sqlite3.Connection, message_id: int) -> None:
    """Delete an answer that never reached a server, and its question if nothing else answers
    it (the stream and its events go with the message)."""
    row = connection.execute(
        "SELECT conversation_id, position FROM messages WHERE id = ? AND role = 'assistant'",
        (message_id,),
    ).fetchone()
    if row is None:
        return
    conversation_id, position = row
    connection.execute("DELETE FROM messages WHERE id = ?", (message_id,))
    question = connection.execute(
        "SELECT id, role FROM messages WHERE conversation_id = ? AND position < ? "
        "ORDER BY position DESC LIMIT 1",
        (conversation_id, position),
    ).fetchone()
    later = connection.execute(
        "SELECT count(*) FROM messages WHERE conversation_id = ? AND position > ?",
        (conversation_id, position - 1),
    ).fetchone()[0]
    # Only the question of this answer alone goes: an earlier alternative keeps it, and is
    # the one shown again (a regenerate that found no server had taken that mark from it).
    if question is not None and question[1] == "user" and not later:
        connection.execute("DELETE FROM messages WHERE id = ?", (question[0],))
    elif question is not None and question[1] == "assistant" and not later:
        connection.execute(
            "UPDATE messages SET chosen = 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM messages "
            "WHERE conversation_id = ? AND role = 'assistant' AND chosen = 1 AND position > "
            "(SELECT MAX(position) FROM messages "
            "WHERE conversation_id = ? AND role != 'assistant'))",
            (question[0], conversation_id, conversation_id),
        )


def delete_queued(connection: sqlite3.Connection, question_id: str) -> None:
    """Remove a question from the queue (it was cancelled, or it has just gone out)."""
    connection.execute("DELETE FROM queued_questions WHERE id = ?", (question_id,))


def load_queued(connection: sqlite3.Connection) -> list[QueuedQuestion]:
    """Every queued question of conversations not deleted, oldest first."""
    rows = connection.execute(
        "SELECT q.id, q.conversation_id, q.text, q.queued_at, q.kind FROM queued_questions q "
        "JOIN conversations c ON c.id = q.conversation_id WHERE c.deleted_at IS NULL "
        "ORDER BY q.queued_at, q.id"
    )
    return [
        QueuedQuestion(str(i), str(c), str(t), float(at), _kind(str(k))) for i, c, t, at, k in rows
    ]


def _kind(value: str) -> QueuedKind:
    for kind in QUEUED_KINDS:  # the schema's CHECK admits no other value
        if kind == value:
            return kind
    raise ValueError(f"unknown queued question kind {value!r}")
