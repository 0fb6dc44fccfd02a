"""Per-stream event logs: the runner appends encoded frames, responses replay and follow them."""

from __future__ import annotations

from desktop.server.stream_log.base import (
    EMPTY_READ,
    Adoption,
    EntryKind,
    Expired,
    LeaseLost,
    ReadResult,
    StreamInfo,
    StreamLog,
    StreamState,
)
from desktop.server.stream_log.memory import MemoryStreamLog
from desktop.server.stream_log.redis_backlog import LogOverflow

__all__ = [
    "EMPTY_READ",
    "Adoption",
    "EntryKind",
    "Expired",
    "LeaseLost",
    "LogOverflow",
    "MemoryStreamLog",
    "ReadResult",
    "StreamInfo",
    "StreamLog",
    "StreamState",
    "open_stream_log",
]


async def open_stream_log(
    redis_url: str | None,
    *,
    ttl: float,
    key_prefix: str = "assist",
    replica: str,
    lease_seconds: float = 5.0,
    cluster: bool | None = None,
    buffer_events: int = 1000,
) -> StreamLog:
    """The log the settings ask for: Redis Streams when a URL is given, memory otherwise.

    ``cluster``: ``True`` for a Redis Cluster, ``None`` to ask the server which it is;
    ``buffer_events``: events a stream keeps in memory while Redis is unreachable.
    """
    if redis_url is None:
        return MemoryStreamLog(ttl=ttl)
    from desktop.server.stream_log.redis_connection import connect_redis
    from desktop.server.stream_log.redis_streams import RedisStreamLog

    client, _is_cluster = await connect_redis(redis_url, cluster=cluster)
    return RedisStreamLog(
        client,
        ttl=ttl,
        key_prefix=key_prefix,
        replica=replica,
        lease_seconds=lease_seconds,
        buffer_events=buffer_events,
    )
