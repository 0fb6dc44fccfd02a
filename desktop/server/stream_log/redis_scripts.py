"""The Lua scripts that make the shared log's multi-key steps atomic on one Redis shard.

Why scripts: ownership of a generation is a lease key, and every write of the owner is fenced
by it. An append or a finish checks, in the same atomic step as the write, that the lease still
names this replica; so a replica that lost its lease (it stalled, or was cut off, and another
took over) cannot write one event more, and nothing is ever written twice or out of order. A
takeover is the compare-and-set "lease absent and stream running, then take it", so exactly one
of many replicas noticing the same dead owner wins. Each script touches the keys of one stream
(one hash tag) or of one token, never both, so it runs on a Redis Cluster too.

Scripts are sent with ``EVAL`` (Redis caches them by hash): a restarted Redis has an empty
script cache, and ``EVALSHA`` would then fail every write until the scripts were loaded again.
"""

from __future__ import annotations

from typing import Final

#: The error a fenced write raises when the lease names another replica (or nobody).
LEASE_LOST: Final = "LEASELOST"
#: Part of Redis's refusal of an event id the stream already holds (a write repeated
#: after a connection broke before its reply came back).
ALREADY_WRITTEN: Final = "equal or smaller than the target stream top item"

#: KEYS meta, lease; ARGV owner, request JSON ('' = none), expiry ms, replica, lease ms.
CREATE: Final = """
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'state', 'running', 'last', 0)
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'request', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
return 1
"""

#: KEYS events, meta, lease; ARGV event id, frame, kind, replica, expiry ms (0 = keep).
APPEND: Final = """
if redis.call('GET', KEYS[3]) ~= ARGV[4] then
  return redis.error_reply('LEASELOST the stream is generated elsewhere')
end
redis.call('XADD', KEYS[1], ARGV[1] .. '-0', 'f', ARGV[2], 'k', ARGV[3])
redis.call('HSET', KEYS[2], 'last', ARGV[1])
if ARGV[5] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
return 1
"""

#: KEYS meta, lease, events, gone; ARGV replica, state, ttl ms, tombstone ms.
FINISH: Final = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return redis.error_reply('LEASELOST the stream is generated elsewhere')
end
local owner = redis.call('HGET', KEYS[1], 'owner') or ''
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('DEL', KEYS[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
redis.call('SET', KEYS[4], owner, 'PX', ARGV[4])
return 1
"""

#: KEYS lease, meta; ARGV replica, lease ms. 1 when still ours (and renewed), else 0. A lease
#: that expired while Redis was unreachable is ours again if nobody took the stream meanwhile.
RENEW: Final = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder == false and redis.call('HGET', KEYS[2], 'state') == 'running' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"""

#: KEYS lease; ARGV replica. Lets go of a lease this replica holds (a drain that hands off).
RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

#: KEYS meta, lease; ARGV replica, lease ms. 1 for the one replica that takes the stream over.
TAKEOVER: Final = """
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'takeovers', 1)
return 1
"""

#: KEYS active; ARGV limit, stream id, slot ms. 1 when the token may run one stream more.
ACQUIRE_SLOT: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false
   and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""

#: KEYS active; ARGV stream id, slot ms. Keeps a running stream's slot (with its lease); a
#: stream taken over from a dead replica is counted again by its new owner's first renewal.
RENEW_SLOT: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""

#: KEYS bucket; ARGV starts per minute. '0' when allowed, else the seconds to wait (a string:
#: Lua numbers would be truncated to integers on the way out).
TAKE_START: Final = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local burst = tonumber(ARGV[1])
local per_second = burst / 60
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_second)
if tokens < 1 then
  return tostring((1 - tokens) / per_second)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 61000)
return '0'
"""
