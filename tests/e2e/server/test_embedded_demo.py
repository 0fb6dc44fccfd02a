"""The embedded server with the real demo backend: what the desktop app runs on first start."""

from __future__ import annotations

import httpx
import pytest
from server_harness import START, read

from desktop.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e
QUESTION = {"message": "Wie exportiere ich eine Unterhaltung?"}


def test_the_demo_answer_streams_searches_and_resumes_identically() -> None:
    with EmbeddedServer(token_rate=0, allow_faults=True) as server:
        headers = {"Authorization": f"Bearer {server.token}"}
        with httpx.Client(base_url=server.url, timeout=30, headers=headers) as http:
            with http.stream("POST", START, json=QUESTION) as response:
                first = read(response)
            assert first.names[0] == "stream"
            assert "thinking" in first.names
            assert "tool_use" in first.names
            assert first.names[-1] == "done"
            assert first.text
            with http.stream(
                "POST", START, json=QUESTION, headers={"X-Fault-Drop-After": "20"}
            ) as response:
                cut = read(response)
            assert len(cut.ids) == 20
            events = f"/api/v1/streams/{cut.stream_id}/events"
            with http.stream("GET", events, headers={"Last-Event-ID": "20"}) as response:
                rest = read(response)
            assert cut.text + rest.text == first.text  # deterministic, and resumed exactly
