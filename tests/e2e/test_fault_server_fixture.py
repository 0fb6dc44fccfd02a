"""The threaded fault server serves a client that runs outside its loop (as a subprocess would)."""

from __future__ import annotations

import httpx
import pytest
from servers.fault_server import FaultServerFactory, Reply, answer_events, frames, sse_reply

pytestmark = pytest.mark.e2e


def test_a_threaded_fault_server_serves_scripts_and_records_requests(
    fault_server: FaultServerFactory,
) -> None:
    body = frames(answer_events(["a"]))
    server = fault_server([sse_reply(body), Reply(503, (("Retry-After", "1"),), [b"busy"])])
    with httpx.Client() as client:
        first = client.post(f"{server.url}/api/v1/chat/stream", json={"message": "x"})
        second = client.get(f"{server.url}/api/v1/streams/s/events", headers={"Last-Event-ID": "3"})
        third = client.delete(f"{server.url}/api/v1/streams/s")
    assert first.status_code == 200
    assert first.content == b"retry: 1\n\n" + b"".join(body)
    assert (second.status_code, second.headers["retry-after"]) == (503, "1")
    assert third.status_code == 204
    assert [(r.method, r.path) for r in server.requests] == [
        ("POST", "/api/v1/chat/stream"),
        ("GET", "/api/v1/streams/s/events"),
        ("DELETE", "/api/v1/streams/s"),
    ]
    assert server.requests[1].headers["last-event-id"] == "3"
    assert len(server.stream_requests) == 2
