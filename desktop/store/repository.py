"""Reading the cache, plus the small edits of the history list (rename, pin, delete, undo).

:class:`CacheRepository` uses its own connection, separate from the writer's; WAL lets it read
while an answer is being written. Its edits are single short statements, safe next to the
writer thanks to ``busy_timeout``. It is synchronous: the window calls it from a worker thread
(one at a time) and shows the returned records on the GUI thread.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Container, Iterable
from pathlib import Path
from typing import Any

from desktop.protocol.answer_status import AnswerStatus
from desktop.store.answer_rows import current_text, fold_text
from desktop.store.database import OpenedDatabase, open_database
from desktop.store.errors import NotFound
from desktop.store.process_liveness import process_alive
from desktop.store.queued_rows import load_queued
from desktop.store.records import (
    ConversationRecord,
    ConversationSummary,
    EventRecord,
    MessageRecord,
    QueuedQuestion,
    SearchHit,
    StreamRecord,
)

#: Search ranks this many of the newest matches by relevance (see ``CacheRepository.search``).
RANK_WINDOW = 1_000

# The latest answer's status comes from the same row lookup as the count: the newest assistant
# message found backwards along ``messages_by_position`` (usually the conversation's last row),
# so the list stays one query and needs no schema change.
_SUMMARY = (
    "SELECT c.id, c.title, c.created, c.updated, c.pinned, c.deleted_at, "
    "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id), "
    "(SELECT m.state FROM messages m WHERE m.conversation_id = c.id AND m.role = 'assistant' "
    "ORDER BY m.position DESC LIMIT 1), "
    "(SELECT count(*) FROM queued_questions q WHERE q.conversation_id = c.id) FROM conversations c"
)
_STREAM = (
    "SELECT s.message_id, m.conversation_id, s.server_url, s.protocol, s.stream_id, "
    "s.last_event_id, s.state, s.error, s.started, s.finished, s.ttft_ms, s.tokens, "
    "s.owner_pid, m.text, s.text_event_id FROM streams s JOIN messages m ON m.id = s.message_id"
)


class CacheRepository:
    """The read side of one cache file."""

    def __init__(self, opened: OpenedDatabase) -> None:
        self.opened = opened
        self._c = opened.connection

    @classmethod
    def open(cls, path: Path | None = None) -> CacheRepository:
        """Open (creating or migrating) the cache; see :func:`open_database` for the errors."""
        return cls(open_database(path))

    def close(self) -> None:
        self._c.close()

    def __enter__(self) -> CacheRepository:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- conversations ----------------------------------------------------------------------

    def queued_questions(self) -> list[QueuedQuestion]:
        """Questions waiting for the server, oldest first (see ``store.queued_rows``)."""
        return load_queued(self._c)

    def list_conversations(
        self, *, include_deleted: bool = False, limit: int | None = None
    ) -> list[ConversationSummary]:
        """Pinned first, then the most recently updated."""
        where = "" if include_deleted else " WHERE c.deleted_at IS NULL"
        sql = f"{_SUMMARY}{where} ORDER BY c.pinned DESC, c.updated DESC"
        rows = self._c.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [_summary(row) for row in rows]

    def resolve_conversation_id(self, prefix: str) -> str:
        """The full id for a unique prefix (as in ``history show 3fa8``).

        Raises:
            NotFound: no conversation, or more than one, starts with ``prefix``.
        """
        if not prefix:
            raise NotFound("No conversation id given.")
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._c.execute(
            "SELECT id FROM conversations WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (pattern,)
        ).fetchall()
        if len(rows) != 1:
            what = "No conversation" if not rows else "More than one conversation"
            raise NotFound(f"{what} matches {prefix!r}.")
        return str(rows[0][0])

    def get_conversation(
        self, conversation_id: str, *, with_events: bool = True, token_events: bool = True
    ) -> ConversationRecord:
        """One conversation with its messages, their streams and (optionally) their events.

        ``token_events=False`` leaves out the token events (the text already holds them), which
        is what showing a conversation needs: thinking, tool calls, warnings, errors, progress
        and connection events. Replay and export want them all.
        """
        row = self._c.execute(f"{_SUMMARY} WHERE c.id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise NotFound(f"No conversation {conversation_id!r} in the cache.")
        streams = {
            s.message_id: s
            for s in map(
                self._stream,
                self._c.execute(f"{_STREAM} WHERE m.conversation_id = ?", (conversation_id,)),
            )
        }
        events: dict[int, list[EventRecord]] = {}
        if with_events:
            for message_id, *fields in self._c.execute(
                "SELECT e.message_id, e.seq, e.event_id, e.type, e.offset_ms, e.payload "
                "FROM events e JOIN messages m ON m.id = e.message_id "
                "WHERE m.conversation_id = ? AND (? OR e.type != 'token') "
                "ORDER BY e.message_id, e.seq",
                (conversation_id, token_events),
            ):
                events.setdefault(message_id, []).append(EventRecord(*fields))
        messages = tuple(
            MessageRecord(
                id=mid,
                role=role,
                text=streams[mid].text if mid in streams else text,
                created=created,
                state=state,
                stream=streams.get(mid),
                events=tuple(events.get(mid, ())),
                chosen=bool(chosen),
            )
            for mid, role, text, created, state, chosen in self._c.execute(
                "SELECT id, role, text, created, state, chosen FROM messages "
                "WHERE conversation_id = ? ORDER BY position",
                (conversation_id,),
            )
        )
        return ConversationRecord(_summary(row), messages)

    def all_conversations(self, *, with_events: bool = True) -> Iterable[ConversationRecord]:
        """Every conversation not deleted, oldest first (for "export all")."""
        ids = [
            r[0]
            for r in self._c.execute(
                "SELECT id FROM conversations WHERE deleted_at IS NULL ORDER BY created, id"
            )
        ]
        for conversation_id in ids:
            yield self.get_conversation(conversation_id, with_events=with_events)

    def rename(self, conversation_id: str, title: str) -> None:
        self._edit(
            "UPDATE conversations SET title = ? WHERE id = ?", title.strip(), conversation_id
        )

    def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        self._edit("UPDATE conversations SET pinned = ? WHERE id = ?", int(pinned), conversation_id)

    def delete(self, conversation_id: str) -> None:
        """Hide a conversation; :meth:`undo_delete` brings it back until it is purged."""
        self._edit(
            "UPDATE conversations SET deleted_at = ? WHERE id = ?", time.time(), conversation_id
        )

    def undo_delete(self, conversation_id: str) -> None:
        self._edit("UPDATE conversations SET deleted_at = NULL WHERE id = ?", conversation_id)

    def purge_deleted(self, *, older_than: float = 0.0) -> int:
        """Really remove conversations deleted more than ``older_than`` seconds ago."""
        cursor = self._c.execute(
            "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
            (time.time() - older_than,),
        )
        return cursor.rowcount

    def choose_alternative(self, message_id: int) -> None:
        """Make the answer ``message_id`` the one shown among its question's answers.

        Raises:
            NotFound: no answer with that id.
        """
        row = self._c.execute(
            "SELECT conversation_id, position FROM messages WHERE id = ? AND role = 'assistant'",
            (message_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"No answer {message_id} in the cache.")
        conversation_id, position = row
        self._c.execute("BEGIN IMMEDIATE")
        try:
            self._c.execute(
                "UPDATE messages SET chosen = (id = ?) WHERE conversation_id = ? "
                "AND role = 'assistant' AND position BETWEEN "
                "(SELECT COALESCE(MAX(position), -1) FROM messages "
                " WHERE conversation_id = ? AND role != 'assistant' AND position < ?) AND "
                "(SELECT COALESCE(MIN(position), 1 << 62) FROM messages "
                " WHERE conversation_id = ? AND role != 'assistant' AND position > ?)",
                (message_id, conversation_id, conversation_id, position, conversation_id, position),
            )
            self._c.execute("COMMIT")
        except BaseException:
            self._c.execute("ROLLBACK")
            raise

    def _edit(self, sql: str, *params: object) -> None:
        if self._c.execute(sql, params).rowcount == 0:
            raise NotFound(f"No conversation {params[-1]!r} in the cache.")

    # --- search -----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        before: str = "[",
        after: str = "]",
        newest_first: bool = False,
    ) -> list[SearchHit]:
        """Messages matching every word of ``query``, with highlighted snippets.

        Words are matched as whole tokens (case and accents ignored); a word ending in ``*``
        matches as a prefix. FTS5 operators in ``query`` are taken literally, so any user input
        is safe. Answers still streaming are not indexed yet.

        Order: best match first among the newest :data:`RANK_WINDOW` matches (ranking every
        match of a common word costs 150+ ms over 100,000 messages; this stays bounded), or
        newest first with ``newest_first``. A more specific query reaches older matches.
        """
        match = fts_query(query)
        if not match:
            return []
        cutoff = 0
        if not newest_first:
            row = self._c.execute(
                "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (match, RANK_WINDOW - 1),
            ).fetchone()
            cutoff = row[0] if row else 0
        order = "messages_fts.rowid DESC" if newest_first else "messages_fts.rank"
        rows = self._c.execute(
            "SELECT m.conversation_id, c.title, m.id, m.role, m.created, "
            "snippet(messages_fts, 0, ?, ?, '…', 16) "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? AND messages_fts.rowid >= ? AND c.deleted_at IS NULL "
            f"ORDER BY {order} LIMIT ?",
            (before, after, match, cutoff, limit),
        )
        return [SearchHit(*row) for row in rows]

    # --- streams ----------------------------------------------------------------------------

    def stream(self, key: str) -> StreamRecord:
        """A stream by its message id or by the server's stream id.

        Raises:
            NotFound: nothing matches ``key``.
        """
        row = None
        if key.isdigit():
            row = self._c.execute(f"{_STREAM} WHERE s.message_id = ?", (int(key),)).fetchone()
        if row is None:
            row = self._c.execute(f"{_STREAM} WHERE s.stream_id = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(f"No stream {key!r} in the cache.")
        return self._stream(row)

    def _stream(self, row: tuple[Any, ...]) -> StreamRecord:
        *fields, text_event_id = row
        record = StreamRecord(*fields)
        if text_event_id < record.last_event_id:  # still streaming: add the recorded tokens
            text = current_text(self._c, record.message_id, record.text, text_event_id)
            record = dataclasses.replace(record, text=text)
        return record

    def mark_orphans_interrupted(self, *, recording_here: Container[int] = ()) -> int:
        """Mark ``streaming`` rows no live process owns as ``interrupted``; returns how many.

        A stream still ``streaming`` in the file while its process is gone was cut off by a
        crash, a kill or a power loss. Streams of another live process (a second window, an
        ``ask`` running now) are left alone. Rows owned by this process id count as orphans
        unless their message id is in ``recording_here`` (a recycled pid must not hide a crash).
        """
        rows = self._c.execute(
            "SELECT message_id, owner_pid FROM streams WHERE state = 'streaming'"
        ).fetchall()
        orphans = [
            mid
            for mid, pid in rows
            if mid not in recording_here and (pid == os.getpid() or not process_alive(pid))
        ]
        for mid in orphans:
            self._c.execute("BEGIN IMMEDIATE")
            fold_text(self._c, mid)
            for table, key in (("streams", "message_id"), ("messages", "id")):
                self._c.execute(
                    f"UPDATE {table} SET state = 'interrupted' "
                    f"WHERE {key} = ? AND state = 'streaming'",
                    (mid,),
                )
            self._c.execute("COMMIT")
        return len(orphans)

    def resumable_streams(self) -> list[StreamRecord]:
        """Interrupted streams (after :meth:`mark_orphans_interrupted`), in start order."""
        rows = self._c.execute(
            f"{_STREAM} WHERE s.state = 'interrupted' ORDER BY s.started, s.message_id"
        )
        return [self._stream(row) for row in rows]


def fts_query(query: str) -> str:
    """An FTS5 expression requiring every word of ``query``; quotes make operators literal."""
    terms = []
    for word in query.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def _summary(row: tuple[object, ...]) -> ConversationSummary:
    cid, title, created, updated, pinned, deleted_at, count, status, queued = row
    return ConversationSummary(
        id=str(cid),
        title=str(title),
        created=float(created),  # type: ignore[arg-type]
        updated=float(updated),  # type: ignore[arg-type]
        pinned=bool(pinned),
        deleted_at=None if deleted_at is None else float(deleted_at),  # type: ignore[arg-type]
        message_count=int(count),  # type: ignore[call-overload]
        answer_status=None if status is None else AnswerStatus(str(status)),
        queued=int(queued),  # type: ignore[call-overload]
    )
