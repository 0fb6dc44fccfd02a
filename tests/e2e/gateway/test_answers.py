"""Answers through the gateway: exact text, sessions, markers as typed events, metrics."""

from __future__ import annotations

import httpx
import pytest
from gateway_client import ask, saved_answer
from servers.nscale import RunningNscale
from servers.nscale.streams import (
    FINAL_TIMEOUT,
    answer,
    conn_error,
    empty_answer,
    final_timeout,
    ollama_down,
    ollama_killed,
    timeout_then_answer,
    words,
)
from servers.server_thread import ServerThread

pytestmark = pytest.mark.e2e
LONG = words(" ".join(f"Schritt{i} öffnen 🙂" for i in range(20)))


def test_an_answer_arrives_whole_and_is_what_nscale_saved(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    nscale.fake.scripts.append(answer(LONG))
    received = ask(gateway.url, nscale.login_token())
    assert received.status == 200
    assert received.names[0] == "stream"
    assert received.names[-1] == "done"
    assert received.ids == list(range(1, len(received.ids) + 1))
    (generation,) = nscale.fake.generations
    assert generation.endpoint == "v1-post"
    assert generation.state == "complete"
    assert received.answer == "".join(LONG) == saved_answer(nscale, generation.session_id)
    assert received.data("done")[0]["finish_reason"] == "stop"


def test_progress_carries_the_measured_rate(nscale: RunningNscale, gateway: ServerThread) -> None:
    nscale.fake.token_delay = 0.005
    nscale.fake.scripts.append(answer(LONG))
    progress = ask(gateway.url, nscale.login_token()).data("progress")
    assert len(progress) == len(LONG) // 10
    rates = [p["tokens_per_second"] for p in progress]
    assert all(0 < rate < 1000 for rate in rates)  # paced by the fake, not the gateway


def test_a_numbered_conversation_is_the_nscale_session(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    token = nscale.login_token()
    with httpx.Client(base_url=gateway.url, headers=nscale.auth(token)) as http:
        session_id = http.post("/api/session", json={"title": "Akten"}).json()["session_id"]
    ask(gateway.url, token, "Erste Frage?", conversation_id=str(session_id))
    ask(gateway.url, token, "Zweite Frage?", conversation_id=str(session_id))
    ask(gateway.url, token, "Ohne Sitzung?", conversation_id="local-7f3a")
    first, second, third = nscale.fake.generations
    assert first.session_id == second.session_id == session_id
    assert third.session_id not in (session_id, 1)
    questions = [m.message for m in nscale.fake.history.sessions[session_id].messages if m.is_user]
    assert questions == ["Erste Frage?", "Zweite Frage?"]


@pytest.mark.parametrize("missing", [set(), {"v1-post"}], ids=["v1", "legacy"])
def test_plain_language_reaches_nscale(
    nscale: RunningNscale, gateway: ServerThread, missing: set[str]
) -> None:
    nscale.fake.missing = missing  # type: ignore[assignment]
    ask(gateway.url, nscale.login_token(), "Einfach?", options={"simple_language": True})
    ask(gateway.url, nscale.login_token(), "Normal?")
    assert [g.simple_language for g in nscale.fake.generations] == [True, False]


def test_a_retry_that_answers_is_a_reset_then_the_new_attempt(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    nscale.fake.scripts.append(timeout_then_answer(LONG, after=6))
    received = ask(gateway.url, nscale.login_token())
    assert received.names.count("reset") == 1
    assert received.data("reset")[0]["reason"] == "upstream_retry"
    assert received.answer == "".join(LONG)
    tokens = "".join(t["content"] for t in received.data("token"))
    assert "[TIMEOUT]" not in tokens
    assert "[STREAM_RETRY]" not in tokens
    assert received.names[-1] == "done"
    assert nscale.fake.generations[0].state == "complete"


@pytest.mark.parametrize(
    ("script", "error_type", "message", "partial"),
    [
        (ollama_down(), "upstream", conn_error().removeprefix("[CONN_ERROR] "), ""),
        (ollama_killed(LONG, 7), "upstream", conn_error().removeprefix("[CONN_ERROR] "), 7),
        (
            final_timeout(LONG, 3),
            "network_timeout",
            FINAL_TIMEOUT.removeprefix("[FINAL_TIMEOUT] "),
            3,
        ),
        (empty_answer(), "upstream", None, ""),
    ],
    ids=["ollama-down", "ollama-killed", "final-timeout", "empty"],
)
def test_markers_end_the_answer_with_a_typed_error_after_nscale_saved_it(
    nscale: RunningNscale,
    gateway: ServerThread,
    script: object,
    error_type: str,
    message: str | None,
    partial: int | str,
) -> None:
    nscale.fake.scripts.append(script)  # type: ignore[arg-type]
    received = ask(gateway.url, nscale.login_token())
    assert received.names[-2:] == ["error", "done"]
    (error,) = received.data("error")
    assert error["error_type"] == error_type
    assert error["resumable"] is False
    if message is not None:
        assert error["message"] == message
    assert received.data("done")[0]["finish_reason"] == "error"
    expected = "".join(LONG[:partial]) if isinstance(partial, int) else partial
    assert received.answer == expected
    assert "[" not in received.answer
    (generation,) = nscale.fake.generations
    assert generation.state == "complete"  # read to its end, so nscale-assist kept it
    saved = saved_answer(nscale, generation.session_id)
    assert saved == script.text  # type: ignore[attr-defined]


def test_metrics_show_the_upstreams_ttft_and_failures(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    scripts = [answer(LONG), timeout_then_answer(LONG, 2), ollama_down(), empty_answer()]
    nscale.fake.scripts += scripts
    for _ in scripts:
        ask(gateway.url, nscale.login_token())
    metrics = httpx.get(f"{gateway.url}/metrics").text
    assert "assist_upstream_time_to_first_token_seconds_count 2.0" in metrics
    assert 'assist_upstream_failures_total{kind="retry"} 1.0' in metrics
    assert 'assist_upstream_failures_total{kind="marker"} 1.0' in metrics
    assert 'assist_upstream_failures_total{kind="empty"} 1.0' in metrics
