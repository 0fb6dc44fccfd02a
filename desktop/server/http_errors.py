"""The JSON error bodies the protocol prescribes for every refusal before a stream starts."""

from __future__ import annotations

import math
from typing import Final

from starlette.responses import JSONResponse

from desktop.server.backend import UpstreamError

#: HTTP status for an upstream failure that happens before anything was generated.
#: ``unauthorized`` and ``invalid_request`` are the upstream's own refusals of the user's token
#: or question, passed on (a gateway such as the nscale backend authenticates nothing itself).
UPSTREAM_STATUS: Final = {
    "unauthorized": 401,
    "invalid_request": 422,
    "rate_limit": 429,
    "model_overload": 503,
    "network_timeout": 504,
    "token_limit": 422,
    "upstream": 502,
    "internal": 500,
}


def error_response(
    status: int, error_type: str, message: str, *, retry_after: float | None = None
) -> JSONResponse:
    """``{"error": {"type", "message"}}`` with the status (and ``Retry-After`` when given)."""
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(max(0, math.ceil(retry_after)))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="assist"'
    return JSONResponse(
        {"error": {"type": error_type, "message": message}}, status_code=status, headers=headers
    )


def invalid_request(message: str, status: int = 400) -> JSONResponse:
    return error_response(status, "invalid_request", message)


def not_found() -> JSONResponse:
    return error_response(404, "not_found", "no such stream")


def upstream_refused(exc: UpstreamError) -> JSONResponse:
    """The answer to a start whose backend refused before generating anything."""
    status = UPSTREAM_STATUS.get(exc.error_type, 502)
    retry_after = exc.retry_after
    if retry_after is None and status in (429, 503):
        retry_after = 1.0
    return error_response(status, exc.error_type, exc.message, retry_after=retry_after)


#: How long a client refused by a draining server waits before it tries again (elsewhere).
DRAIN_RETRY_AFTER_S: Final = 1.0


def draining_refusal(what: str) -> JSONResponse:
    """``503`` + ``Retry-After`` from a server that is stopping: the request belongs elsewhere."""
    return error_response(
        503,
        "model_overload",
        f"this server is shutting down; send the {what} again (another server takes it)",
        retry_after=DRAIN_RETRY_AFTER_S,
    )
