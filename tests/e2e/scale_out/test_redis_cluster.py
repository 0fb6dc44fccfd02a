"""Two replicas on a real 3-master Redis Cluster: resume, cancel and idempotency across them."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator

import httpx
import pytest
import redis
from servers.redis_servers import RedisCluster
from servers.scripted_backend import ScriptedBackend, expected_text
from servers.server_thread import ServerThread

from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEParser

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
TOKEN = "cluster-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = "/api/v1/chat/stream"


@pytest.fixture
def replicas(redis_cluster: RedisCluster) -> Iterator[tuple[ServerThread, ServerThread]]:
    """One replica told it is a cluster, one that finds out by asking."""
    prefix = f"cl-{secrets.token_hex(4)}"
    common = {"redis_url": redis_cluster.url, "key_prefix": prefix, "token": TOKEN}
    one = ServerThread(
        backend=ScriptedBackend(delay=0.002), redis_cluster=True, allow_faults=True, **common
    )
    two = ServerThread(backend=ScriptedBackend(delay=0.002), redis_cluster=None, **common)
    with one, two:
        yield one, two


def _read(response: httpx.Response) -> tuple[list[int], str]:
    parser = SSEParser()
    messages = []
    for chunk in response.iter_bytes():
        messages += parser.feed(chunk)
    text = "".join(json.loads(m.data)["content"] for m in messages if m.event == "token")
    return [int(m.id or 0) for m in messages], text


def test_a_stream_started_on_one_replica_resumes_on_the_other_through_the_cluster(
    replicas: tuple[ServerThread, ServerThread], redis_cluster: RedisCluster
) -> None:
    one, two = replicas
    with httpx.Client(timeout=10) as http:
        headers = {**AUTH, "X-Fault-Drop-After": "9"}
        with http.stream("POST", f"{one.url}{START}", json={"message": "c"}, headers=headers) as r:
            stream_id = r.headers["x-stream-id"]
            ids, first = _read(r)
        assert ids == list(range(1, 10))
        resume_headers = {**AUTH, "Last-Event-ID": "9"}
        events = f"{two.url}/api/v1/streams/{stream_id}/events"
        with http.stream("GET", events, headers=resume_headers) as r:
            assert r.status_code == 200
            rest_ids, rest = _read(r)
        assert rest_ids[0] == 10
        assert first + rest == expected_text(ChatRequest("c"))
        # The done event is in the log a moment before the owner marks the stream finished
        # (two writes), so a status read right after it may still say running.
        for _ in range(400):
            status = http.get(f"{two.url}/api/v1/streams/{stream_id}", headers=AUTH).json()
            if status["state"] != "running":
                break
            time.sleep(0.01)
        assert status["state"] == "done"
    # The stream's keys share its hash tag: one slot, so its scripts run on one shard.
    node = redis.Redis(port=redis_cluster.nodes[0].port)
    try:
        prefix = one.settings.key_prefix
        slots = {
            node.cluster("keyslot", f"{prefix}:stream:{{{stream_id}}}:{part}")
            for part in ("events", "meta", "lease", "gone")
        }
        assert len(slots) == 1
    finally:
        node.close()


def test_idempotency_and_cancel_hold_across_replicas_on_the_cluster(
    replicas: tuple[ServerThread, ServerThread],
) -> None:
    one, two = replicas
    key = {"Idempotency-Key": secrets.token_hex(8)}
    with httpx.Client(timeout=10) as http:
        first = http.post(f"{one.url}{START}", json={"message": "i"}, headers={**AUTH, **key})
        again = http.post(f"{two.url}{START}", json={"message": "i"}, headers={**AUTH, **key})
        assert again.headers["x-stream-id"] == first.headers["x-stream-id"]
        assert again.content == first.content
        slow = {"message": "slow", "options": {"max_tokens": 4000}}
        with http.stream("POST", f"{one.url}{START}", json=slow, headers=AUTH) as r:
            stream_id = r.headers["x-stream-id"]
            cancel = http.delete(f"{two.url}/api/v1/streams/{stream_id}", headers=AUTH)
            assert cancel.status_code == 204
            body = b"".join(r.iter_bytes())
        assert b'"finish_reason":"cancelled"' in body
        for _ in range(400):
            state = http.get(f"{two.url}/api/v1/streams/{stream_id}", headers=AUTH).json()
            if state["state"] == "cancelled":
                break
            time.sleep(0.01)
        assert state["state"] == "cancelled"


def test_a_replica_that_lost_its_lease_writes_nothing_more_and_the_stream_ends_once(
    replicas: tuple[ServerThread, ServerThread], redis_cluster: RedisCluster
) -> None:
    """A partition, played on the cluster: another holder takes the lease from a live owner."""
    one, two = replicas
    body = {"message": "partitioned", "options": {"max_tokens": 400}}
    with httpx.Client(timeout=30) as http:
        with http.stream("POST", f"{one.url}{START}", json=body, headers=AUTH) as r:
            stream_id = r.headers["x-stream-id"]
            next(r.iter_bytes())
        cluster = redis.RedisCluster(host="127.0.0.1", port=redis_cluster.nodes[0].port)
        try:
            lease = f"{one.settings.key_prefix}:stream:{{{stream_id}}}:lease"
            cluster.set(lease, "another-replica", px=1500)  # held elsewhere, then left to expire
            events = f"{two.url}/api/v1/streams/{stream_id}/events"
            with http.stream("GET", events, headers={**AUTH, "Last-Event-ID": "0"}) as r:
                ids, _text = _read(r)
        finally:
            cluster.close()
        status = http.get(f"{two.url}/api/v1/streams/{stream_id}", headers=AUTH).json()
    assert ids == list(range(1, len(ids) + 1))  # nothing twice, nothing out of order
    assert status["state"] == "failed"
    assert len(ids) < 400  # the owner stopped at the theft: the rest was never generated
    assert one.runtime.metrics.registry.get_sample_value("assist_lease_losses_total") == 1
    ended = two.runtime.metrics.registry.get_sample_value(
        "assist_stream_takeovers_total", {"outcome": "ended"}
    )
    assert ended == 1
