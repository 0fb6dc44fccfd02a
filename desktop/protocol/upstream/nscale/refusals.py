"""What nscale-assist's refusals mean: every non-200 answer mapped to one kind and a message.

The shapes are the captured ones (reference README §4): ``{"detail": "…"}`` from FastAPI and
the legacy endpoint, ``{"error": "…"}`` from v1, FastAPI's list for a missing parameter, and
two traps: ``POST /api/v1/question/stream`` answers a missing or bad token with **500**
``{"error": "Interner Serverfehler: 401: …"}`` (its ``except Exception`` catches the 401 of
the handler it calls), and the published ``/api/question/stream`` answers every logged-in
request with 500 ``name 'user_manager' is not defined`` (a bug, not a passing failure).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

RefusalKind: TypeAlias = Literal["unauthorized", "invalid_request", "unsupported", "retryable"]

_WRAPPED_401: Final = re.compile(r"^Interner Serverfehler: 40[13]: (.*)$", re.DOTALL)
_BROKEN_ENDPOINT: Final = re.compile(r"^Interner Serverfehler: name '\w+' is not defined")
_RETRYABLE: Final = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Refusal:
    """How to take a refusal.

    Attributes:
        kind: ``unauthorized`` (log in again), ``invalid_request`` (the question itself is
            refused; show the message), ``unsupported`` (this endpoint does not work here:
            try another transport) or ``retryable`` (overloaded or failing for now).
        message: the server's own message, else a sentence naming the status.
        status: the HTTP status.
    """

    kind: RefusalKind
    message: str
    status: int


def read_refusal(status: int, body: bytes) -> Refusal:
    """Classify a non-200 response from any nscale endpoint by its status and body."""
    message = _message(body)
    if status in (401, 403):
        return Refusal("unauthorized", message or "not logged in", status)
    if status == 500 and message:
        wrapped = _WRAPPED_401.match(message)
        if wrapped is not None:
            return Refusal("unauthorized", wrapped.group(1), 401)
        if _BROKEN_ENDPOINT.match(message):
            return Refusal("unsupported", message, status)
    if status in (404, 405, 501):
        return Refusal("unsupported", message or f"HTTP {status}", status)
    if status in _RETRYABLE:
        return Refusal("retryable", message or f"HTTP {status}", status)
    return Refusal("invalid_request", message or f"HTTP {status}", status)


def _message(body: bytes) -> str:
    """``detail`` or ``error`` as one sentence (FastAPI's list joined), else plain text."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text[:500]
    if not isinstance(payload, dict):
        return text[:500]
    for key in ("detail", "error", "message"):
        value = payload.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return "; ".join(_problem(item) for item in value)
    return text[:500]


def _problem(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)
    location = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "body"))
    message = str(item.get("msg", "invalid"))
    return f"{location}: {message}" if location else message
