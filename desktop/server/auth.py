"""Bearer-token authentication and the owner identity that binds a stream to its token.

Streams are bound to a hash of the bearer token that started them (never the token itself, so
neither the log, Redis nor a log line holds it). With a server token configured, only that
token is let in; without one, the server is open, but a stream still belongs to the token its
start presented (or to nobody in particular when none was sent).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Final

_SCHEME: Final = "bearer "
_OWNER_SALT: Final = b"assist-stream-owner:"


def presented_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or ``None``."""
    value = headers.get("authorization")
    if value is None or value[: len(_SCHEME)].lower() != _SCHEME:
        return None
    token = value[len(_SCHEME) :].strip()
    return token or None


def owner_id(token: str | None) -> str:
    """A stable, non-reversible id for whoever holds ``token``."""
    digest = hashlib.sha256(_OWNER_SALT + (token or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


class Authenticator:
    """Checks requests against the configured token in constant time."""

    def __init__(self, token: str | None) -> None:
        self._expected = token.encode("utf-8") if token else None

    @property
    def required(self) -> bool:
        return self._expected is not None

    def owner(self, headers: Mapping[str, str]) -> str | None:
        """The caller's owner id, or ``None`` when the request is not allowed."""
        token = presented_token(headers)
        if self._expected is not None:
            given = (token or "").encode("utf-8", "surrogatepass")
            if not hmac.compare_digest(given, self._expected):
                return None
        return owner_id(token)
