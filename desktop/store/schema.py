"""The cache's tables, one SQL script per schema version step.

``PRAGMA user_version`` holds the version. Version 1 holds conversations, messages and the
stream behind each assistant message (enough to resume an answer); version 2 adds the event
record of every answer (so it can be shown and replayed exactly) and the full-text index.

Version 3 stops rewriting an answer's whole text at every checkpoint: while it streams, the
token events written in the same transaction carry the new text, and ``messages.text`` holds
the text up to ``streams.text_event_id`` (folded in at every state change). Readers add the
tokens after that id (:func:`desktop.store.answer_rows.current_text`).

Version 4 remembers what a backend without the Assist protocol needs across answers: the
server session each conversation has on that server (nscale-assist numbers them; follow-up
questions go to the same one, and imported conversations keep theirs), and which of a
server's answer endpoints worked last, so the next answer tries it first.

Version 5 keeps a regenerated answer's alternatives: the assistant messages that follow one
question (up to the next question) are that question's answers, in position order, and
``messages.chosen`` marks the one the reader chose (the one shown, and the one a follow-up
question carries as history). A regenerated answer is appended after the others and chosen; a
file from before held no alternatives, so its last answer of a run is the chosen one.

Version 6 keeps the questions asked while the server could not be reached; version 7 says
what each does when it goes out (a new question, a regenerate, an edit of the last question).

Ids: conversations use a UUID (the one sent to the server as ``conversation_id``); messages
use random 53-bit integers made by the client, so a recorder knows its ids without waiting for
the database and two processes writing the same file never collide. Times are Unix seconds
(``REAL``); ``offset_ms`` of an event is milliseconds since the answer started (monotonic).
"""

from __future__ import annotations

from typing import Final

#: Assistant stream states. ``streaming`` left behind by a dead process means "crashed".
STREAM_STATES: Final = ("streaming", "done", "stopped", "interrupted", "failed")
RESUMABLE_STATES: Final = ("streaming", "interrupted")

V1: Final = """
CREATE TABLE conversations (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    created     REAL NOT NULL,
    updated     REAL NOT NULL,
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    deleted_at  REAL
);
CREATE INDEX conversations_by_updated ON conversations (deleted_at, pinned DESC, updated DESC);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    text            TEXT NOT NULL DEFAULT '',
    created         REAL NOT NULL,
    state           TEXT NOT NULL DEFAULT 'done'
                    CHECK (state IN ('streaming', 'done', 'stopped', 'interrupted', 'failed'))
);
CREATE UNIQUE INDEX messages_by_position ON messages (conversation_id, position);

CREATE TABLE streams (
    message_id    INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    server_url    TEXT NOT NULL,
    protocol      TEXT NOT NULL,
    stream_id     TEXT,
    last_event_id INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL
                  CHECK (state IN ('streaming', 'done', 'stopped', 'interrupted', 'failed')),
    error         TEXT,
    started       REAL NOT NULL,
    finished      REAL,
    ttft_ms       REAL,
    tokens        INTEGER NOT NULL DEFAULT 0,
    owner_pid     INTEGER
);
CREATE INDEX streams_by_state ON streams (state, started);
"""

# The index holds settled text only: while an answer streams, its text changes every second and
# re-indexing it each time would multiply the bytes written; it is indexed when its state
# leaves 'streaming' (done, stopped, interrupted, failed).
V2: Final = """
CREATE TABLE events (
    message_id INTEGER NOT NULL REFERENCES streams (message_id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    event_id   INTEGER,
    type       TEXT NOT NULL,
    offset_ms  REAL NOT NULL,
    payload    TEXT NOT NULL,
    PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.state != 'streaming' BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.state != 'streaming' BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

-- One trigger, so the old entry is removed before the new one is added (SQLite runs separate
-- triggers in an unspecified order).
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, state ON messages
WHEN old.text IS NOT new.text OR old.state IS NOT new.state BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text)
        SELECT 'delete', old.id, old.text WHERE old.state != 'streaming';
    INSERT INTO messages_fts (rowid, text)
        SELECT new.id, new.text WHERE new.state != 'streaming';
END;

INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE state != 'streaming';
"""

V3: Final = """
ALTER TABLE streams ADD COLUMN text_event_id INTEGER NOT NULL DEFAULT 0;
UPDATE streams SET text_event_id = last_event_id;
"""

V4: Final = """
CREATE TABLE server_sessions (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    server_url      TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    imported        REAL,
    PRIMARY KEY (conversation_id, server_url)
) WITHOUT ROWID;
CREATE UNIQUE INDEX server_sessions_by_server ON server_sessions (server_url, session_id);

CREATE TABLE server_transports (
    server_url TEXT PRIMARY KEY,
    transport  TEXT NOT NULL,
    updated    REAL NOT NULL
) WITHOUT ROWID;
"""

V5: Final = """
ALTER TABLE messages ADD COLUMN chosen INTEGER NOT NULL DEFAULT 1 CHECK (chosen IN (0, 1));
UPDATE messages SET chosen = 0
WHERE role = 'assistant' AND EXISTS (
    SELECT 1 FROM messages later
    WHERE later.conversation_id = messages.conversation_id
      AND later.position = messages.position + 1 AND later.role = 'assistant'
);
"""

# Questions asked while the server could not be reached, in the order they were asked. A new
# conversation's question creates its conversation row at once, so the history lists it (with
# no messages yet) and a restart keeps it; the question moves to ``messages`` when it goes out.
V6: Final = """
CREATE TABLE queued_questions (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
    queued_at       REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX queued_questions_in_order ON queued_questions (queued_at, id);
"""

# What a queued question does when it goes out (``records.QUEUED_KINDS``): a question asked
# before v7 was always a new one.
V7: Final = """
ALTER TABLE queued_questions ADD COLUMN kind TEXT NOT NULL DEFAULT 'ask'
    CHECK (kind IN ('ask', 'regenerate', 'edit'));
"""
