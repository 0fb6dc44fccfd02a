"""The fake nscale-assist's behaviour beyond single captures: logins, sessions, history, pings,
clients that leave, cut connections and ``POST /api/question``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import jwt
import pytest
from servers.nscale import EMAIL, PASSWORD, RunningNscale, start_fake_nscale
from servers.nscale.streams import AnswerScript, answer, words

pytestmark = pytest.mark.e2e


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale(token_delay=0.0) as running:
        yield running


def test_a_login_gives_a_day_long_hs256_token_that_validates(nscale: RunningNscale) -> None:
    with httpx.Client(base_url=nscale.url) as http:
        reply = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert reply.status_code == 200
        body = reply.json()
        assert body["token"] == body["access_token"]
        claims = jwt.decode(body["token"], options={"verify_signature": False})
        assert set(claims) == {"user_id", "email", "role", "exp", "tokenExpiry"}
        assert claims["exp"] == claims["tokenExpiry"]
        assert jwt.get_unverified_header(body["token"])["alg"] == "HS256"
        by_username = http.post("/api/auth/login", json={"username": EMAIL, "password": PASSWORD})
        assert by_username.status_code == 200
        valid = http.get("/api/auth/validate", headers=nscale.auth(body["token"]))
        assert valid.json() == {"valid": True, "user": body["user"]}


def test_the_expiry_is_a_day_after_the_login() -> None:
    now = [1_800_000_000.0]
    with start_fake_nscale(clock=lambda: now[0]) as nscale:
        token = nscale.login_token()
        assert jwt.decode(token, options={"verify_signature": False})["exp"] == 1_800_086_400
        with httpx.Client(base_url=nscale.url, headers=nscale.auth(token)) as http:
            assert http.get("/api/auth/validate").status_code == 200
            now[0] += 86_400
            expired = http.get("/api/auth/validate")
            assert expired.status_code == 401
            assert expired.json() == {"detail": "Ungültiges oder abgelaufenes Token"}
            assert http.get("/api/sessions").status_code == 401


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic eDp5"}],
    ids=["none", "malformed", "not-bearer"],
)
def test_every_session_endpoint_needs_a_valid_token(
    nscale: RunningNscale, headers: dict[str, str]
) -> None:
    with httpx.Client(base_url=nscale.url, headers=headers) as http:
        for method, path in [
            ("GET", "/api/auth/validate"),
            ("POST", "/api/session"),
            ("GET", "/api/sessions"),
            ("GET", "/api/session/1"),
        ]:
            assert http.request(method, path, json={}).status_code == 401


def test_a_forged_token_is_refused(nscale: RunningNscale) -> None:
    claims = jwt.decode(nscale.login_token(), options={"verify_signature": False})
    forged = jwt.encode(claims, "not the server's secret, but as long as one", algorithm="HS256")
    with httpx.Client(base_url=nscale.url, headers=nscale.auth(forged)) as http:
        assert http.get("/api/auth/validate").status_code == 401


def test_questions_and_finished_answers_are_kept_in_the_session() -> None:
    now = [1_800_000_000.0]
    with (
        start_fake_nscale(token_delay=0.0, clock=lambda: now[0]) as nscale,
        httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http,
    ):
        nscale.fake.scripts.append(answer(["Hallo", " Jürgen", " 🙂"]))
        now[0] += 1
        created = http.post("/api/session", json={"title": "Akten"}).json()
        assert created == {"session_id": 2, "title": "Akten"}
        body = {"question": "Wie öffne ich eine Akte?", "session_id": created["session_id"]}
        reply = http.post("/api/v1/question/stream", json=body)
        assert reply.status_code == 200
        listed = http.get("/api/sessions").json()["sessions"]
        assert [s["id"] for s in listed] == [2, 1]  # the newest first (ties by id, as SQLite)
        session = http.get("/api/session/2").json()
        assert session["title"] == "Akten"
        assert [(m["is_user"], m["message"]) for m in session["messages"]] == [
            (True, "Wie öffne ich eine Akte?"),
            (False, "Hallo Jürgen 🙂"),
        ]
        assert http.get("/api/session/99").status_code == 404


def test_a_question_to_a_session_that_is_not_the_users_makes_a_new_one_silently() -> None:
    with start_fake_nscale(token_delay=0.0) as nscale:
        other = nscale.fake.accounts.add("other@example.org", "pw")
        theirs = nscale.fake.history.create(other.id, "Fremd")
        with httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http:
            for session_id in ["new", "0", str(theirs.id), "c6d7e2"]:
                http.get(
                    "/api/v1/question/stream", params={"question": "q", "session_id": session_id}
                )
        made = [g.session_id for g in nscale.fake.generations]
        assert len(set(made)) == 4
        assert theirs.id not in made
        assert theirs.messages == []


def test_pings_come_on_their_own_clock_while_the_model_is_silent() -> None:
    with start_fake_nscale(token_delay=0.0, ping_interval=0.05) as nscale:
        nscale.fake.scripts.append(AnswerScript(words("Nach einer Pause"), pauses={1: 0.5}))
        params = {"question": "q", "session_id": "1"}
        with (
            httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http,
            http.stream("GET", "/api/question/stream", params=params) as reply,
        ):
            body = b"".join(reply.iter_raw())
    before, _, _ = body.partition(b'" einer"')
    assert b": ping - " in before.split(b'" Nach"')[1]  # between the first and second token
    assert body.endswith(b"data: event: done\r\ndata: data: \r\ndata: \r\ndata: \r\n\r\n")


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/question/stream", "GET"),
        ("/api/v1/question/stream", "GET"),
        ("/api/v1/question/stream", "POST"),
    ],
)
def test_a_client_that_leaves_stops_generation_and_nothing_partial_is_saved(
    path: str, method: str
) -> None:
    with start_fake_nscale(token_delay=0.005) as nscale:
        tokens = tuple(f" w{i}" for i in range(2000))
        nscale.fake.scripts.append(AnswerScript(tokens))
        query = {"question": "Lange Antwort", "session_id": "1"}
        kwargs = {"params": query} if method == "GET" else {"json": query}
        with (
            httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http,
            http.stream(method, path, **kwargs) as reply,  # type: ignore[arg-type]
        ):
            received = 0
            for chunk in reply.iter_raw():
                received += len(chunk)
                if received > 500:
                    break  # leaving the block closes the connection
        (generation,) = nscale.fake.generations
        assert generation.ended.wait(10)
        assert generation.state == "disconnected"
        sent = len(generation.sent)
        assert sent < len(tokens)
        messages = nscale.fake.history.sessions[1].messages
        assert [(m.is_user, m.message) for m in messages] == [(True, "Lange Antwort")]


def test_a_scripted_cut_drops_the_connection_without_the_chunked_end() -> None:
    with start_fake_nscale(token_delay=0.0) as nscale:
        nscale.fake.scripts.append(AnswerScript(words("eins zwei drei vier"), cut_after=2))
        params = {"question": "q", "session_id": "1"}
        got: list[bytes] = []

        def read() -> None:
            with (
                httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http,
                http.stream("GET", "/api/v1/question/stream", params=params) as reply,
            ):
                got.extend(reply.iter_raw())

        with pytest.raises(httpx.RemoteProtocolError):
            read()
        assert b"".join(got) == b'{"content": " eins"}{"content": " zwei"}'
        assert nscale.fake.generations[0].state == "cut"


def test_post_api_question_answers_whole_with_sources(nscale: RunningNscale) -> None:
    nscale.fake.scripts.append(AnswerScript(words("Öffnen Sie die Akte."), sources=("A.md",)))
    with httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http:
        reply = http.post("/api/question", json={"question": "Akte?", "session_id": 1})
        assert reply.status_code == 200
        body = reply.json()
        assert body == {
            "answer": " Öffnen Sie die Akte.",
            "session_id": 1,
            "message_id": body["message_id"],
            "sources": ["A.md"],
            "cached": False,
        }
        too_long = http.post("/api/question", json={"question": "x" * 5001})
        assert too_long.status_code == 422
        assert too_long.json()["detail"][0]["type"] == "string_too_long"
        assert http.post("/api/question", json={}, headers={"Authorization": ""}).status_code == 401


def test_simple_language_reaches_the_generation(nscale: RunningNscale) -> None:
    with httpx.Client(base_url=nscale.url, headers=nscale.auth()) as http:
        http.get("/api/question/stream", params={"question": "a", "session_id": "1"})
        http.get(
            "/api/question/stream",
            params={"question": "b", "session_id": "1", "simple_language": "yes"},
        )
        http.get(
            "/api/question/stream",
            params={"question": "c", "session_id": "1"},
            headers={"X-Use-Simple-Language": "true"},
        )
        http.post("/api/v1/question/stream", json={"question": "d", "simple_language": True})
        http.post("/api/question", content=json.dumps({"question": "e", "simple_language": True}))
    assert [g.simple_language for g in nscale.fake.generations] == [False, True, True, True, True]


def test_the_legacy_endpoint_takes_the_token_in_the_query_and_v1_does_not(
    nscale: RunningNscale,
) -> None:
    params = {"question": "q", "session_id": "1", "auth_token": nscale.login_token()}
    with httpx.Client(base_url=nscale.url) as http:
        assert http.get("/api/question/stream", params=params).status_code == 200
        assert http.get("/api/v1/question/stream", params=params).status_code == 401


def test_missing_parameters_get_fastapis_own_422_before_authentication(
    nscale: RunningNscale,
) -> None:
    with httpx.Client(base_url=nscale.url) as http:
        reply = http.get("/api/question/stream", params={"question": "q"})
    assert reply.status_code == 422
    assert reply.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["query", "session_id"],
                "msg": "Field required",
                "input": None,
            }
        ]
    }
