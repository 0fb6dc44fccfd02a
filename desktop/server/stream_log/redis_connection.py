"""Connecting to Redis or a Redis Cluster from one URL.

A cluster is used when ``--redis-cluster`` says so, or when the server at the URL answers that
it runs in cluster mode (``INFO cluster``). Detection needs the server up: when it is not
reachable at start, a plain client is made and a warning logged (name the cluster explicitly
in production, so that a Redis that comes up late is still used as one).
"""

from __future__ import annotations

import logging
from typing import Any, Final, TypeAlias

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

#: Blocking ``XREAD`` holds a pooled connection for up to a second per reader, hence the size.
MAX_CONNECTIONS: Final = 10_000
#: A command that takes longer than this means Redis is gone, not busy.
SOCKET_TIMEOUT_S: Final = 5.0
CONNECT_TIMEOUT_S: Final = 2.0

#: The errors that mean Redis cannot be reached now (a request then gets 503 + Retry-After).
LOG_UNAVAILABLE: Final = (RedisConnectionError, RedisTimeoutError)

#: Either client; redis-py gives both the same command methods.
RedisClient: TypeAlias = Any
log = logging.getLogger(__name__)


async def connect_redis(url: str, *, cluster: bool | None) -> tuple[RedisClient, bool]:
    """A client for ``url`` and whether it talks to a cluster (``cluster=None``: detect)."""
    options: dict[str, Any] = {
        "socket_timeout": SOCKET_TIMEOUT_S,
        "socket_connect_timeout": CONNECT_TIMEOUT_S,
    }
    if cluster is None:
        probe = aioredis.Redis.from_url(url, **options)
        try:
            info: dict[str, Any] = await probe.info("cluster")
            cluster = bool(info.get("cluster_enabled"))
        except (RedisError, OSError) as exc:
            log.warning("redis_cluster_detection_failed error=%s", type(exc).__name__)
            cluster = False
        finally:
            await probe.aclose()
    if cluster:
        return RedisCluster.from_url(url, max_connections=MAX_CONNECTIONS, **options), True
    return aioredis.Redis.from_url(url, max_connections=MAX_CONNECTIONS, **options), False
