"""Three replicas behind HAProxy under load: a rolling restart and a killed replica lose nothing."""

from __future__ import annotations

import asyncio

import pytest
from conftest import TOKEN, ReplicaFactory
from scale_load import (
    ask_across_a_rolling_restart,
    ask_many,
    demo_replica_args,
    expected_text,
    metric,
    request_for,
)
from servers.replicas import Balancer

pytestmark = [pytest.mark.e2e, pytest.mark.redis]
STREAMS = 150
RATE = "20"


def _serve_args(redis_url: str, *extra: str) -> list[str]:
    return demo_replica_args(redis_url, RATE, "rolling", *extra)


def test_a_rolling_restart_under_load_loses_and_alters_no_answer(
    redis_server, make_replicas: ReplicaFactory, make_balancer
) -> None:  # type: ignore[no-untyped-def]
    # Answers of about 12 s; a drain waits 2 s, then hands the rest to the other replicas.
    replicas = make_replicas(3, *_serve_args(redis_server.url, "--drain-timeout", "2"))
    balancer: Balancer = make_balancer(replicas)
    requests = [request_for(i, 220) for i in range(STREAMS)]
    expected = [expected_text(r) for r in requests]

    answers = asyncio.run(
        ask_across_a_rolling_restart(
            balancer.url, TOKEN, replicas, requests, spread_s=2.0, restart_after_s=3.0
        )
    )
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
        owned = metric(await asyncio.to_thread(victim.metrics), "assist_streams_active")
        await asyncio.to_thread(victim.kill)
        return await load, owned

    answers, owned = asyncio.run(scenario())
    assert owned > 0
    assert [a.text for a in answers] == expected
    assert all(a.done is not None and a.done.finish_reason != "error" for a in answers)
    taken = sum(
        metric(r.metrics(), 'assist_stream_takeovers_total{outcome="continued"}')
        for r in replicas[1:]
    )
    assert taken >= 1
