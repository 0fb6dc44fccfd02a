"""How the streaming client connects: one frozen settings object and the httpx client it implies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from desktop.protocol.sse import DEFAULT_MAX_EVENT_BYTES
from desktop.tls import tls_context

#: Write and pool timeouts (seconds): a request body or a free pool slot that takes longer than
#: this means the server or the client is wedged, unlike a stream that is silent on purpose.
WRITE_TIMEOUT = 10.0
POOL_TIMEOUT = 10.0


def check_server_url(url: str) -> str:
    """``url`` itself if it can name a server (``http`` or ``https`` with a host).

    A wrong address is a configuration error to report at once, not a network fault to retry
    eight times with backoff.

    Raises:
        ValueError: with a sentence saying what is wrong and what a good address looks like.
    """
    hint = "a server address looks like http://127.0.0.1:8000 or https://assist.example.com"
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"{url!r} is not a server address ({exc}); {hint}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{url!r} is not a server address; {hint}")
    return url


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything the client needs to know about one server.

    Attributes:
        base_url: scheme, host and port, e.g. ``"http://127.0.0.1:8765"`` (no trailing path).
        token: sent as ``Authorization: Bearer`` on the start and on every resume and cancel,
            because the protocol binds a stream to the token that started it.
        idle_timeout: seconds without a single byte (keepalive comments count) after which the
            connection is treated as dropped; must exceed the server's 15 s keepalive interval.
        connect_timeout: seconds to establish the TCP/TLS connection.
        max_attempts: consecutive tries that bring no new event before the client gives up.
        backoff_cap: upper bound (seconds) of the exponential backoff before jitter.
        max_event_bytes: the largest pending event the parser holds before it calls it broken.
        ca_file: a PEM file of certificate authorities trusted for this server in addition to
            the operating system's trust store (an intranet's own CA). Verification itself is
            always on; there is deliberately no setting that turns it off.
    """

    base_url: str
    token: str | None = None
    idle_timeout: float = 45.0
    connect_timeout: float = 10.0
    max_attempts: int = 8
    backoff_cap: float = 30.0
    max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES
    ca_file: str | None = None

    def __post_init__(self) -> None:
        check_server_url(self.base_url)
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.idle_timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if self.ca_file and not Path(self.ca_file).expanduser().is_file():
            raise ValueError(f"the CA file {self.ca_file} does not exist")

    @property
    def root(self) -> str:
        """``base_url`` without a trailing slash, ready for ``root + "/api/v1/..."``."""
        return self.base_url.rstrip("/")

    @property
    def timeout(self) -> httpx.Timeout:
        """Per-read timeouts only: a stream may legitimately last for many minutes."""
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.idle_timeout,
            write=WRITE_TIMEOUT,
            pool=POOL_TIMEOUT,
        )

    def auth_headers(self) -> dict[str, str]:
        """The ``Authorization`` header, or nothing when no token is configured."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def make_client(config: ClientConfig) -> httpx.AsyncClient:
    """The one place an HTTP client for a server is made, for every protocol and command.

    Stream-friendly timeouts (httpx's 5 s default read timeout would cut a thinking model off),
    no redirects followed implicitly, TLS verified against the system's trust store plus the
    profile's CA file, and ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` honoured (``trust_env``),
    because intranet installations are reached through their proxy. The caller owns the client
    and closes it with ``aclose()``.

    Raises:
        ValueError: the profile's CA file holds no usable certificate.
    """
    return httpx.AsyncClient(
        timeout=config.timeout,
        verify=tls_context(config.ca_file),
        trust_env=True,
        follow_redirects=False,
    )
