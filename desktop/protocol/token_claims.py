"""What a JWT says about itself: who it was issued to and until when (no signature check).

The client never trusts these claims for access, the server does that on every request. It reads
them to know before sending whether a stored login is still worth using, and to tell the user
whose login it is and until when. Tokens that are not JWTs (the reference server's opaque
tokens) simply have no claims.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

#: A token this close to its expiry counts as expired: a question sent with it now could be
#: refused halfway, and a login asked for now loses nothing.
EXPIRY_MARGIN: Final = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The claims of a JWT payload that the client uses.

    Attributes:
        expires_at: from ``exp`` (seconds since the epoch), or ``None`` when the token has none.
        email: from ``email`` (nscale-assist) or ``sub``, or ``None``.
    """

    expires_at: datetime | None = None
    email: str | None = None

    def expired(self, now: datetime) -> bool:
        """Whether a request sent at ``now`` should not rely on this token any more."""
        return self.expires_at is not None and now >= self.expires_at - EXPIRY_MARGIN


def read_claims(token: str) -> TokenClaims | None:
    """The claims of ``token``, or ``None`` when it is no JWT (not three dot-separated base64url
    parts with a JSON object in the middle)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1]:
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    return TokenClaims(expires_at=_instant(payload.get("exp")), email=_email(payload))


def _instant(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _email(payload: dict[str, object]) -> str | None:
    for key in ("email", "sub"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return None
