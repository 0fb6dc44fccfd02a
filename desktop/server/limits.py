"""Per-token limits on starts: concurrent streams and starts per minute, one policy for N replicas.

With a shared Redis the counts live there, so N replicas enforce one limit: a token's running
streams are a sorted set scored by the time their slot expires (renewed with the lease, so a
dead replica's streams stop counting when their leases would expire), and its start rate is a
token bucket refilled continuously. Without Redis the same policy is counted in this process.
A refusal carries the seconds after which trying again can succeed (the ``Retry-After``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Final, Protocol

from desktop.server.stream_log.redis_connection import RedisClient
from desktop.server.stream_log.redis_keys import RedisKeys
from desktop.server.stream_log.redis_scripts import ACQUIRE_SLOT, RENEW_SLOT, TAKE_START

#: A token at its concurrency limit is told to come back after this long.
BUSY_RETRY_S: Final = 1.0


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a start is refused (``429``) and when to try again."""

    message: str
    retry_after: float


TOO_MANY_STREAMS: Final = "too many concurrent streams for this token"
TOO_MANY_STARTS: Final = "too many starts for this token; try again later"


class StartLimits(Protocol):
    """Admits or refuses a token's next start."""

    async def admit(self, owner: str, stream_id: str) -> Refusal | None:
        """Count the start of ``stream_id`` for ``owner``, or say why not."""
        ...

    async def release(self, owner: str, stream_id: str) -> None:
        """The stream has ended (or never started): it no longer counts."""
        ...

    async def renew(self, streams: list[tuple[str, str]]) -> None:
        """Keep counting the ``(owner, stream_id)`` streams still running here."""
        ...


class _Bucket:
    __slots__ = ("at", "tokens")

    def __init__(self, tokens: float, at: float) -> None:
        self.tokens, self.at = tokens, at


class LocalLimits:
    """The limits of a single process (the log in memory)."""

    def __init__(self, max_streams: int, starts_per_minute: int) -> None:
        self._max_streams = max_streams
        self._per_minute = starts_per_minute
        self._running: dict[str, set[str]] = {}
        self._buckets: dict[str, _Bucket] = {}

    async def admit(self, owner: str, stream_id: str) -> Refusal | None:
        running = self._running.setdefault(owner, set())
        if len(running) >= self._max_streams:
            return Refusal(TOO_MANY_STREAMS, BUSY_RETRY_S)
        if self._per_minute > 0:
            wait = self._take(owner)
            if wait > 0:
                return Refusal(TOO_MANY_STARTS, wait)
        running.add(stream_id)
        return None

    def _take(self, owner: str) -> float:
        now, burst = time.monotonic(), float(self._per_minute)
        per_second = burst / 60
        bucket = self._buckets.setdefault(owner, _Bucket(burst, now))
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * per_second)
        bucket.at = now
        if bucket.tokens < 1:
            return (1 - bucket.tokens) / per_second
        bucket.tokens -= 1
        return 0.0

    async def release(self, owner: str, stream_id: str) -> None:
        running = self._running.get(owner)
        if running is not None:
            running.discard(stream_id)
            if not running:
                del self._running[owner]

    async def renew(self, streams: list[tuple[str, str]]) -> None:
        return None


class RedisLimits:
    """The limits of every replica sharing one Redis (or Redis Cluster)."""

    def __init__(
        self,
        redis: RedisClient,
        keys: RedisKeys,
        *,
        max_streams: int,
        starts_per_minute: int,
        slot_seconds: float,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._max_streams = max_streams
        self._per_minute = starts_per_minute
        self._slot_ms = max(1, int(slot_seconds * 1000))

    async def admit(self, owner: str, stream_id: str) -> Refusal | None:
        keys = self._keys
        if self._per_minute > 0:
            wait = float(await self._redis.eval(TAKE_START, 1, keys.rate(owner), self._per_minute))
            if wait > 0:
                return Refusal(TOO_MANY_STARTS, math.ceil(wait * 1000) / 1000)
        admitted = await self._redis.eval(
            ACQUIRE_SLOT, 1, keys.active(owner), self._max_streams, stream_id, self._slot_ms
        )
        return None if admitted else Refusal(TOO_MANY_STREAMS, BUSY_RETRY_S)

    async def release(self, owner: str, stream_id: str) -> None:
        await self._redis.zrem(self._keys.active(owner), stream_id)

    async def renew(self, streams: list[tuple[str, str]]) -> None:
        if not streams:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for owner, stream_id in streams:
                pipe.eval(RENEW_SLOT, 1, self._keys.active(owner), stream_id, self._slot_ms)
            await pipe.execute()
