"""Three replicas behind HAProxy under load: a rolling restart and a killed replica lose nothing."""

from __future__ import annotations

import asyncio
import re

import pytest
from conftest import TOKEN, ReplicaFactory
from scale_load import ask_many, expected_text, request_for
from servers.replicas import Balancer, rolling_restart

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
STREAMS = 150
RATE = "20"


def _serve_args(redis_url: str, *extra: str) -> list[str]:
    return [
        "--backend", "demo", "--token-rate", RATE, "--redis-url", redis_url,
        "--redis-key-prefix", "rolling", *extra,
    ]  # fmt: skip


def _metric(text: str, name: str) -> float:
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


def test_a_rolling_restart_under_load_loses_and_alters_no_answer(
    redis_server, make_replicas: ReplicaFactory, make_balancer
) -> None:  # type: ignore[no-untyped-def]
    # Answers of about 12 s; a drain waits 2 s, then hands the rest to the other replicas.
    replicas = make_replicas(3, *_serve_args(redis_server.url, "--drain-timeout", "2"))
    balancer: Balancer = make_balancer(replicas)
    requests = [request_for(i, 220) for i in range(STREAMS)]
    expected = [expected_text(r) for r in requests]

    async def scenario() -> list:  # type: ignore[type-arg]
        load = asyncio.create_task(ask_many(balancer.url, TOKEN, requests, spread_s=2.0))
        await asyncio.sleep(3.0)
        for replica in replicas:
            await asyncio.to_thread(rolling_restart, replica)
        return await load

    answers = asyncio.run(scenario())
    assert [a.text for a in answers] == expected
    assert all(a.done is not None and a.done.finish_reason != "error" for a in answers)
    assert sum(a.reconnects for a in answers) > 0  # the restarts did move readers
    logs = "".join(r.log_text() for r in replicas)
    assert "drain_started" in logs
    assert "stream_handed_off" in logs
    assert "stream_taken_over" in logs


def test_a_killed_replica_s_answers_are_taken_over_with_exact_text(
    redis_server, make_replicas: ReplicaFactory, make_balancer
) -> None:  # type: ignore[no-untyped-def]
    replicas = make_replicas(3, *_serve_args(redis_server.url, "--lease-seconds", "2"))
    balancer: Balancer = make_balancer(replicas)
    requests = [request_for(i, 160) for i in range(STREAMS)]
    expected = [expected_text(r) for r in requests]
    victim = replicas[0]

    async def scenario() -> tuple[list, float]:  # type: ignore[type-arg]
        load = asyncio.create_task(ask_many(balancer.url, TOKEN, requests))
        await asyncio.sleep(3.0)
        owned = _metric(await asyncio.to_thread(victim.metrics), "assist_streams_active")
        await asyncio.to_thread(victim.kill)
        return await load, owned

    answers, owned = asyncio.run(scenario())
    assert owned > 0
    assert [a.text for a in answers] == expected
    assert all(a.done is not None and a.done.finish_reason != "error" for a in answers)
    taken = sum(
        _metric(r.metrics(), 'assist_stream_takeovers_total{outcome="continued"}')
        for r in replicas[1:]
    )
    assert taken >= 1
