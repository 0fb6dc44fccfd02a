"""The gateway's conversation → nscale-assist session map: in memory and in a real Redis, the
first claim wins, entries expire, and owners never share."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from desktop.server.conversation_sessions import (
    ConversationSessions,
    MemoryConversationSessions,
    RedisConversationSessions,
)
from desktop.server.stream_log.redis_connection import connect_redis
from desktop.server.stream_log.redis_keys import RedisKeys


async def claims_and_finds(sessions: ConversationSessions) -> None:
    assert await sessions.find("owner-a", "lokal-1") is None
    assert await sessions.claim("owner-a", "lokal-1", 11) == 11
    assert await sessions.claim("owner-a", "lokal-1", 12) == 11  # a racing first question
    assert await sessions.find("owner-a", "lokal-1") == 11
    assert await sessions.find("owner-b", "lokal-1") is None
    assert await sessions.find("owner-a", "lokal-2") is None


def test_memory_first_claim_wins_and_owners_stay_apart() -> None:
    asyncio.run(claims_and_finds(MemoryConversationSessions()))


def test_memory_forgets_an_idle_conversation_and_renews_a_used_one() -> None:
    now = [0.0]
    sessions = MemoryConversationSessions(ttl=10.0, clock=lambda: now[0])

    async def main() -> None:
        await sessions.claim("o", "used", 1)
        await sessions.claim("o", "idle", 2)
        now[0] = 8.0
        assert await sessions.find("o", "used") == 1
        now[0] = 12.0
        assert await sessions.find("o", "used") == 1
        assert await sessions.find("o", "idle") is None

    asyncio.run(main())


def test_memory_is_bounded_and_drops_the_least_recently_used() -> None:
    sessions = MemoryConversationSessions(max_entries=2)

    async def main() -> None:
        await sessions.claim("o", "a", 1)
        await sessions.claim("o", "b", 2)
        await sessions.find("o", "a")
        await sessions.claim("o", "c", 3)
        assert [await sessions.find("o", c) for c in "abc"] == [1, None, 3]

    asyncio.run(main())


@pytest.mark.redis
def test_redis_first_claim_wins_and_the_key_expires(redis_url: str) -> None:
    async def main() -> None:
        redis, _cluster = await connect_redis(redis_url, cluster=False)
        keys = RedisKeys(f"t{secrets.token_hex(4)}")
        try:
            await claims_and_finds(RedisConversationSessions(redis, keys, ttl=60.0))
            (key,) = await redis.keys(f"{keys.prefix}:conversation:*")
            assert b"{owner-a}" in key
            assert 0 < await redis.pttl(key) <= 60_000
        finally:
            await redis.aclose()

    asyncio.run(main())
