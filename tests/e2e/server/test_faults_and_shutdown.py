"""Fault injection on the HTTP response, replay-to-live handover under load, graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import random
import threading

import httpx
import pytest
from server_harness import AUTH, START, ServerFactory, events_url, read, resume, start
from servers.scripted_backend import ScriptedBackend, answer_script, expected_text
from servers.server_thread import ServerThread

from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.protocol.sse import SSEParser
from desktop.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e
FAULTY = {"allow_faults": True}


def test_fault_headers_are_ignored_without_allow_faults(client: httpx.Client) -> None:
    received = start(client, headers={"X-Fault-Drop-After": "2", "X-Fault-Status": "503"})
    assert received.status == 200
    assert received.names[-1] == "done"


def test_drop_after_ends_the_body_after_n_events_once_per_stream(
    make_server: ServerFactory,
) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        fault = {"X-Fault-Drop-After": "4"}
        first = start(http, "drop", headers=fault)
        assert first.ids == [1, 2, 3, 4]
        rest = resume(http, first.stream_id, 4, headers=fault)  # fired once: not again
        assert rest.names[-1] == "done"
        assert first.text + rest.text == expected_text(ChatRequest("drop"))
        repeated = resume(http, first.stream_id, 4, params={"fault": "drop_after:3,repeat"})
        assert repeated.ids == [5, 6, 7]


def test_drop_mid_sends_half_an_event_that_the_parser_never_dispatches(
    make_server: ServerFactory,
) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        cut = start(http, "mid", headers={"X-Fault-Drop-Mid": "5"})
        assert cut.ids == [1, 2, 3, 4, 5]
        assert not cut.raw.endswith(b"\n\n")
        assert cut.raw.rsplit(b"\n\n", 1)[1].startswith(b"id: 6\n")
        rest = resume(http, cut.stream_id, 5)
        assert cut.text + rest.text == expected_text(ChatRequest("mid"))


def test_malformed_sends_one_bad_event_with_the_next_id(make_server: ServerFactory) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        received = request_with_query(http, "fault=malformed:6")
        bad = received.messages[6]
        assert (bad.id, bad.event) == ("7", "token")
        with pytest.raises(json.JSONDecodeError):
            json.loads(bad.data)
        assert received.messages[7].id == "7"  # the real event 7 follows
        assert received.names[-1] == "done"


def request_with_query(http: httpx.Client, query: str):  # type: ignore[no-untyped-def]
    with http.stream("POST", f"{START}?{query}", json={"message": "q"}, headers=AUTH) as response:
        return read(response)


def test_status_faults_answer_429_or_503_with_retry_after_once_per_key(
    make_server: ServerFactory,
) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        headers = {**AUTH, "X-Fault-Status": "503:2", "Idempotency-Key": "k1"}
        refused = http.post(START, json={"message": "s"}, headers=headers)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "2"
        assert refused.json()["error"]["type"] == "model_overload"
        assert start(http, "s", headers=headers).status == 200  # the retry gets through
        limited = http.post(f"{START}?fault=status:429", json={"message": "s"}, headers=AUTH)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "1"


def test_a_stall_sends_nothing_for_its_duration_then_continues(make_server: ServerFactory) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        received = start(http, "stall", headers={"X-Fault-Stall": "0.2@3"})
        assert received.text == expected_text(ChatRequest("stall"))


def test_a_bad_fault_spec_is_400(make_server: ServerFactory) -> None:
    server = make_server(**FAULTY)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for query in ("fault=drop_after:x", "fault=explode", "fault=status:200"):
            response = http.post(f"{START}?{query}", json={"message": "x"}, headers=AUTH)
            assert response.status_code == 400


async def follow(url: str, stream_id: str, after: int) -> list[tuple[int, str, str]]:
    """Resume from ``after`` and read to ``done``: (id, event, data) in arrival order."""
    parser = SSEParser()
    out: list[tuple[int, str, str]] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        headers = {**AUTH, "Last-Event-ID": str(after)}
        async with http.stream("GET", events_url(stream_id), headers=headers) as response:
            assert response.status_code == 200
            async for chunk in response.aiter_bytes():
                out += [(int(m.id or 0), m.event, m.data) for m in parser.feed(chunk)]
    return out


def test_replay_then_live_handover_has_no_gap_and_no_duplicate(make_server: ServerFactory) -> None:
    """Readers join a running stream at random ids; each gets every later event exactly once."""
    request = ChatRequest("handover", options=ChatOptions(max_tokens=300))
    server = make_server(ScriptedBackend(lambda r, a: answer_script(r, delay=0.002)))
    rng = random.Random(7)

    async def scenario() -> list[tuple[int, list[tuple[int, str, str]]]]:
        readers: list[tuple[int, asyncio.Task[list[tuple[int, str, str]]]]] = []
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            body = request.to_json()
            async with http.stream("POST", START, json=body, headers=AUTH) as response:
                stream_id = response.headers["x-stream-id"]
                async for _chunk in response.aiter_bytes():
                    if len(readers) < 24:
                        status = await http.get(f"/api/v1/streams/{stream_id}", headers=AUTH)
                        after = rng.randint(0, status.json()["last_event_id"])
                        task = asyncio.create_task(follow(server.url, stream_id, after))
                        readers.append((after, task))
            return [(after, await task) for after, task in readers]

    results = asyncio.run(scenario())
    assert len(results) == 24
    last_ids = set()
    for after, events in results:
        ids = [event_id for event_id, _, _ in events]
        assert ids == list(range(after + 1, after + 1 + len(ids)))
        assert events[-1][1] == "done"
        last_ids.add(ids[-1])
        if after == 0:
            tokens = "".join(json.loads(d)["content"] for _, e, d in events if e == "token")
            assert tokens == expected_text(request)
    assert len(last_ids) == 1
    assert len({after for after, _ in results}) > 1


def test_graceful_shutdown_ends_live_responses_and_cancels_runners() -> None:
    backend = ScriptedBackend(lambda r, a: answer_script(r, delay=0.01))
    server = ServerThread(backend=backend, token=None).start()
    with httpx.Client(base_url=server.url, timeout=10) as http:
        with http.stream(
            "POST", START, json={"message": "long", "options": {"max_tokens": 5000}}
        ) as response:
            chunks = response.iter_bytes()
            next(chunks)
            stopper = threading.Thread(target=server.stop)
            stopper.start()
            rest = b"".join(chunks)  # ends (EOF) well before the answer would
        stopper.join(20)
    assert not stopper.is_alive()
    assert b"event: done" not in rest
    assert len(server.runtime.pool) == 0


def test_the_embedded_server_serves_on_loopback_with_a_random_token() -> None:
    with EmbeddedServer(backend="tests.servers.scripted_backend:create", token_rate=0) as first:
        assert first.url.startswith("http://127.0.0.1:")
        assert first.url.endswith(str(first.port))
        assert len(first.token) >= 20
        with httpx.Client(base_url=first.url, timeout=10) as http:
            assert http.post(START, json={"message": "x"}).status_code == 401
            headers = {"Authorization": f"Bearer {first.token}"}
            with http.stream("POST", START, json={"message": "x"}, headers=headers) as response:
                assert read(response).text == expected_text(ChatRequest("x"))
    second = EmbeddedServer(backend="tests.servers.scripted_backend:create", token="given")
    second.start()
    try:
        assert second.token == "given"
        assert second.token != first.token
        assert httpx.get(f"{second.url}/healthz").status_code == 200
    finally:
        second.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{second.url}/healthz")


def test_the_embedded_server_reports_a_failed_start() -> None:
    broken = EmbeddedServer(backend="tests.servers.no_such_module:create")
    with pytest.raises(RuntimeError, match="failed to start"):
        broken.start()


def test_serve_refuses_a_public_address_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.cli import main

    monkeypatch.delenv("ASSIST_SERVER_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert main(["serve", "--backend", "nonsense"]) == 2
