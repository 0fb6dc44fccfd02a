"""Two server replicas sharing one real Redis: resume, cancel and idempotency across them."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time

import httpx
import pytest
import redis
from server_harness import AUTH, START, ServerFactory, resume, start, token_text
from servers.scripted_backend import ScriptedBackend, Step, answer_script, expected_text

from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEMessage, SSEParser

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


@pytest.fixture
def replicas(make_server: ServerFactory, redis_url: str) -> tuple[str, str]:
    """Two servers on one Redis under a fresh key prefix, faults allowed."""
    prefix = f"test-{secrets.token_hex(4)}"
    gate = threading.Event()

    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        if request.message.startswith("gated"):
            steps[10] = Step(steps[10].item, gate=gate)
        return steps

    urls = tuple(
        make_server(
            ScriptedBackend(script), redis_url=redis_url, key_prefix=prefix, allow_faults=True
        ).url
        for _ in range(2)
    )
    yield urls  # type: ignore[misc]
    gate.set()


def test_start_on_one_replica_resume_on_the_other_gives_identical_text(
    replicas: tuple[str, str],
) -> None:
    one, two = replicas
    with httpx.Client(base_url=one, timeout=10) as a, httpx.Client(base_url=two, timeout=10) as b:
        first = start(a, "replica", headers={"X-Fault-Drop-After": "9"})
        assert first.ids == list(range(1, 10))
        rest = resume(b, first.stream_id, 9)
        assert rest.status == 200
        assert rest.ids[0] == 10
        assert rest.names[-1] == "done"
        assert first.text + rest.text == expected_text(ChatRequest("replica"))
        whole = resume(b, first.stream_id, 0)
        assert whole.text == expected_text(ChatRequest("replica"))
        assert resume(b, first.stream_id, whole.ids[-1]).status == 204
        assert resume(b, first.stream_id, whole.ids[-1] + 1).status == 400
        status = b.get(f"/api/v1/streams/{first.stream_id}", headers=AUTH).json()
        assert status == {
            "stream_id": first.stream_id,
            "state": "done",
            "last_event_id": whole.ids[-1],
        }


def test_every_boundary_resumes_identically_from_redis(replicas: tuple[str, str]) -> None:
    one, two = replicas
    with httpx.Client(base_url=one, timeout=10) as a, httpx.Client(base_url=two, timeout=10) as b:
        first = start(a, "boundaries")
        for after in range(0, first.ids[-1], 7):
            rest = resume(b, first.stream_id, after)
            assert [m.data for m in rest.messages] == [m.data for m in first.messages[after:]]


def test_a_live_stream_is_followed_from_the_other_replica(replicas: tuple[str, str]) -> None:
    one, two = replicas
    with httpx.Client(base_url=one, timeout=10) as a, httpx.Client(base_url=two, timeout=10) as b:
        with a.stream("POST", START, json={"message": "gated live"}, headers=AUTH) as response:
            stream_id = response.headers["x-stream-id"]
            cancelled = b.delete(f"/api/v1/streams/{stream_id}", headers=AUTH)
            assert cancelled.status_code == 204
            body = b"".join(response.iter_bytes())
        assert b'"finish_reason":"cancelled"' in body
        for _ in range(2000):
            state = b.get(f"/api/v1/streams/{stream_id}", headers=AUTH).json()["state"]
            if state == "cancelled":
                break
            time.sleep(0.005)
        assert state == "cancelled"


def test_an_idempotency_key_holds_across_replicas(replicas: tuple[str, str]) -> None:
    one, two = replicas
    key = {"Idempotency-Key": secrets.token_hex(8)}
    with httpx.Client(base_url=one, timeout=10) as a, httpx.Client(base_url=two, timeout=10) as b:
        first = start(a, "idem", headers=key)
        again = start(b, "idem", headers=key)
        assert again.stream_id == first.stream_id
        assert again.raw == first.raw


def test_other_tokens_and_unknown_ids_get_404_from_redis(replicas: tuple[str, str]) -> None:
    one, two = replicas
    with httpx.Client(base_url=one, timeout=10) as a, httpx.Client(base_url=two, timeout=10) as b:
        first = start(a, "mine")
        other = {"Authorization": "Bearer someone-else"}
        assert b.get(f"/api/v1/streams/{first.stream_id}/events", headers=other).status_code == 401
        assert resume(b, "f" * 32, 0).status == 404


def test_redis_keys_expire_after_the_ttl_and_then_410(
    make_server: ServerFactory, redis_url: str
) -> None:
    prefix = f"ttl-{secrets.token_hex(4)}"
    server = make_server(redis_url=redis_url, key_prefix=prefix, ttl=0.3)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        first = start(http, "expiring")
        r = redis.Redis.from_url(redis_url)
        try:
            ttl_ms = r.pttl(f"{prefix}:stream:{{{first.stream_id}}}:events")
            assert 0 < ttl_ms <= 300
            for _ in range(2000):
                if resume(http, first.stream_id, 0).status == 410:
                    break
                time.sleep(0.005)
            assert resume(http, first.stream_id, 0).status == 410
            assert r.exists(f"{prefix}:stream:{{{first.stream_id}}}:events") == 0
            assert r.pttl(f"{prefix}:stream:{{{first.stream_id}}}:gone") > 0
        finally:
            r.close()


def test_concurrent_streams_read_identically_on_both_replicas(
    make_server: ServerFactory, redis_url: str
) -> None:
    """Batched appends keep every stream's order; local (mirror) and remote readers agree."""
    prefix = f"many-{secrets.token_hex(4)}"
    slow = ScriptedBackend(lambda r, a: answer_script(r, delay=0.001))
    one = make_server(slow, redis_url=redis_url, key_prefix=prefix).url
    two = make_server(ScriptedBackend(), redis_url=redis_url, key_prefix=prefix).url
    messages = [f"parallel {i}" for i in range(20)]

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=30) as http:

            async def run(message: str) -> None:
                body = {"message": message}
                async with http.stream("POST", f"{one}{START}", json=body, headers=AUTH) as r:
                    stream_id = r.headers["x-stream-id"]
                    local = asyncio.create_task(follow(http, one, stream_id))
                    remote = asyncio.create_task(follow(http, two, stream_id))
                    own = await collect(r)
                expected = expected_text(ChatRequest(message))
                assert token_text(own) == expected
                assert await local == own
                assert await remote == own

            await asyncio.gather(*(run(m) for m in messages))

    asyncio.run(scenario())


async def follow(http: httpx.AsyncClient, url: str, stream_id: str) -> list[SSEMessage]:
    headers = {**AUTH, "Last-Event-ID": "0"}
    async with http.stream("GET", f"{url}/api/v1/streams/{stream_id}/events", headers=headers) as r:
        assert r.status_code == 200
        return await collect(r)


async def collect(response: httpx.Response) -> list[SSEMessage]:
    parser = SSEParser()
    messages: list[SSEMessage] = []
    async for chunk in response.aiter_bytes():
        messages += parser.feed(chunk)
    return messages
