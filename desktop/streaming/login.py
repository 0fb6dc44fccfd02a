"""Logging in to a server that issues its own tokens: nscale-assist's ``POST /api/auth/login``.

Our gateway passes that endpoint through to the backend, so one address serves both. The
password goes into the request body and nowhere else: it is not kept, not logged, and not part
of any error raised here (errors carry the server's words or the network's, never the request).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, TypeAlias

import httpx

from desktop.protocol.token_claims import read_claims
from desktop.streaming.certificates import certificate_rejection
from desktop.streaming.config import ClientConfig
from desktop.streaming.connection import describe

LOGIN_PATH: Final = "/api/auth/login"
#: Seconds a login may take; it is one small JSON exchange, not a stream.
LOGIN_TIMEOUT: Final = 30.0


@dataclass(frozen=True, slots=True)
class Login:
    """A successful login.

    Attributes:
        token: the bearer token (a JWT) to send from now on.
        user: the e-mail address the server logged in (from its answer, else the token).
        expires_at: when the token stops working (its ``exp``), or ``None`` if it does not say.
    """

    token: str
    user: str | None
    expires_at: datetime | None


LoginFailure: TypeAlias = Literal["refused", "untrusted_certificate", "unreachable", "unexpected"]


class LoginError(Exception):
    """The login did not happen, and why (``kind``): the credentials were refused, the
    server's certificate was, the server could not be reached, or it answered no login."""

    def __init__(self, kind: LoginFailure, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status


async def log_in(
    client: httpx.AsyncClient, config: ClientConfig, email: str, password: str
) -> Login:
    """Send the credentials once (a login is not retried: a wrong password stays wrong).

    Raises:
        LoginError: see its ``kind``.
    """
    url = config.root + LOGIN_PATH
    try:
        response = await client.post(
            url,
            json={"email": email, "password": password},
            headers={"Accept": "application/json"},
            timeout=LOGIN_TIMEOUT,
        )
    except httpx.HTTPError as exc:
        refused_certificate = await certificate_rejection(exc, url)
        if refused_certificate is not None:
            raise LoginError("untrusted_certificate", refused_certificate.message) from None
        raise LoginError("unreachable", f"cannot reach {config.root}: {describe(exc)}") from None
    status = response.status_code
    payload = _json(response.content)
    if status in (401, 403):
        detail = _detail(payload) or "wrong e-mail or password"
        raise LoginError("refused", detail, status=status)
    if status == 404:
        raise LoginError(
            "unexpected",
            f"{config.root} has no login ({LOGIN_PATH} answered 404); "
            "use a token (--token or $ASSIST_TOKEN) for this server",
            status=status,
        )
    if status != 200:
        detail = _detail(payload) or f"HTTP {status}"
        raise LoginError("unexpected", f"the login failed: {detail}", status=status)
    token = payload.get("access_token") or payload.get("token") if payload else None
    if not isinstance(token, str) or not token:
        raise LoginError("unexpected", "the server's answer to the login holds no token")
    claims = read_claims(token)
    user_info = payload.get("user") if payload else None
    user = user_info.get("email") if isinstance(user_info, dict) else None
    if not isinstance(user, str):
        user = claims.email if claims else None
    return Login(token, user, claims.expires_at if claims else None)


def _json(body: bytes) -> dict[str, object] | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _detail(payload: dict[str, object] | None) -> str | None:
    """nscale-assist's ``detail`` (FastAPI) or ``error``, as the server wrote it."""
    if payload is None:
        return None
    for key in ("detail", "error"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return None
