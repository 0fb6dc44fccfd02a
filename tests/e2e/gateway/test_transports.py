"""The gateway asks the way the server offers: v1 first, else the legacy stream, else the whole
answer; the question arrives intact on each."""

from __future__ import annotations

import httpx
import pytest
from gateway_client import GatewayFactory, ask, saved_answer
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.streams import answer, words
from servers.server_thread import ServerThread

from desktop.server.backends.nscale import NscaleBackend

pytestmark = pytest.mark.e2e
QUESTION = "C++ 100%20 Akte: wie öffne ich „Bescheid über Förderung“? 🙂"
ANSWER = words("Öffnen Sie die Akte über Datei → Neu und speichern Sie. Fertig 🙂")


def backend_of(gateway: ServerThread) -> NscaleBackend:
    backend = gateway.runtime.backend
    assert isinstance(backend, NscaleBackend)
    return backend


def test_without_v1_the_legacy_stream_answers_and_the_question_survives_its_decoding(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    nscale.fake.missing = {"v1-post"}
    nscale.fake.scripts.append(answer(ANSWER))
    received = ask(gateway.url, nscale.login_token(), QUESTION)
    (generation,) = nscale.fake.generations
    assert generation.endpoint == "legacy"
    assert generation.question == QUESTION
    assert received.answer == "".join(ANSWER) == saved_answer(nscale, generation.session_id)
    assert backend_of(gateway).transport_used == "legacy"


def test_the_published_legacy_bug_falls_through_to_the_whole_answer(
    make_gateway: GatewayFactory,
) -> None:
    with start_fake_nscale(token_delay=0.0, unpatched=True) as nscale:
        nscale.fake.missing = {"v1-post"}
        nscale.fake.scripts.append(answer(ANSWER))
        gateway = make_gateway(upstream_url=nscale.url)
        received = ask(gateway.url, nscale.login_token(), QUESTION)
        (generation,) = nscale.fake.generations
        assert generation.endpoint == "question"
        assert generation.question == QUESTION
        assert received.names[:2] == ["stream", "warning"]
        assert received.data("warning")[0]["code"] == "not_streamed"
        search = received.data("tool_use")
        assert [call["status"] for call in search] == ["started", "completed"]
        hits = [hit["title"] for hit in search[-1]["output"]["hits"]]
        assert hits == ["Akten_anlegen.md", "Handbuch_Kapitel_3.pdf"]
        assert received.answer == "".join(ANSWER) == saved_answer(nscale, generation.session_id)
        assert backend_of(gateway).transport_used == "whole"


def test_a_server_without_any_answer_endpoint_is_a_clear_502(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    nscale.fake.missing = {"v1-post", "legacy", "question"}
    with httpx.Client(base_url=gateway.url, headers=nscale.auth()) as http:
        reply = http.post("/api/v1/chat/stream", json={"message": QUESTION})
    assert reply.status_code == 502
    assert reply.json()["error"]["message"] == (
        "nscale-assist answers this question on none of its endpoints"
    )


def test_a_question_too_long_for_the_legacy_url_goes_to_the_whole_answer(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    nscale.fake.missing = {"v1-post"}
    question = "Ärger mit Akte " * 300  # 4,500 characters, over 8,000 in the encoded URL
    received = ask(gateway.url, nscale.login_token(), question)
    (generation,) = nscale.fake.generations
    assert generation.endpoint == "question"
    assert generation.question == question
    assert received.names[-1] == "done"
