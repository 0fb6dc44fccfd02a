"""Users, logins and bearer tokens of the fake nscale-assist, as the real one answers them.

Tokens are HS256 JWTs with ``{"user_id", "email", "role", "exp", "tokenExpiry"}`` and
``exp`` = login time + 86400 s, no ``iat`` and no refresh (reference README §2). The error
bodies are the captured ones, byte for byte (``00b``, ``10-*``, ``11-*``, ``12-*``). The
``123`` password trap and the debug print of the login body are not reproduced: nothing a
client should do depends on them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import jwt

JWT_EXPIRATION: Final = 86400
NOT_AUTHENTICATED: Final = "Nicht authentifiziert"
BAD_TOKEN: Final = "Ungültiges oder abgelaufenes Token"
BAD_LOGIN: Final = "Ungültige Anmeldedaten"


class AuthError(Exception):
    """The request carries no token, or one that is forged, malformed or expired."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass
class User:
    id: int
    email: str
    password_sha256: bytes
    role: str = "user"
    created_at: int = field(default_factory=lambda: int(time.time()))

    def public(self) -> dict[str, Any]:
        """The ``user`` object of the login and validate responses (``username`` = email)."""
        return {
            "id": self.id,
            "email": self.email,
            "username": self.email,
            "role": self.role,
            "created_at": self.created_at,
            "last_login": None,
        }


def _digest(password: str) -> bytes:
    return hashlib.sha256(password.encode()).digest()


class Accounts:
    """The fake's user table and its token signing key.

    Args:
        clock: Unix seconds (tests move it to expire tokens without waiting a day).
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.secret = secrets.token_hex(32)
        self.clock = clock
        self._users: dict[str, User] = {}

    def add(self, email: str, password: str, role: str = "user") -> User:
        user = User(len(self._users) + 1, email, _digest(password), role, int(self.clock()))
        self._users[email] = user
        return user

    def login(self, body: Mapping[str, Any]) -> tuple[str, User]:
        """A token for ``{"email" | "username", "password"}``.

        Raises:
            AuthError: unknown user or wrong password (``Ungültige Anmeldedaten``).
        """
        email = body.get("email") or body.get("username")
        password = body.get("password")
        user = self._users.get(email) if isinstance(email, str) else None
        if (
            user is None
            or not isinstance(password, str)
            or not hmac.compare_digest(user.password_sha256, _digest(password))
        ):
            raise AuthError(BAD_LOGIN)
        return self.token_for(user), user

    def token_for(self, user: User, *, expires_in: float = JWT_EXPIRATION) -> str:
        """A token as the login hands out; a negative ``expires_in`` makes an expired one."""
        exp = int(self.clock() + expires_in)
        payload = {
            "user_id": user.id,
            "email": user.email,
            "role": user.role,
            "exp": exp,
            "tokenExpiry": exp,
        }
        return jwt.encode(payload, self.secret, algorithm="HS256")

    def user_of(self, authorization: str | None, query_token: str | None = None) -> User:
        """The user a ``Bearer`` header (or, where allowed, ``?auth_token=``) names.

        Raises:
            AuthError: no token (``Nicht authentifiziert``), or a bad or expired one.
        """
        token = None
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        token = token or query_token
        if not token:
            raise AuthError(NOT_AUTHENTICATED)
        try:
            payload = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"verify_exp": False},
            )
        except jwt.PyJWTError:
            raise AuthError(BAD_TOKEN) from None
        exp = payload.get("exp")
        if not isinstance(exp, int) or exp <= self.clock():
            raise AuthError(BAD_TOKEN)
        user = self._users.get(str(payload.get("email")))
        if user is None or user.id != payload.get("user_id"):
            raise AuthError(BAD_TOKEN)
        return user
