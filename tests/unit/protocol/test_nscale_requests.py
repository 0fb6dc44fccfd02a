"""nscale-assist requests and refusals, with bytes alone: the question survives the legacy
endpoint's double decoding, and every captured refusal is read as what it means."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote_plus, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from servers.nscale.recorded import capture

from desktop.protocol.upstream.nscale import Refusal, legacy_stream_url, question_body, read_refusal
from desktop.protocol.upstream.nscale.requests import encode_twice


def as_the_legacy_handler_reads_it(url: str) -> dict[str, str]:
    """Starlette's query parsing, then the handler's own ``unquote_plus`` of the question."""
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    params["question"] = unquote_plus(params["question"])
    return params


@pytest.mark.parametrize(
    "question",
    [
        "C++ 100%",
        "C++ 100%20 Akte",
        "Wie öffne ich die Volltextsuche für „Bescheid über Förderung“? Grüße, Jürgen",
        "Emoji 🙂 & Zeichen: #?=/+%2B",
        "  Zeilen\numbruch  ",
    ],
)
def test_the_legacy_question_arrives_intact(question: str) -> None:
    url = legacy_stream_url("http://127.0.0.1:1/", question, 7, simple_language=True)
    assert url.startswith("http://127.0.0.1:1/api/question/stream?question=")
    params = as_the_legacy_handler_reads_it(url)
    assert params == {"question": question, "session_id": "7", "simple_language": "true"}


@given(st.text(min_size=1))
def test_any_question_survives_two_decodings(question: str) -> None:
    assert unquote_plus(unquote_plus(encode_twice(question))) == question


def test_a_question_without_a_session_asks_for_a_new_one() -> None:
    params = as_the_legacy_handler_reads_it(legacy_stream_url("http://h", "q", None))
    assert params == {"question": "q", "session_id": "new"}
    assert question_body("q", None) == {"question": "q", "simple_language": False}
    assert question_body("q", 3, simple_language=True) == {
        "question": "q",
        "session_id": 3,
        "simple_language": True,
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("10-no-token-api-question-stream", Refusal("unauthorized", "Nicht authentifiziert", 401)),
        ("10-no-token-post-v1", Refusal("unauthorized", "Nicht authentifiziert", 401)),
        ("11-bad-token-get-v1", Refusal("unauthorized", "Ungültiges oder abgelaufenes Token", 401)),
        (
            "12-expired-token-post-v1",
            Refusal("unauthorized", "Ungültiges oder abgelaufenes Token", 401),
        ),
        (
            "13a-empty-question-api-question-stream",
            Refusal("invalid_request", "Frage darf nicht leer sein", 422),
        ),
        (
            "13f-empty-question-post-v1",
            Refusal("invalid_request", "Die Frage darf nicht leer sein", 422),
        ),
        (
            "16-huge-question-100k-get",
            Refusal("invalid_request", "Invalid HTTP request received.", 400),
        ),
        (
            "40-unpatched-api-question-stream",
            Refusal(
                "unsupported", "Interner Serverfehler: name 'user_manager' is not defined", 500
            ),
        ),
        ("00b-login-wrong-password", Refusal("unauthorized", "Ungültige Anmeldedaten", 401)),
    ],
)
def test_every_captured_refusal_means_what_it_says(name: str, expected: Refusal) -> None:
    recorded = capture(name)
    assert read_refusal(recorded.status, recorded.body) == expected


def test_other_refusals() -> None:
    missing = b'{"detail":[{"type":"missing","loc":["query","session_id"],"msg":"Field required"}]}'
    assert read_refusal(422, missing) == Refusal(
        "invalid_request", "session_id: Field required", 422
    )
    assert (
        read_refusal(400, '{"error":"Ungültiges JSON-Format"}'.encode()).kind == "invalid_request"
    )
    assert read_refusal(404, b'{"detail":"Not Found"}') == Refusal("unsupported", "Not Found", 404)
    assert read_refusal(503, b"") == Refusal("retryable", "HTTP 503", 503)
    assert read_refusal(500, b'{"detail":"Datenbank gesperrt"}').kind == "retryable"
