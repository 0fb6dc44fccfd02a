"""The reference server's configuration, one frozen value shared by every part of the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DEFAULT_TOKEN_RATE: Final = 40.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything ``create_app`` needs; the ``serve`` command and ``EmbeddedServer`` build it.

    Attributes:
        host: the listening address; anything but loopback needs ``token``.
        port: the listening port (0 = any free port).
        backend: ``demo``, ``ollama``, ``openai``, or ``package.module:factory`` for a factory
            taking these settings (used by tests and benchmarks, never advertised).
        token: the bearer token clients must present, or ``None`` for an open server.
        redis_url: a Redis URL for the shared stream log; ``None`` keeps logs in memory.
        allow_faults: honour the fault-injection headers and query parameters.
        token_rate: the demo backend's tokens per second (0 = as fast as possible).
        ttl: seconds a finished stream stays resumable.
        keepalive: seconds of silence before a ``: ping`` comment.
        retry_ms: the ``retry:`` hint sent before the first event of every response.
        max_streams_per_token: running generations one token may own at a time.
        max_body_bytes: the largest start request body accepted (413 beyond).
        upstream_url, model, api_key: passed to the ollama and openai backends.
        upstream_ca: a CA certificate file the nscale gateway trusts for its upstream, besides
            the operating system's store (an intranet's own certificate authority).
        key_prefix: the Redis key namespace, so that several deployments can share one Redis.
        redis_cluster: ``True`` when ``redis_url`` names a Redis Cluster; ``None`` asks it.
        drain_timeout: seconds a stopping server lets its running generations finish.
        lease_seconds: how long a generation's lease outlives its owner's last renewal (the
            time before another replica takes a dead owner's stream over).
        max_starts_per_minute: starts one token may make per minute (0 = no limit).
        cors_origins: web origins (``https://desk.example.com``) whose pages may use the
            stream endpoints; none by default.
        redis_buffer: events one stream keeps in memory while Redis is unreachable; past
            that the stream fails (its closing error is written when Redis is back).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    backend: str = "demo"
    token: str | None = None
    redis_url: str | None = None
    allow_faults: bool = False
    token_rate: float = DEFAULT_TOKEN_RATE
    ttl: float = 600.0
    keepalive: float = 15.0
    retry_ms: int = 1000
    max_streams_per_token: int = 1000
    max_body_bytes: int = 4 * 1024 * 1024
    upstream_url: str | None = None
    model: str | None = None
    api_key: str | None = None
    upstream_ca: str | None = None
    key_prefix: str = "assist"
    redis_cluster: bool | None = None
    drain_timeout: float = 120.0
    lease_seconds: float = 5.0
    max_starts_per_minute: int = 0
    redis_buffer: int = 1000
    cors_origins: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # The token and API key must never reach a log line through a repr.
        hidden = {"token", "api_key"}
        shown = []
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            shown.append(f"{name}={'***' if name in hidden and value else repr(value)}")
        fields = ", ".join(shown)
        return f"ServerSettings({fields})"
