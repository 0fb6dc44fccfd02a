"""Short-lived read tokens: a browser's ``EventSource`` may follow one stream without the bearer.

A browser's ``EventSource`` cannot send an ``Authorization`` header, and the bearer token must
never go into a URL (URLs end up in logs, histories and proxies). So a server with a token
answers a start with ``X-Read-Token``: a token that lets its holder *read* that one stream (the
resume URL takes it as ``?read_token=``) until it expires, and nothing else. It is an HMAC of
the stream id, the stream's owner and the expiry time, keyed by a key derived from the server's
bearer token, so every replica of a deployment (sharing that token) accepts it and no replica
has to remember it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Final

#: Seconds a read token stays valid: long enough for a browser to reconnect through an answer.
READ_TOKEN_SECONDS: Final = 900
_CONTEXT: Final = b"assist-read-token:"


class ReadTokens:
    """Issues and checks read tokens for one deployment (``None`` token: none are issued)."""

    def __init__(self, server_token: str | None, lifetime: float = READ_TOKEN_SECONDS) -> None:
        self._key = (
            hmac.new(
                server_token.encode("utf-8", "surrogatepass"), _CONTEXT, hashlib.sha256
            ).digest()
            if server_token
            else None
        )
        self._lifetime = lifetime

    @property
    def enabled(self) -> bool:
        return self._key is not None

    def issue(self, stream_id: str, owner: str, now: float | None = None) -> str | None:
        """A token for reading ``stream_id``, or ``None`` on a server without a token."""
        if self._key is None:
            return None
        expires = int((now if now is not None else time.time()) + self._lifetime)
        return f"{expires}.{self._sign(stream_id, owner, expires)}"

    def allows(self, token: str, stream_id: str, owner: str, now: float | None = None) -> bool:
        """Whether ``token`` lets its holder read ``stream_id`` of ``owner`` now."""
        if self._key is None:
            return False
        expires, _, signature = token.partition(".")
        if not expires.isdigit() or len(expires) > 12:
            return False
        if int(expires) < (now if now is not None else time.time()):
            return False
        return hmac.compare_digest(signature, self._sign(stream_id, owner, int(expires)))

    def _sign(self, stream_id: str, owner: str, expires: int) -> str:
        assert self._key is not None
        message = f"{stream_id}:{owner}:{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
