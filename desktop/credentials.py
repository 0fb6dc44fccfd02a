"""Access tokens in the system keyring, never in a plain file, one per server profile.

The window keys a token by its profile's name; ``assist-desktop login --server URL`` by the
server's address (:func:`server_key`), which the window also looks under. A login token (a JWT)
carries its own expiry in its ``exp`` claim, signed by the server, so that is the one copy kept:
:func:`load_token` reads it and treats an expired token as no token, and nothing else about a
login (never the password) is stored.

Where no keyring backend exists (a bare server, a minimal container), saving fails with a message
that says so; the token then lives only as long as the window (``--token`` or the prompt).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import Final

import keyring
import keyring.errors
from keyring.backends import fail

from desktop.protocol.token_claims import read_claims

log = logging.getLogger(__name__)

SERVICE: Final = "assist-desktop"


class TokenStoreUnavailable(RuntimeError):
    """No usable keyring backend: the token cannot be stored."""


def keyring_available() -> bool:
    """Whether a real keyring backend is installed and selected."""
    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # a broken backend configuration counts as none
        return False


def server_key(url: str) -> str:
    """The keyring entry of a server named by its address (``login --server URL``)."""
    return url.strip().rstrip("/")


def load_token(profile: str, *, now: datetime | None = None) -> str | None:
    """The stored token of ``profile``, or None: also when no keyring exists, and when the token
    is a JWT that has expired (by ``now``, default the current time), since sending it could
    only earn a 401 and the user is better asked to log in before the question goes out."""
    if not keyring_available():
        return None
    try:
        token: str | None = keyring.get_password(SERVICE, profile)
    except keyring.errors.KeyringError:
        log.warning("reading the token from the keyring failed", exc_info=True)
        return None
    if not token:
        return None
    claims = read_claims(token)
    if claims is not None and claims.expired(now or datetime.now(UTC)):
        log.info("the stored login of %s has expired", profile)
        return None
    return token


def save_token(profile: str, token: str | None) -> None:
    """Store (or with None, delete) the token of ``profile``.

    Raises:
        TokenStoreUnavailable: there is no keyring to store it in.
    """
    if not keyring_available():
        raise TokenStoreUnavailable(
            "No system keyring is available, so the token cannot be saved. "
            "It is used for this session only; install and unlock a keyring "
            "(GNOME Keyring, KWallet, macOS Keychain, Windows Credential Locker) to keep it."
        )
    try:
        if token:
            keyring.set_password(SERVICE, profile, token)
        else:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, profile)
    except keyring.errors.KeyringError as exc:
        raise TokenStoreUnavailable(f"The keyring refused the token: {exc}") from exc
