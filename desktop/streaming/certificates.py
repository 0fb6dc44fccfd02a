"""What the client says when a server's certificate is refused (whom it trusts: ``desktop.tls``).

A refused certificate cannot be mended by retrying, so the retry loops end at once with one
sentence naming the host, the certificate's issuer and the reason. OpenSSL's error names no
issuer; :func:`certificate_rejection` learns it by a second handshake that only reads the
certificate and sends nothing (no request, no token) before it closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import urllib.request
from dataclasses import dataclass
from typing import Final

import httpx
from cryptography import x509

from desktop.protocol.events import Rejected
from desktop.tls import verification_error

#: Seconds the issuer probe may take; the message goes out without an issuer after that.
ISSUER_PROBE_TIMEOUT: Final = 3.0

# OpenSSL's X509_V_ERR_* codes (x509_vfy.h) that name a reason a user can act on.
_UNKNOWN_AUTHORITY: Final = frozenset({2, 18, 19, 20, 21})
_EXPIRED: Final = 10
_NOT_YET_VALID: Final = 9
_WRONG_HOST: Final = frozenset({62, 64})  # host name, IP address mismatch


@dataclass(frozen=True, slots=True)
class CertificateProblem:
    """Why a server's certificate was refused, in words for the person who can fix it."""

    host: str
    reason: str
    issuer: str | None = None

    def message(self) -> str:
        issued = f" (issued by {self.issuer})" if self.issuer else ""
        return (
            f"The certificate of {self.host}{issued} is not trusted: {self.reason}. "
            "Nothing was sent. If your organisation runs its own certificate authority, install "
            "its certificate in the system's trust store or name it as the profile's CA file "
            "(--ca-file)."
        )


def describe_reason(error: ssl.SSLCertVerificationError, host: str) -> str:
    """The reason as a user reads it (unknown CA, expired, wrong host), else OpenSSL's words."""
    code = error.verify_code
    if code in _UNKNOWN_AUTHORITY:
        return "it was issued by a certificate authority this computer does not trust"
    if code == _EXPIRED:
        return "it has expired"
    if code == _NOT_YET_VALID:
        return "it is not valid yet (check the computer's clock)"
    if code in _WRONG_HOST:
        return f"it was made for another host name, not {host}"
    return str(error.verify_message or error.reason or error)


async def certificate_rejection(exc: BaseException, url: str) -> Rejected | None:
    """The terminal event for a connect failure that is a refused certificate, else ``None``
    (every other failure before the headers stays a retryable network fault)."""
    error = verification_error(exc)
    if error is None:
        return None
    target = httpx.URL(url)
    host = target.host
    port = target.port or 443
    issuer = await _issuer_of(host, port)
    problem = CertificateProblem(host, describe_reason(error, host), issuer)
    return Rejected("untrusted_certificate", problem.message())


async def _issuer_of(host: str, port: int) -> str | None:
    """The issuer the server presents, read from a handshake that checks nothing and sends
    nothing; ``None`` behind a proxy (the probe would meet the proxy, not the server) or when
    the server cannot be reached again in time."""
    proxies = urllib.request.getproxies_environment()
    if (proxies.get("https") or proxies.get("all")) and not urllib.request.proxy_bypass(host):
        return None
    probe = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    probe.check_hostname = False
    probe.verify_mode = ssl.CERT_NONE
    try:
        async with asyncio.timeout(ISSUER_PROBE_TIMEOUT):
            _reader, writer = await asyncio.open_connection(
                host, port, ssl=probe, server_hostname=host
            )
    except (OSError, TimeoutError, ssl.SSLError):
        return None
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    finally:
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()
    if not der:
        return None
    try:
        return x509.load_der_x509_certificate(der).issuer.rfc4514_string() or None
    except ValueError:
        return None
