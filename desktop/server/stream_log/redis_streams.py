"""The stream log in Redis Streams, shared by every replica behind a load balancer.

Keys, under a configurable prefix ``P``:

- ``P:stream:<id>:events``: a Redis Stream; event ``n`` is entry ``n-0`` with fields ``f`` (the
  encoded SSE frame) and ``k`` (its :class:`EntryKind`). Readers follow it with blocking
  ``XREAD``, so a replica that did not start the stream serves its resume.
- ``P:stream:<id>:meta``: a hash with ``owner`` (a token hash), ``state`` and ``last``.
- ``P:idem:<owner>:<key>``: the stream an ``Idempotency-Key`` started (``SET NX``).
- ``P:gone:<id>``: a tombstone outliving the data by a day, so that a late resume gets ``410``.
- channel ``P:cancel``: stream ids to cancel, for the replica whose task runs the stream.

Every key of a running stream carries a generous expiry (renewed as events arrive) so that a
replica dying mid-answer leaves nothing behind for long; ``finish`` shortens it to the TTL.
One blocking ``XREAD`` holds one pooled connection for at most a second, hence the large pool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Final, cast

import redis.asyncio as aioredis

from desktop.server.stream_log.base import (
    EMPTY_READ,
    EntryKind,
    Expired,
    ReadResult,
    StreamInfo,
    StreamState,
)

RUNNING_EXPIRY_S: Final = 3600.0
TOMBSTONE_S: Final = 86_400.0
MAX_BLOCK_S: Final = 1.0
READ_COUNT: Final = 1000
RENEW_EVERY: Final = 200
MAX_CONNECTIONS: Final = 10_000
_STATES: Final = frozenset({"running", "done", "cancelled", "failed"})


class RedisStreamLog:
    """A :class:`~desktop.server.stream_log.base.StreamLog` in Redis Streams."""

    def __init__(self, url: str, *, ttl: float, key_prefix: str = "assist") -> None:
        self._redis = aioredis.Redis.from_url(url, max_connections=MAX_CONNECTIONS)
        self._ttl_ms = max(1, int(ttl * 1000))
        self._running_ms = int((RUNNING_EXPIRY_S + ttl) * 1000)
        self._prefix = key_prefix
        self._idem_keys: dict[str, str] = {}  # streams created here -> their idempotency key

    def _events(self, stream_id: str) -> str:
        return f"{self._prefix}:stream:{stream_id}:events"

    def _meta(self, stream_id: str) -> str:
        return f"{self._prefix}:stream:{stream_id}:meta"

    def _idem(self, owner: str, key: str) -> str:
        return f"{self._prefix}:idem:{owner}:{key}"

    def _gone(self, stream_id: str) -> str:
        return f"{self._prefix}:gone:{stream_id}"

    @property
    def _channel(self) -> str:
        return f"{self._prefix}:cancel"

    async def create(self, stream_id: str, owner: str, idempotency_key: str | None) -> str | None:
        if idempotency_key is not None:
            idem = self._idem(owner, idempotency_key)
            claimed = await self._redis.set(idem, stream_id, nx=True, px=self._running_ms)
            if not claimed:
                existing = await self._redis.get(idem)
                if existing is not None:
                    return cast(bytes, existing).decode()
                # The holder expired between SET and GET: claim it now.
                await self._redis.set(idem, stream_id, px=self._running_ms)
            self._idem_keys[stream_id] = idem
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                self._meta(stream_id), mapping={"owner": owner, "state": "running", "last": 0}
            )
            pipe.pexpire(self._meta(stream_id), self._running_ms)
            await pipe.execute()
        return None

    async def find_idempotent(self, owner: str, idempotency_key: str) -> str | None:
        value = await self._redis.get(self._idem(owner, idempotency_key))
        return cast(bytes, value).decode() if value is not None else None

    async def append(
        self, stream_id: str, event_id: int, frame: bytes, kind: EntryKind = EntryKind.EVENT
    ) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.xadd(self._events(stream_id), {"f": frame, "k": int(kind)}, id=f"{event_id}-0")
            pipe.hset(self._meta(stream_id), "last", event_id)
            if event_id == 1 or event_id % RENEW_EVERY == 0:
                self._expire_all(pipe, stream_id, self._running_ms)
            await pipe.execute()

    def _expire_all(self, pipe: Any, stream_id: str, milliseconds: int) -> None:
        pipe.pexpire(self._events(stream_id), milliseconds)
        pipe.pexpire(self._meta(stream_id), milliseconds)
        idem = self._idem_keys.get(stream_id)
        if idem is not None:
            pipe.pexpire(idem, milliseconds)

    async def finish(self, stream_id: str, state: StreamState) -> None:
        owner = await self._redis.hget(self._meta(stream_id), "owner")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._meta(stream_id), "state", state)
            self._expire_all(pipe, stream_id, self._ttl_ms)
            pipe.set(
                self._gone(stream_id),
                owner if owner is not None else b"",
                px=self._ttl_ms + int(TOMBSTONE_S * 1000),
            )
            await pipe.execute()
        self._idem_keys.pop(stream_id, None)

    async def find(self, stream_id: str) -> StreamInfo | Expired | None:
        meta = cast(dict[bytes, bytes], await self._redis.hgetall(self._meta(stream_id)))
        if meta:
            state = meta.get(b"state", b"running").decode()
            return StreamInfo(
                stream_id=stream_id,
                owner=meta.get(b"owner", b"").decode(),
                state=cast(StreamState, state if state in _STATES else "failed"),
                last_event_id=int(meta.get(b"last", b"0")),
            )
        owner = await self._redis.get(self._gone(stream_id))
        return Expired(stream_id, cast(bytes, owner).decode()) if owner is not None else None

    async def read(self, stream_id: str, after: int, max_wait: float) -> ReadResult:
        block_ms = max(1, int(min(max_wait, MAX_BLOCK_S) * 1000))
        reply = cast(
            list[Any],
            await self._redis.xread(
                {self._events(stream_id): f"{after}-0"}, count=READ_COUNT, block=block_ms
            ),
        )
        if not reply:
            return EMPTY_READ
        entries: list[tuple[bytes, dict[bytes, bytes]]] = reply[0][1]
        frames: list[bytes] = []
        for _entry_id, fields in entries:
            frames.append(fields[b"f"])
            kind = int(fields.get(b"k", b"0"))
            if kind != EntryKind.EVENT:
                return ReadResult(frames, closing=True, final=kind == EntryKind.FINAL)
        return ReadResult(frames, closing=False, final=False)

    async def request_cancel(self, stream_id: str) -> None:
        await self._redis.publish(self._channel, stream_id)

    async def cancellations(self) -> AsyncIterator[str]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)
        try:
            async for message in pubsub.listen():
                data = message.get("data")
                if isinstance(data, bytes):
                    yield data.decode()
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    def wake_readers(self) -> None:
        # Blocking reads return within MAX_BLOCK_S by themselves.
        return None

    async def aclose(self) -> None:
        await self._redis.aclose()
