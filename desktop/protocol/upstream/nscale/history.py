"""nscale-assist's chat history as data: ``GET /api/sessions`` and ``GET /api/session/{id}``.

Shapes as captured: ``{"sessions": [{"id", "title", "created_at", "updated_at"}]}`` (Unix
seconds) and ``{"session_id", "title", "messages": [{"id", "is_user", "message",
"timestamp"}]}``. Entries that lack what a conversation needs are skipped, not guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from desktop.protocol.upstream.chat_stream import UpstreamFormatError


@dataclass(frozen=True, slots=True)
class ServerSession:
    id: str
    title: str
    created: float
    updated: float


@dataclass(frozen=True, slots=True)
class ServerMessage:
    is_user: bool
    text: str
    timestamp: float


def _number(value: object, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value)


def _object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise UpstreamFormatError(f"not JSON: {body[:80]!r}") from None
    if not isinstance(payload, dict):
        raise UpstreamFormatError("not a JSON object")
    return payload


def parse_sessions(body: bytes) -> list[ServerSession]:
    """The user's sessions, as the server lists them (newest first)."""
    out: list[ServerSession] = []
    entries = _object(body).get("sessions")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or isinstance(entry.get("id"), bool):
            continue
        if not isinstance(entry.get("id"), (int, str)):
            continue
        created = _number(entry.get("created_at"), 0.0)
        out.append(
            ServerSession(
                str(entry["id"]),
                str(entry.get("title") or ""),
                created,
                _number(entry.get("updated_at"), created),
            )
        )
    return out


def parse_session(body: bytes) -> list[ServerMessage]:
    """One session's messages in order (question and answer alternate, answers may lack)."""
    out: list[ServerMessage] = []
    entries = _object(body).get("messages")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("message"), str):
            continue
        out.append(
            ServerMessage(
                entry.get("is_user") is True,
                entry["message"],
                _number(entry.get("timestamp"), 0.0),
            )
        )
    return out
