"""The fake's chat history: numbered sessions per user and their messages, in memory.

Shapes as captured (``00e``, ``00f``) and described (reference README §2): sessions are small
integers per server, listed newest first (ties in creation order); a message is
``{"id", "is_user", "message", "timestamp"}`` with Unix seconds. Any ``session_id`` that is not
one of the user's own sessions (``new``, ``0``, a UUID, another user's) makes a new session,
silently, and its id is not sent. What the real server titles a session after its first question
is its own rule; the fake uses the question's first line, shortened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

DEFAULT_TITLE: Final = "Neue Unterhaltung"
TITLE_CHARS: Final = 50


@dataclass
class Message:
    id: int
    is_user: bool
    message: str
    timestamp: float

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_user": self.is_user,
            "message": self.message,
            "timestamp": self.timestamp,
        }


@dataclass
class Session:
    id: int
    user_id: int
    title: str
    created_at: int
    updated_at: int
    messages: list[Message] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


class History:
    """Sessions and messages of every user of one fake server."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self.sessions: dict[int, Session] = {}
        self._message_ids = 0

    def create(self, user_id: int, title: str = DEFAULT_TITLE) -> Session:
        now = int(self._clock())
        session = Session(len(self.sessions) + 1, user_id, title, now, now)
        self.sessions[session.id] = session
        return session

    def owned(self, user_id: int, session_id: object) -> Session | None:
        """The user's session named by ``session_id`` (an int or its digits), else ``None``."""
        if isinstance(session_id, bool):
            return None
        if isinstance(session_id, str) and session_id.isascii() and session_id.isdigit():
            session_id = int(session_id)
        session = self.sessions.get(session_id) if isinstance(session_id, int) else None
        return session if session is not None and session.user_id == user_id else None

    def for_question(self, user_id: int, session_id: object) -> Session:
        """The session a question goes to: the user's own, or a new one made silently."""
        return self.owned(user_id, session_id) or self.create(user_id)

    def listing(self, user_id: int) -> list[dict[str, Any]]:
        mine = [s for s in self.sessions.values() if s.user_id == user_id]
        mine.sort(key=lambda s: (-s.updated_at, s.id))
        return [s.summary() for s in mine]

    def add(self, session: Session, *, is_user: bool, text: str) -> Message:
        self._message_ids += 1
        message = Message(self._message_ids, is_user, text, float(int(self._clock())))
        first_question = is_user and not any(m.is_user for m in session.messages)
        if first_question and session.title == DEFAULT_TITLE:
            session.title = _title(text)
        session.messages.append(message)
        session.updated_at = int(self._clock())
        return message


def _title(question: str) -> str:
    line = next((ln.strip() for ln in question.splitlines() if ln.strip()), DEFAULT_TITLE)
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"
