"""Shared builders for the cache tests (imported by module name; tests have no packages)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.protocol.events import (
    Done,
    StreamEvent,
    StreamStarted,
    StreamWarning,
    Thinking,
    Token,
    ToolUse,
    Usage,
)
from desktop.protocol.request import ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter


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


def record_conversation(
    writer: CacheWriter,
    question: str,
    answer_pieces: list[str],
    *,
    conversation_id: str | None = None,
    extra: list[StreamEvent] | None = None,
    final: StreamEvent | None = None,
    alternative: bool = False,
    replaces_last: bool = False,
) -> AnswerRecorder:
    """Record one question and a streamed answer the way a live session would.

    ``alternative`` records another answer to the conversation's last question (a regenerate);
    ``replaces_last`` records the question as an edit of the last one.
    """
    recorder = AnswerRecorder.start(
        writer,
        server_url="http://127.0.0.1:8765",
        protocol="assist",
        request=ChatRequest(question),
        conversation_id=conversation_id,
        alternative=alternative,
        replaces_last=replaces_last,
    )
    events: list[StreamEvent] = [StreamStarted(1, f"stream-{recorder.message_id}")]
    events += extra or []
    next_id = len(events) + 1
    for i, piece in enumerate(answer_pieces):
        events.append(Token(next_id + i, piece, i))
    events.append(final or Done(next_id + len(answer_pieces), "stop"))
    for n, event in enumerate(events):
        recorder(event, n * 0.01)
    recorder.close()
    return recorder


def tool_events() -> list[StreamEvent]:
    """Thinking, a document search with its hits, and a warning (ids 2 to 5)."""
    return [
        Thinking(2, message="Analysiere Ihre Anfrage..."),
        ToolUse(3, "call-1", "document_search", "started", {"query": "export"}),
        ToolUse(
            4,
            "call-1",
            "document_search",
            "completed",
            {"query": "export"},
            {"hits": [{"title": "Export-Handbuch", "score": 0.9, "snippet": "Datei > Export"}]},
            12.5,
        ),
        StreamWarning(5, "slow", "Das Modell ist gerade langsam."),
    ]
