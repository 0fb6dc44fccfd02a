"""Cancel, expiry, token binding, idempotent starts, limits, upstream errors and keepalives."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from server_harness import AUTH, START, TOKEN, ServerFactory, events_url, read, resume, start
from servers.scripted_backend import ScriptedBackend, Step, answer_script, expected_text

from desktop.protocol.events import Done, Token, Usage
from desktop.protocol.request import ChatRequest
from desktop.server.backend import UpstreamError

pytestmark = pytest.mark.e2e


def gated_backend(gate: threading.Event, *, at: int = 5) -> ScriptedBackend:
    """Tokens stop before token ``at`` until ``gate`` is set."""

    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        index = 3 + at  # three leading thinking / tool events
        steps[index] = Step(steps[index].item, gate=gate)
        return steps

    return ScriptedBackend(script)


def wait_for_state(http: httpx.Client, stream_id: str, state: str, headers=AUTH) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2000):
        response = http.get(f"/api/v1/streams/{stream_id}", headers=headers)
        if response.status_code == 200 and response.json()["state"] == state:
            return
        time.sleep(0.005)
    raise AssertionError(f"stream never reached {state}")


def wait_for_last_id(http: httpx.Client, stream_id: str, last: int) -> None:
    for _ in range(2000):
        status = http.get(f"/api/v1/streams/{stream_id}", headers=AUTH).json()
        if status["last_event_id"] >= last:
            return
        time.sleep(0.005)
    raise AssertionError(f"stream never reached event {last}")


def test_delete_stops_generation_with_done_cancelled(make_server: ServerFactory) -> None:
    gate = threading.Event()
    server = make_server(gated_backend(gate))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        with http.stream("POST", START, json={"message": "stop me"}, headers=AUTH) as response:
            stream_id = response.headers["x-stream-id"]
            wait_for_last_id(http, stream_id, 9)  # five tokens, then the gate holds
            deleted = http.delete(f"/api/v1/streams/{stream_id}", headers=AUTH)
            assert deleted.status_code == 204
            received = read(response)
        assert received.names[-1] == "done"
        done = received.data(-1)
        assert done["finish_reason"] == "cancelled"
        assert done["usage"]["completion_tokens"] == 5
        assert received.ids == list(range(1, len(received.ids) + 1))
        status = http.get(f"/api/v1/streams/{stream_id}", headers=AUTH).json()
        assert status["state"] == "cancelled"
        assert http.delete(f"/api/v1/streams/{stream_id}", headers=AUTH).status_code == 204
        assert resume(http, stream_id, status["last_event_id"]).status == 204
    gate.set()


def test_a_finished_stream_expires_after_its_ttl_with_410(make_server: ServerFactory) -> None:
    server = make_server(ttl=0.3)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        first = start(http)
        for _ in range(2000):
            if resume(http, first.stream_id, 0).status == 410:
                break
            time.sleep(0.005)
        gone = resume(http, first.stream_id, 0)
        assert gone.status == 410
        assert b'"gone"' in gone.raw
        assert http.get(f"/api/v1/streams/{first.stream_id}", headers=AUTH).status_code == 410


def test_requests_without_the_token_are_401(client: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        response = client.post(START, json={"message": "hi"}, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["error"]["type"] == "unauthorized"
    first = start(client)
    assert client.get(events_url(first.stream_id)).status_code == 401
    assert client.delete(f"/api/v1/streams/{first.stream_id}").status_code == 401


def test_a_stream_belongs_to_the_token_that_started_it(make_server: ServerFactory) -> None:
    server = make_server(token=None)  # an open server still binds streams to their bearer
    alice = {"Authorization": "Bearer alice"}
    bob = {"Authorization": "Bearer bob"}
    with httpx.Client(base_url=server.url, timeout=10) as http:
        first = start(http, headers=alice)
        sid = first.stream_id
        assert http.get(events_url(sid), headers=bob).status_code == 404
        assert http.get(events_url(sid)).status_code == 404  # no token at all
        assert http.get(f"/api/v1/streams/{sid}", headers=bob).status_code == 404
        assert http.delete(f"/api/v1/streams/{sid}", headers=bob).status_code == 404
        assert http.get(events_url(sid), headers={**alice, "Last-Event-ID": "3"}).status_code == 200


def test_an_idempotency_key_returns_the_same_stream_from_its_first_event(
    make_server: ServerFactory,
) -> None:
    backend = ScriptedBackend()
    server = make_server(backend)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        key = {"Idempotency-Key": "3f1c2a9e-4d0b-4c6a-9f1e-2b7d8c5a6e10"}
        first = start(http, "same", headers=key)
        again = start(http, "same", headers=key)
        assert again.stream_id == first.stream_id
        assert again.ids == first.ids
        assert again.raw == first.raw
        other = start(http, "same", headers={"Idempotency-Key": "another"})
        plain_1, plain_2 = start(http, "same"), start(http, "same")
        ids = {first.stream_id, other.stream_id, plain_1.stream_id, plain_2.stream_id}
        assert len(ids) == 4
        assert backend.opens["same"] == 4
        assert start(http, "same", headers={"Idempotency-Key": "bad key"}).status == 400


def test_the_idempotency_key_is_bound_to_the_token(make_server: ServerFactory) -> None:
    server = make_server(token=None)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        key = {"Idempotency-Key": "k-1"}
        a = start(http, headers={**key, "Authorization": "Bearer a"})
        b = start(http, headers={**key, "Authorization": "Bearer b"})
        assert a.stream_id != b.stream_id


def test_too_many_concurrent_streams_per_token_get_429(make_server: ServerFactory) -> None:
    gate = threading.Event()
    server = make_server(gated_backend(gate), max_streams_per_token=1)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        with http.stream("POST", START, json={"message": "one"}, headers=AUTH) as running:
            refused = http.post(START, json={"message": "two"}, headers=AUTH)
            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) >= 1
            assert refused.json()["error"]["type"] == "rate_limit"
            gate.set()
            assert read(running).names[-1] == "done"
        wait_for_state(http, running.headers["x-stream-id"], "done")
        assert start(http, "three").status == 200


def test_an_upstream_refusal_before_generation_is_an_http_status(
    make_server: ServerFactory,
) -> None:
    busy = UpstreamError("model_overload", "the model is busy", retry_after=7)
    server = make_server(ScriptedBackend(open_error=busy))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        response = http.post(START, json={"message": "hi"}, headers=AUTH)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "7"
        assert response.json()["error"] == {
            "type": "model_overload",
            "message": "the model is busy",
        }


def test_a_fatal_upstream_error_ends_with_error_then_done(make_server: ServerFactory) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)[:8]
        return [*steps, Step(UpstreamError("token_limit", "context too long"))]

    server = make_server(ScriptedBackend(script))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        received = start(http)
        assert received.names[-2:] == ["error", "done"]
        assert received.data(-2) == {
            "error_type": "token_limit",
            "message": "context too long",
            "resumable": False,
        }
        assert received.data(-1)["finish_reason"] == "error"
        status = http.get(f"/api/v1/streams/{received.stream_id}", headers=AUTH).json()
        assert status["state"] == "failed"
        assert 'assist_errors_total{error_type="token_limit"} 1.0' in http.get("/metrics").text


def test_a_resumable_upstream_error_pauses_and_the_resume_continues_exactly(
    make_server: ServerFactory,
) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        if attempt == 0:  # the first try fails after 12 tokens
            overload = UpstreamError("model_overload", "busy", resumable=True, retry_after=0.01)
            return [*steps[:15], Step(overload)]
        return steps

    backend = ScriptedBackend(script)
    server = make_server(backend)
    request = ChatRequest("retry me")
    with httpx.Client(base_url=server.url, timeout=10) as http:
        first = start(http, request.message)
        assert first.names[-1] == "error"
        assert first.data(-1)["resumable"] is True
        assert first.data(-1)["retry_after"] == 0.01
        rest = resume(http, first.stream_id, first.ids[-1])
        assert rest.names[-1] == "done"
        assert first.text + rest.text == expected_text(request)
        assert rest.ids[0] == first.ids[-1] + 1
        assert backend.opens["retry me"] == 2
        # thinking and tool events of the second try are not repeated
        assert "thinking" not in rest.names


@pytest.mark.parametrize("differs", ["same_length", "shorter"])
def test_a_retry_whose_text_differs_ends_with_the_plain_error_and_writes_none_of_it(
    make_server: ServerFactory, differs: str
) -> None:
    """A sampling upstream answers differently when asked again: skipping by length would glue
    the tail of another answer to the text already sent."""

    def script(request: ChatRequest, attempt: int) -> list[Step]:
        steps = answer_script(request)
        if attempt == 0:  # the first try fails after 12 tokens
            overload = UpstreamError("model_overload", "busy", resumable=True, retry_after=0.01)
            return [*steps[:15], Step(overload)]
        if differs == "shorter":  # the new answer ends inside the text already sent
            return [*steps[:8], steps[-1]]
        words = [step.item for step in steps if isinstance(step.item, Token)]
        other = [Step(Token(0, word.content.upper(), 0)) for word in words]
        return [*steps[:3], *other, steps[-1]]

    server = make_server(ScriptedBackend(script))
    request = ChatRequest("retry me")
    with httpx.Client(base_url=server.url, timeout=10) as http:
        first = start(http, request.message)
        assert first.names[-1] == "error"
        rest = resume(http, first.stream_id, first.ids[-1])
        assert rest.names == ["error", "done"]
        assert rest.data(0)["resumable"] is False
        assert rest.data(1)["finish_reason"] == "error"
        assert "answered differently" in rest.data(0)["message"]
        assert "token" not in rest.names  # none of the other answer reached the log
        status = http.get(f"/api/v1/streams/{first.stream_id}", headers=AUTH).json()
        assert status["state"] == "failed"


def test_keepalive_comments_flow_while_generation_is_quiet(make_server: ServerFactory) -> None:
    gate = threading.Event()
    server = make_server(gated_backend(gate), keepalive=0.05)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        with http.stream("POST", START, json={"message": "slow"}, headers=AUTH) as response:
            seen = b""
            chunks = response.iter_raw()
            while b": ping\n\n" not in seen:
                seen += next(chunks)
            gate.set()
            for chunk in chunks:
                seen += chunk
        assert seen.startswith(b"retry: 1000\n\n")
        assert seen.index(b"retry: ") < seen.index(b"id: 1\n")
        assert seen.rstrip().endswith(b"}")  # the stream then ended with done


def test_a_backend_without_done_still_ends_with_done(make_server: ServerFactory) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        return [Step(Token(0, "a", 0)), Step(Token(0, "b", 0))]

    server = make_server(ScriptedBackend(script))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        received = start(http)
        assert received.text == "ab"
        assert received.data(-1)["finish_reason"] == "stop"
        assert [
            received.data(i)["index"] for i, n in enumerate(received.names) if n == "token"
        ] == [0, 1]


def test_done_usage_from_the_backend_is_kept(make_server: ServerFactory) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        return [Step(Token(0, "x", 0)), Step(Done(0, "length", Usage(11, 1)))]

    server = make_server(ScriptedBackend(script))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        done = start(http).data(-1)
        assert done["finish_reason"] == "length"
        assert done["usage"] == {"prompt_tokens": 11, "completion_tokens": 1}


class BrokenBackend(ScriptedBackend):
    """A backend with a bug: ``open`` raises something that is not an ``UpstreamError``."""

    async def open(self, request: ChatRequest, caller: object = None):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals /etc/passwd")


def test_an_unexpected_failure_is_a_json_500_without_internals(make_server: ServerFactory) -> None:
    server = make_server(BrokenBackend())
    with httpx.Client(base_url=server.url, timeout=10) as http:
        response = http.post(START, json={"message": "hi"}, headers=AUTH)
        assert response.status_code == 500
        assert response.json() == {
            "error": {"type": "internal", "message": "internal server error"}
        }
        assert "secret" not in response.text
        assert "Traceback" not in response.text


def test_a_bug_during_generation_ends_the_stream_with_an_internal_error(
    make_server: ServerFactory,
) -> None:
    def script(request: ChatRequest, attempt: int) -> list[Step]:
        return [Step(Token(0, "a", 0)), Step(ZeroDivisionError("secret"))]

    server = make_server(ScriptedBackend(script))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        received = start(http)
        assert received.names[-2:] == ["error", "done"]
        assert received.data(-2)["error_type"] == "internal"
        assert "secret" not in received.raw.decode()
        assert received.data(-1)["finish_reason"] == "error"
