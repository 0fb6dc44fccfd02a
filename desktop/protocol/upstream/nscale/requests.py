"""The three ways to ask nscale-assist, as URLs and bodies, in the order a client prefers them.

1. ``POST /api/v1/question/stream`` with a JSON body: streams, no URL length limit, the
   question arrives as sent.
2. ``GET /api/question/stream``: streams, but the question travels in the URL (uvicorn refuses
   a request head past 16 KiB or so) and the handler decodes it a second time
   (``unquote_plus``), so it is encoded twice here: ``C++ 100%`` arrives as ``C++ 100%``.
3. ``POST /api/question``: the whole answer at once, with its sources (what the web frontend
   uses, its streaming being switched off).

``session_id`` is the server's session number; without one the backend makes a new session
for the question (silently, without saying which).
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal, TypeAlias
from urllib.parse import quote, quote_plus, urlencode

Transport: TypeAlias = Literal["v1", "legacy", "whole"]
TRANSPORTS: Final[tuple[Transport, ...]] = ("v1", "legacy", "whole")

V1_PATH: Final = "/api/v1/question/stream"
LEGACY_PATH: Final = "/api/question/stream"
WHOLE_PATH: Final = "/api/question"
LOGIN_PATH: Final = "/api/auth/login"
VALIDATE_PATH: Final = "/api/auth/validate"
SESSION_PATH: Final = "/api/session"
SESSIONS_PATH: Final = "/api/sessions"
#: ``POST /api/question`` refuses longer questions (pydantic ``max_length``).
WHOLE_MAX_CHARS: Final = 5000
#: Longer legacy URLs risk the server's request-head limit (uvicorn on h11 refuses ~16 KiB+).
LEGACY_MAX_URL: Final = 8000
#: A new session is titled after its first question, cut to what the web frontend's list shows.
SESSION_TITLE_CHARS: Final = 60


def session_body(question: str) -> dict[str, Any]:
    """The body of ``POST /api/session`` for a conversation that starts with ``question``."""
    title = " ".join(question.split())[:SESSION_TITLE_CHARS] or "Unterhaltung"
    return {"title": title}


def created_session(body: bytes) -> int | None:
    """The session number a ``200`` of ``POST /api/session`` gives, or ``None`` if it gives none."""
    try:
        reply = json.loads(body)
    except ValueError:
        return None
    session = reply.get("session_id") if isinstance(reply, dict) else None
    if isinstance(session, int) and not isinstance(session, bool) and session > 0:
        return session
    return None


def base_of(url: str) -> str:
    return url.rstrip("/")


def question_body(
    question: str, session_id: int | None, *, simple_language: bool = False
) -> dict[str, Any]:
    """The JSON body of ``POST /api/v1/question/stream`` and ``POST /api/question``."""
    body: dict[str, Any] = {"question": question, "simple_language": simple_language}
    if session_id is not None:
        body["session_id"] = session_id
    return body


def encode_twice(question: str) -> str:
    """The query value that the legacy handler's two decodings turn back into ``question``.

    The framework's query parsing undoes ``quote``; the handler's ``unquote_plus`` undoes
    ``quote_plus``.
    """
    return quote(quote_plus(question, safe=""), safe="")


def legacy_stream_url(
    base_url: str, question: str, session_id: int | None, *, simple_language: bool = False
) -> str:
    """``GET /api/question/stream?question=…&session_id=…`` for ``question``, intact."""
    rest = urlencode(
        {
            "session_id": "new" if session_id is None else str(session_id),
            **({"simple_language": "true"} if simple_language else {}),
        }
    )
    return f"{base_of(base_url)}{LEGACY_PATH}?question={encode_twice(question)}&{rest}"


def url_of(base_url: str, transport: Transport) -> str:
    """The endpoint URL of a POST transport (``v1`` or ``whole``)."""
    return base_of(base_url) + (V1_PATH if transport == "v1" else WHOLE_PATH)
