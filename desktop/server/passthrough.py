"""Routes a gateway hands to its backend unchanged: login, the token check and the user's sessions.

With these, a profile needs one URL whether the app talks to nscale-assist or to the gateway in
front of it: ``assist-desktop login`` and the session calls reach the same server either way.
The backend's status, body and content type come back as it sent them. Nothing here logs a body
or a query: passwords and tokens pass through.

A backend takes part by being a :class:`Forwarder`; with any other backend the routes answer
``404`` as if they did not exist.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from desktop.protocol.upstream.nscale.requests import (
    LOGIN_PATH,
    SESSION_PATH,
    SESSIONS_PATH,
    VALIDATE_PATH,
)
from desktop.server.backend import UpstreamError
from desktop.server.http_errors import error_response, invalid_request, upstream_refused
from desktop.server.request_body import read_body
from desktop.server.runtime import ServerRuntime

#: Login and session bodies are small; anything larger is not one of them.
MAX_BODY_BYTES: Final = 64 * 1024
#: The request headers the backend needs to answer as itself (who, what, in which language).
FORWARDED_HEADERS: Final = ("authorization", "content-type", "accept", "accept-language")
_SESSION_ID: Final = re.compile(r"[0-9]{1,18}")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Forwarded:
    """The backend's answer, as it sent it.

    Attributes:
        status: its HTTP status.
        headers: the response headers worth keeping (content type, ``WWW-Authenticate``,
            ``Cache-Control``), lower-case names.
        body: the whole body.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes


@runtime_checkable
class Forwarder(Protocol):
    """A backend that can send a request to its upstream on a client's behalf."""

    async def forward(
        self, method: str, path: str, *, query: str, headers: Mapping[str, str], body: bytes
    ) -> Forwarded:
        """Send the request upstream and return its answer.

        Raises:
            UpstreamError: the upstream could not be reached or did not answer in time.
        """
        ...


async def _pass(request: Request, path: str) -> Response:
    runtime: ServerRuntime = request.app.state.runtime
    backend = runtime.backend
    if not isinstance(backend, Forwarder):
        return error_response(404, "not_found", "this server has no such endpoint")
    body = await read_body(request, MAX_BODY_BYTES)
    if body is None:
        return invalid_request("the request body is too large", 413)
    headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
    try:
        answer = await backend.forward(
            request.method, path, query=request.url.query, headers=headers, body=body
        )
    except UpstreamError as exc:
        runtime.metrics.errors.labels(exc.error_type).inc()
        return upstream_refused(exc)
    log.info("passed_through path=%s status=%d", request.url.path, answer.status)
    return Response(answer.body, status_code=answer.status, headers=dict(answer.headers))


async def login(request: Request) -> Response:
    """``POST /api/auth/login``."""
    return await _pass(request, LOGIN_PATH)


async def validate(request: Request) -> Response:
    """``GET /api/auth/validate``."""
    return await _pass(request, VALIDATE_PATH)


async def create_session(request: Request) -> Response:
    """``POST /api/session``."""
    return await _pass(request, SESSION_PATH)


async def list_sessions(request: Request) -> Response:
    """``GET /api/sessions``."""
    return await _pass(request, SESSIONS_PATH)


async def read_session(request: Request) -> Response:
    """``GET /api/session/{session_id}``; ids are the backend's integers, nothing else is sent."""
    session_id: str = request.path_params["session_id"]
    if not _SESSION_ID.fullmatch(session_id):
        return error_response(404, "not_found", "no such session")
    return await _pass(request, f"{SESSION_PATH}/{session_id}")


ROUTES: Final = (
    Route(LOGIN_PATH, login, methods=["POST"]),
    Route(VALIDATE_PATH, validate, methods=["GET"]),
    Route(SESSION_PATH, create_session, methods=["POST"]),
    Route(SESSIONS_PATH, list_sessions, methods=["GET"]),
    Route(SESSION_PATH + "/{session_id}", read_session, methods=["GET"]),
)
