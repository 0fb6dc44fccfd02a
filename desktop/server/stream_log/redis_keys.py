"""Where the shared state lives in Redis: one naming scheme for every key the server writes.

A stream's keys share the hash tag ``{stream_id}``, so on a Redis Cluster they live on one shard
and the scripts that touch several of them (a fenced append, a takeover, a finish) run there.
A token's limit keys share ``{owner}`` the same way. Under a prefix ``P``:

- ``P:stream:{id}:events``: the events, a Redis Stream (entry ``n-0`` is event ``n``);
- ``P:stream:{id}:meta``: a hash: ``owner``, ``state``, ``last``, ``request`` (the start's JSON,
  so that another replica can continue the answer), ``takeovers``;
- ``P:stream:{id}:lease``: the replica generating the stream, with a short expiry it renews;
- ``P:stream:{id}:gone``: a tombstone outliving the data, so that a late resume gets ``410``;
- ``P:idem:<owner>:<key>``: the stream an ``Idempotency-Key`` started;
- ``P:active:{owner}``: a sorted set of the token's running streams, scored by lease expiry;
- ``P:rate:{owner}``: the token's start-rate bucket;
- ``P:conversation:{owner}:<conversation>``: the nscale-assist session a client's conversation
  lives in (the gateway's, see :mod:`desktop.server.conversation_sessions`);
- channel ``P:cancel``: stream ids to cancel, for the replica that generates them.
"""

from __future__ import annotations


class RedisKeys:
    """The key names under one deployment's prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.cancel_channel = f"{prefix}:cancel"

    def events(self, stream_id: str) -> str:
        return f"{self.prefix}:stream:{{{stream_id}}}:events"

    def meta(self, stream_id: str) -> str:
        return f"{self.prefix}:stream:{{{stream_id}}}:meta"

    def lease(self, stream_id: str) -> str:
        return f"{self.prefix}:stream:{{{stream_id}}}:lease"

    def gone(self, stream_id: str) -> str:
        return f"{self.prefix}:stream:{{{stream_id}}}:gone"

    def idem(self, owner: str, key: str) -> str:
        return f"{self.prefix}:idem:{owner}:{key}"

    def active(self, owner: str) -> str:
        return f"{self.prefix}:active:{{{owner}}}"

    def rate(self, owner: str) -> str:
        return f"{self.prefix}:rate:{{{owner}}}"

    def conversation(self, owner: str, conversation: str) -> str:
        return f"{self.prefix}:conversation:{{{owner}}}:{conversation}"
