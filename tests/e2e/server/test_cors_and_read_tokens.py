"""CORS on the stream endpoints only, and the per-stream read token a browser's EventSource uses."""

from __future__ import annotations

import httpx
import pytest
from server_harness import AUTH, START, ServerFactory, events_url, read, start
from servers.scripted_backend import expected_text

from desktop.protocol.request import ChatRequest

pytestmark = pytest.mark.e2e
PAGE = "http://127.0.0.1:5173"
PREFLIGHT = {
    "Origin": PAGE,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
}


def test_without_cors_origins_nothing_changes(client: httpx.Client) -> None:
    preflight = client.options(START, headers=PREFLIGHT)
    assert "access-control-allow-origin" not in preflight.headers
    answer = client.post(START, json={"message": "x"}, headers={**AUTH, "Origin": PAGE})
    assert "access-control-allow-origin" not in answer.headers


def test_preflights_are_answered_for_the_configured_origins_and_the_stream_endpoints_only(
    make_server: ServerFactory,
) -> None:
    server = make_server(cors_origins=(PAGE, "https://desk.example.com"))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        ok = http.options(START, headers=PREFLIGHT)
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == PAGE
        allowed = ok.headers["access-control-allow-headers"].lower()
        assert {"authorization", "idempotency-key", "last-event-id"} <= set(allowed.split(", "))
        assert "DELETE" in ok.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in ok.headers
        stranger = http.options(START, headers={**PREFLIGHT, "Origin": "http://evil.test"})
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
        answer = start(http, "cors", headers={"Origin": PAGE})
        assert answer.headers["access-control-allow-origin"] == PAGE
        exposed = answer.headers["access-control-expose-headers"].lower()
        assert "x-stream-id" in exposed
        assert "x-read-token" in exposed
        health = http.get("/healthz", headers={"Origin": PAGE})
        assert "access-control-allow-origin" not in health.headers


def test_a_read_token_follows_its_own_stream_and_nothing_else(client: httpx.Client) -> None:
    first = start(client, "readable")
    token = first.headers["x-read-token"]
    assert token not in first.raw.decode()  # a header, never part of the (replayed) log
    with client.stream(
        "GET", events_url(first.stream_id), params={"read_token": token}, headers={}
    ) as response:
        assert response.status_code == 200
        replay = read(response)
    assert replay.text == expected_text(ChatRequest("readable"))
    other = start(client, "another")
    refused = client.get(events_url(other.stream_id), params={"read_token": token}, headers={})
    assert refused.status_code == 401
    forged = client.get(
        events_url(first.stream_id), params={"read_token": "9999999999.00"}, headers={}
    )
    assert forged.status_code == 401
    status = client.get(f"/api/v1/streams/{first.stream_id}", params={"read_token": token})
    assert status.status_code == 401  # only the resume URL takes it


def test_an_open_server_issues_no_read_token(make_server: ServerFactory) -> None:
    server = make_server(token=None)
    with httpx.Client(base_url=server.url, timeout=10) as http:
        answer = start(http, "open")
    assert "x-read-token" not in answer.headers
