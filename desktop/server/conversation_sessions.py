"""Which nscale-assist session a client's conversation lives in, per caller.

An Assist client names its conversation with its own ``conversation_id`` (the desktop window
uses a random local one). nscale-assist numbers its sessions and opens a new one for every
question that names none, so without this map every follow-up would start a fresh server
session and the users' web frontend would show one conversation per question. The gateway
creates the session on a conversation's first question and remembers it here, keyed by the
caller's token identity (:func:`desktop.server.auth.owner_id`), so that another user's token
never reaches someone else's session (nscale-assist would refuse it anyway).

In memory for one replica, or in Redis beside the stream log so that every replica agrees: one
small key per conversation, hash-tagged by owner like the limit keys, with an expiry renewed on
every use.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Protocol

from desktop.server.stream_log.redis_connection import RedisClient
from desktop.server.stream_log.redis_keys import RedisKeys

#: How long an idle conversation keeps its server session (a support case spans days).
CONVERSATION_TTL_S: Final = 30 * 24 * 3600.0
#: Conversations the in-memory map keeps; the least recently used ones are forgotten first.
MAX_MEMORY_CONVERSATIONS: Final = 100_000


class ConversationSessions(Protocol):
    """The map from (owner, conversation) to an nscale-assist session number."""

    async def find(self, owner: str, conversation: str) -> int | None:
        """The session the conversation lives in, or ``None`` for its first question."""
        ...

    async def claim(self, owner: str, conversation: str, session: int) -> int:
        """Remember ``session`` unless another start got there first; the session to use."""
        ...


def conversation_key(conversation: str) -> str:
    """A fixed-length name for a client's conversation id (which may be long or odd)."""
    return hashlib.sha256(conversation.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class MemoryConversationSessions:
    """One replica's map, bounded in size and age."""

    def __init__(
        self,
        ttl: float = CONVERSATION_TTL_S,
        max_entries: int = MAX_MEMORY_CONVERSATIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()

    async def find(self, owner: str, conversation: str) -> int | None:
        key = (owner, conversation_key(conversation))
        entry = self._entries.get(key)
        if entry is None:
            return None
        session, expires = entry
        now = self._clock()
        if expires <= now:
            del self._entries[key]
            return None
        self._entries[key] = (session, now + self._ttl)
        self._entries.move_to_end(key)
        return session

    async def claim(self, owner: str, conversation: str, session: int) -> int:
        existing = await self.find(owner, conversation)
        if existing is not None:
            return existing
        key = (owner, conversation_key(conversation))
        self._entries[key] = (session, self._clock() + self._ttl)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return session


class RedisConversationSessions:
    """The map every replica shares, in the stream log's Redis."""

    def __init__(self, redis: RedisClient, keys: RedisKeys, ttl: float = CONVERSATION_TTL_S):
        self._redis = redis
        self._keys = keys
        self._ttl_ms = max(1, int(ttl * 1000))

    async def find(self, owner: str, conversation: str) -> int | None:
        key = self._keys.conversation(owner, conversation_key(conversation))
        value = await self._redis.getex(key, px=self._ttl_ms)
        return _session_number(value)

    async def claim(self, owner: str, conversation: str, session: int) -> int:
        key = self._keys.conversation(owner, conversation_key(conversation))
        if await self._redis.set(key, str(session), px=self._ttl_ms, nx=True):
            return session
        existing = _session_number(await self._redis.getex(key, px=self._ttl_ms))
        return session if existing is None else existing


def _session_number(value: object) -> int | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
