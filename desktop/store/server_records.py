"""What the cache remembers about a server: conversations' server sessions, the endpoint that
worked, and conversations copied from the server's own history.

Plain functions over a connection, so they run on the writer thread (``writer.submit``) or
on a repository's connection alike. Server URLs are stored as given (the profile's URL,
without a trailing slash), session ids as text (nscale-assist's are small integers).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.store.answer_rows import new_message_id, title_from
from desktop.store.writer import CacheWriter


def _url(server_url: str) -> str:
    return server_url.rstrip("/")


def remember_session(
    connection: sqlite3.Connection, conversation_id: str, server_url: str, session_id: str
) -> None:
    """Keep the server session a conversation's questions go to."""
    connection.execute(
        "INSERT INTO server_sessions (conversation_id, server_url, session_id) VALUES (?, ?, ?) "
        "ON CONFLICT (conversation_id, server_url) DO UPDATE SET session_id = excluded.session_id",
        (conversation_id, _url(server_url), session_id),
    )


def session_of(connection: sqlite3.Connection, conversation_id: str, server_url: str) -> str | None:
    row = connection.execute(
        "SELECT session_id FROM server_sessions WHERE conversation_id = ? AND server_url = ?",
        (conversation_id, _url(server_url)),
    ).fetchone()
    return None if row is None else str(row[0])


def sessions_for(connection: sqlite3.Connection, server_url: str) -> dict[str, str]:
    """Every conversation's session on one server: ``{conversation_id: session_id}``."""
    rows = connection.execute(
        "SELECT conversation_id, session_id FROM server_sessions WHERE server_url = ?",
        (_url(server_url),),
    )
    return {str(conversation): str(session) for conversation, session in rows}


def remember_transport(
    connection: sqlite3.Connection, server_url: str, transport: str, now: float
) -> None:
    """Keep the endpoint that answered, to try it first next time."""
    connection.execute(
        "INSERT INTO server_transports (server_url, transport, updated) VALUES (?, ?, ?) "
        "ON CONFLICT (server_url) DO UPDATE SET transport = excluded.transport, "
        "updated = excluded.updated",
        (_url(server_url), transport, now),
    )


def transport_of(connection: sqlite3.Connection, server_url: str) -> str | None:
    row = connection.execute(
        "SELECT transport FROM server_transports WHERE server_url = ?", (_url(server_url),)
    ).fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True, slots=True)
class ImportedMessage:
    is_user: bool
    text: str
    timestamp: float


@dataclass(frozen=True, slots=True)
class ImportedSession:
    """One conversation of the server's history (``GET /api/session/{id}``)."""

    session_id: str
    title: str
    created: float
    updated: float
    messages: Sequence[ImportedMessage]


def import_session(
    connection: sqlite3.Connection, server_url: str, session: ImportedSession, now: float
) -> tuple[str, bool]:
    """Copy one server session into the cache as a conversation; ``(id, new)``.

    Imported again, the conversation's messages are replaced by the server's (which only
    grows), so importing twice never duplicates anything; its title, pin and local edits to
    the conversation row stay. A deleted one is brought back. A conversation asked in the app
    (its answers recorded with their events) is its own, better record and is left as it is.
    """
    url = _url(server_url)
    row = connection.execute(
        "SELECT conversation_id FROM server_sessions WHERE server_url = ? AND session_id = ?",
        (url, session.session_id),
    ).fetchone()
    new = row is None
    conversation_id = uuid.uuid4().hex if row is None else str(row[0])
    if (
        not new
        and connection.execute(
            "SELECT 1 FROM messages m JOIN streams s ON s.message_id = m.id "
            "WHERE m.conversation_id = ? LIMIT 1",
            (conversation_id,),
        ).fetchone()
    ):
        return conversation_id, False  # asked in the app: its own record, events and all
    first_question = next((m.text for m in session.messages if m.is_user), "")
    title = session.title or title_from(first_question)
    connection.execute(
        "INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET updated = excluded.updated, deleted_at = NULL",
        (conversation_id, title, session.created, session.updated),
    )
    if not new:
        connection.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
    (position,) = connection.execute(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE conversation_id = ?",
        (conversation_id,),
    ).fetchone()
    connection.executemany(
        "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
        "VALUES (?, ?, ?, ?, ?, ?, 'done')",
        [
            (
                new_message_id(),
                conversation_id,
                position + n,
                "user" if message.is_user else "assistant",
                message.text,
                message.timestamp,
            )
            for n, message in enumerate(session.messages)
        ],
    )
    connection.execute(
        "INSERT INTO server_sessions (conversation_id, server_url, session_id, imported) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id, server_url) "
        "DO UPDATE SET imported = excluded.imported",
        (conversation_id, url, session.session_id, now),
    )
    return conversation_id, new


class ServerMemory:
    """One server's sessions and working endpoint in the cache, for the window's answers.

    :meth:`load` reads (call it off the GUI thread); calling the object keeps what an answer
    learned, through the writer, without waiting.
    """

    def __init__(self, writer: CacheWriter, server_url: str) -> None:
        self._writer = writer
        self._url = _url(server_url)

    def load(self) -> tuple[dict[str, int], str | None]:
        """``({conversation_id: session number}, the endpoint that worked)``."""

        def read(connection: sqlite3.Connection) -> tuple[dict[str, int], str | None]:
            sessions = {
                conversation: int(session)
                for conversation, session in sessions_for(connection, self._url).items()
                if session.isdigit()
            }
            return sessions, transport_of(connection, self._url)

        return self._writer.submit(read).result()

    def __call__(self, conversation_id: str, session_id: int | None, transport: str | None) -> None:
        url, now = self._url, time.time()

        def write(connection: sqlite3.Connection) -> None:
            exists = connection.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if session_id is not None and exists:  # the recorder inserts it first, same queue
                remember_session(connection, conversation_id, url, str(session_id))
            if transport is not None:
                remember_transport(connection, url, transport, now)

        self._writer.submit(write)
