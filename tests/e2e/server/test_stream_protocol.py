"""The start and resume endpoints, their headers and every status of protocol §2 and §5."""

from __future__ import annotations

import httpx
import pytest
from server_harness import AUTH, START, Received, events_url, resume, start
from servers.scripted_backend import expected_text
from servers.server_thread import ServerThread

from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import decode_event

pytestmark = pytest.mark.e2e
MESSAGE = "Wie exportiere ich eine Unterhaltung?"
TEXT = expected_text(ChatRequest(MESSAGE))


def full(client: httpx.Client) -> Received:
    received = start(client, MESSAGE)
    assert received.status == 200
    return received


def test_a_start_streams_every_event_once_in_id_order(client: httpx.Client) -> None:
    received = full(client)
    assert received.ids == list(range(1, len(received.messages) + 1))
    assert received.names[0] == "stream"
    assert received.names[-1] == "done"
    assert received.text == TEXT
    for message in received.messages:  # every event decodes with the protocol's own decoder
        assert decode_event(int(message.id or 0), message.event, message.data) is not None
    assert received.data(0)["stream_id"] == received.stream_id
    done = received.data(-1)
    assert done["finish_reason"] == "stop"
    assert done["usage"]["completion_tokens"] == 40
    assert done["duration_ms"] > 0


def test_a_stream_carries_the_protocol_headers_and_retry_first(client: httpx.Client) -> None:
    received = full(client)
    assert received.headers["content-type"].startswith("text/event-stream")
    assert received.headers["cache-control"] == "no-cache"
    assert received.headers["x-accel-buffering"] == "no"
    assert len(received.stream_id) == 32
    int(received.stream_id, 16)
    assert received.raw.startswith(b"retry: 1000\n\n")
    assert received.retry == 1000


def test_progress_comes_every_ten_tokens_with_the_estimate(client: httpx.Client) -> None:
    received = full(client)
    progress = [received.data(i) for i, n in enumerate(received.names) if n == "progress"]
    assert [p["tokens_sent"] for p in progress] == [10, 20, 30, 40]
    assert all(p["estimated_total"] == 40 for p in progress)
    assert [p["progress_percentage"] for p in progress] == [25.0, 50.0, 75.0, 100.0]
    assert all(p["elapsed_time"] >= 0 for p in progress)
    tokens_between = received.names[received.names.index("token") :].index("progress")
    assert tokens_between == 10


def test_resume_at_every_event_boundary_returns_identical_text(client: httpx.Client) -> None:
    first = full(client)
    last = first.ids[-1]
    for after in range(last):
        rest = resume(client, first.stream_id, after)
        assert rest.status == 200
        assert rest.ids == list(range(after + 1, last + 1))
        assert rest.raw.startswith(b"retry: 1000\n\n")
        assert rest.headers["x-stream-id"] == first.stream_id
        assert [m.data for m in rest.messages] == [m.data for m in first.messages[after:]]
        assert first.text == TEXT


def test_resume_from_the_last_id_of_a_finished_stream_answers_204(client: httpx.Client) -> None:
    first = full(client)
    assert resume(client, first.stream_id, first.ids[-1]).status == 204


def test_resume_without_an_id_replays_everything(client: httpx.Client) -> None:
    first = full(client)
    again = resume(client, first.stream_id, None)
    assert again.ids == first.ids
    assert again.text == TEXT


def test_the_query_parameter_resumes_and_the_header_wins(client: httpx.Client) -> None:
    first = full(client)
    by_query = resume(client, first.stream_id, None, params={"last_event_id": "40"})
    assert by_query.ids[0] == 41
    both = resume(client, first.stream_id, 45, params={"last_event_id": "3"})
    assert both.ids[0] == 46


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "0x10", "1e3", " "])
def test_a_non_integer_last_event_id_is_400(client: httpx.Client, bad: str) -> None:
    first = full(client)
    response = client.get(
        events_url(first.stream_id), headers={**AUTH}, params={"last_event_id": bad}
    )
    if bad.strip() == "":
        assert response.status_code == 200  # an empty id means "from the start"
        return
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request"


def test_a_last_event_id_beyond_the_log_is_400(client: httpx.Client) -> None:
    first = full(client)
    beyond = resume(client, first.stream_id, first.ids[-1] + 1)
    assert beyond.status == 400
    assert b"invalid_request" in beyond.raw


def test_an_unknown_stream_is_404_for_resume_status_and_cancel(client: httpx.Client) -> None:
    unknown = "0" * 32
    assert client.get(events_url(unknown), headers=AUTH).status_code == 404
    assert client.get(f"/api/v1/streams/{unknown}", headers=AUTH).status_code == 404
    assert client.delete(f"/api/v1/streams/{unknown}", headers=AUTH).status_code == 404
    not_an_id = client.get(events_url("../../healthz"), headers=AUTH)
    assert not_an_id.status_code == 404
    assert not_an_id.json()["error"]["type"] == "not_found"


def test_status_reports_state_and_last_event_id(client: httpx.Client) -> None:
    first = full(client)
    status = client.get(f"/api/v1/streams/{first.stream_id}", headers=AUTH)
    assert status.status_code == 200
    assert status.json() == {
        "stream_id": first.stream_id,
        "state": "done",
        "last_event_id": first.ids[-1],
    }


def test_healthz_and_metrics(server: ServerThread, client: httpx.Client) -> None:
    full(client)
    assert client.get("/healthz").json() == {"status": "ok"}
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    for name in (
        "assist_streams_started_total 1.0",
        "assist_streams_active 0.0",
        "assist_events_sent_total",
        "assist_resumes_total",
        "assist_time_to_first_token_seconds_count 1.0",
        "assist_tokens_per_second_count 1.0",
        'assist_streams_finished_total{state="done"} 1.0',
    ):
        assert name in text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (b"\xff\xfe", 400),
        (b'{"message": 3}', 422),
        (b'{"message": "   "}', 422),
        (b'{"message": "hi", "options": {"temperature": 9}}', 422),
        (('{"message": "' + "x" * 32_001 + '"}').encode(), 413),
    ],
)
def test_invalid_start_bodies_get_the_protocol_errors(
    client: httpx.Client, body: bytes, status: int
) -> None:
    response = client.post(
        START, content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == status
    error = response.json()["error"]
    assert error["type"] == "invalid_request"
    assert error["message"]
    assert "Traceback" not in response.text


def test_a_body_over_the_size_limit_is_413(make_server) -> None:  # type: ignore[no-untyped-def]
    server = make_server(max_body_bytes=1000)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        big = {"message": "hi", "history": [{"role": "user", "content": "y" * 2000}]}
        response = http.post(START, json=big, headers=AUTH)
        assert response.status_code == 413
        chunked = http.post(
            START, content=iter([b'{"message": "', b"z" * 2000, b'"}']), headers=AUTH
        )
        assert chunked.status_code == 413


def test_unknown_routes_and_methods_answer_json(client: httpx.Client) -> None:
    assert client.get("/nope").json()["error"]["type"] == "not_found"
    response = client.put(START, headers=AUTH)
    assert response.status_code == 405
