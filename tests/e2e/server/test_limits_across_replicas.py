"""Per-token limits counted in Redis: two replicas enforce one limit, answered 429 + Retry-After."""

from __future__ import annotations

import secrets
import threading

import httpx
import pytest
from server_harness import AUTH, START, ServerFactory
from servers.scripted_backend import ScriptedBackend, Step, answer_script

from desktop.protocol.request import ChatRequest

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


def _gated(gate: threading.Event) -> ScriptedBackend:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        steps[3] = Step(steps[3].item, gate=gate)
        return steps

    return ScriptedBackend(script)


def test_concurrent_streams_per_token_are_limited_across_replicas(
    make_server: ServerFactory, redis_url: str
) -> None:
    prefix = f"limits-{secrets.token_hex(4)}"
    gate = threading.Event()
    one, two = (
        make_server(
            _gated(gate), redis_url=redis_url, key_prefix=prefix, max_streams_per_token=2
        ).url
        for _ in range(2)
    )
    try:
        with httpx.Client(timeout=10) as http:
            held = [
                http.send(http.build_request("POST", f"{url}{START}", json={"message": "hold"},
                                             headers=AUTH), stream=True)
                for url in (one, two)
            ]  # fmt: skip
            assert [r.status_code for r in held] == [200, 200]
            refused = http.post(f"{one}{START}", json={"message": "third"}, headers=AUTH)
            assert refused.status_code == 429
            assert refused.headers["retry-after"] == "1"
            assert refused.json()["error"]["type"] == "rate_limit"
            gate.set()
            for response in held:
                response.read()
                response.close()
            # Finished streams stop counting: the token may start again, on either replica.
            again = http.post(f"{two}{START}", json={"message": "later"}, headers=AUTH)
            assert again.status_code == 200
    finally:
        gate.set()


def test_the_start_rate_per_token_is_one_budget_for_all_replicas(
    make_server: ServerFactory, redis_url: str
) -> None:
    prefix = f"rate-{secrets.token_hex(4)}"
    urls = [
        make_server(redis_url=redis_url, key_prefix=prefix, max_starts_per_minute=3).url
        for _ in range(2)
    ]
    with httpx.Client(timeout=10) as http:
        statuses = [
            http.post(f"{urls[i % 2]}{START}", json={"message": "q"}, headers=AUTH)
            for i in range(4)
        ]
        assert [r.status_code for r in statuses] == [200, 200, 200, 429]
        retry_after = int(statuses[-1].headers["retry-after"])
        assert 1 <= retry_after <= 20  # one start more is allowed every 20 s
