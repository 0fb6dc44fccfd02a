"""Whom the project trusts over TLS: the operating system's store, plus an optional CA file.

Installations sit on intranets behind internal certificate authorities, so both the desktop
client and the nscale gateway (towards nscale-assist) verify against the operating system's
trust store (``truststore``: Keychain on macOS, CryptoAPI on Windows, the system bundle
elsewhere), which is where an IT department installs its CA, plus an optional CA file.
Verification is never switched off.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import truststore


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The context every client connection uses: the system's trust store, plus ``ca_file``.

    Raises:
        ValueError: ``ca_file`` is missing or holds no certificate (said before any connection,
            so a typo in a profile is not mistaken for an untrusted server).
    """
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        path = Path(ca_file).expanduser()
        if not path.is_file():
            raise ValueError(f"the CA file {ca_file} does not exist")
        try:
            context.load_verify_locations(cafile=str(path))
        except ssl.SSLError as exc:
            raise ValueError(f"the CA file {ca_file} holds no usable certificate ({exc})") from None
    return context


def verification_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure somewhere in ``exc``'s chain, if that is what it is.

    httpx wraps it twice (``ConnectError`` from httpcore's from the ``ssl`` module's).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
