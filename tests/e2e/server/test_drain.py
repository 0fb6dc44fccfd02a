"""Draining in-process: /healthz 503, starts and (with a shared log) resumes sent elsewhere."""

from __future__ import annotations

import json
import secrets
import threading
import time

import httpx
import pytest
from server_harness import AUTH, START, ServerFactory, events_url, read
from servers.scripted_backend import ScriptedBackend, Step, answer_script, expected_text

from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import SSEParser

pytestmark = pytest.mark.e2e


def _gated(gate: threading.Event) -> ScriptedBackend:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        steps[12] = Step(steps[12].item, gate=gate)
        return steps

    return ScriptedBackend(script)


def _wait_draining(url: str) -> httpx.Response:
    for _ in range(500):
        health = httpx.get(f"{url}/healthz", timeout=5)
        if health.status_code == 503:
            return health
        time.sleep(0.01)
    raise AssertionError("the server did not start draining")


@pytest.mark.redis
def test_a_draining_replica_sends_readers_elsewhere_and_finishes_its_answers(
    make_server: ServerFactory, redis_url: str
) -> None:
    gate = threading.Event()
    prefix = f"drain-{secrets.token_hex(4)}"
    server = make_server(_gated(gate), redis_url=redis_url, key_prefix=prefix, drain_timeout=30)
    other = make_server(redis_url=redis_url, key_prefix=prefix)
    with httpx.Client(timeout=10) as http:
        with http.stream("POST", f"{server.url}{START}", json={"message": "d"}, headers=AUTH) as r:
            stream_id = r.headers["x-stream-id"]
            parser, got = SSEParser(), []
            chunks = r.iter_bytes()
            while len(got) < 5:
                got += parser.feed(next(chunks))
            assert server.loop is not None
            server.loop.call_soon_threadsafe(server.server.begin_drain)
            for chunk in chunks:  # the reader's response ends: it resumes elsewhere
                got += parser.feed(chunk)
        assert got[-1].event != "done"
        last_id = int(got[-1].id or 0)
        first_text = "".join(json.loads(m.data)["content"] for m in got if m.event == "token")
        assert _wait_draining(server.url).json() == {"status": "draining"}
        refused = http.post(f"{server.url}{START}", json={"message": "x"}, headers=AUTH)
        assert (refused.status_code, refused.headers["retry-after"]) == (503, "1")
        resume = http.get(f"{server.url}{events_url(stream_id)}", headers=AUTH)
        assert resume.status_code == 503
        gate.set()  # the draining replica goes on generating; the other one serves the reader
        headers = {**AUTH, "Last-Event-ID": str(last_id)}
        with http.stream("GET", f"{other.url}{events_url(stream_id)}", headers=headers) as r:
            rest = read(r)
        assert first_text + rest.text == expected_text(ChatRequest("d"))
        assert rest.names[-1] == "done"
    registry = server.runtime.metrics.registry
    assert registry.get_sample_value("assist_draining") == 1
    assert registry.get_sample_value("assist_drains_total") == 1
    assert registry.get_sample_value("assist_refused_starts_total", {"reason": "draining"}) == 1
