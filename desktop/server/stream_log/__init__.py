"""Per-stream event logs: the runner appends encoded frames, responses replay and follow them."""

from __future__ import annotations

from desktop.server.stream_log.base import (
    EMPTY_READ,
    EntryKind,
    Expired,
    ReadResult,
    StreamInfo,
    StreamLog,
    StreamState,
)
from desktop.server.stream_log.memory import MemoryStreamLog

__all__ = [
    "EMPTY_READ",
    "EntryKind",
    "Expired",
    "MemoryStreamLog",
    "ReadResult",
    "StreamInfo",
    "StreamLog",
    "StreamState",
    "open_stream_log",
]


def open_stream_log(redis_url: str | None, *, ttl: float, key_prefix: str = "assist") -> StreamLog:
    """The log the settings ask for: Redis Streams when a URL is given, memory otherwise."""
    if redis_url is None:
        return MemoryStreamLog(ttl=ttl)
    from desktop.server.stream_log.redis_streams import RedisStreamLog

    return RedisStreamLog(redis_url, ttl=ttl, key_prefix=key_prefix)
