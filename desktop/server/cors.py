"""CORS for the stream endpoints only, so that a web page on another origin can be a client.

With ``--cors-origin`` (repeatable) the start, resume, status and cancel endpoints answer
preflights and carry the CORS headers for exactly those origins, through Starlette's
``CORSMiddleware``; ``/healthz`` and ``/metrics`` stay as they are, and with no origin
configured nothing changes at all. Credentials (cookies) are not allowed: the API authenticates
with a bearer token, and a browser's ``EventSource`` with a read token in the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX: Final = "/api/v1/"
ALLOWED_HEADERS: Final = ("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID")
EXPOSED_HEADERS: Final = ("X-Stream-Id", "X-Read-Token", "Retry-After")
PREFLIGHT_MAX_AGE_S: Final = 600


class StreamEndpointsCORS:
    """Applies CORS to the ``/api/v1/`` endpoints of ``app`` and leaves the rest alone."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self._app = app
        self._cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=list(ALLOWED_HEADERS),
            expose_headers=list(EXPOSED_HEADERS),
            max_age=PREFLIGHT_MAX_AGE_S,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            await self._cors(scope, receive, send)
        else:
            await self._app(scope, receive, send)
