"""Login, the token check and the sessions reach nscale-assist through the gateway unchanged."""

from __future__ import annotations

import logging

import httpx
import pytest
from servers.nscale import EMAIL, PASSWORD, RunningNscale
from servers.ports import free_port
from servers.server_thread import ServerThread

from desktop.server.settings import ServerSettings

pytestmark = pytest.mark.e2e


def both(nscale: RunningNscale, gateway: ServerThread) -> tuple[httpx.Client, httpx.Client]:
    return httpx.Client(base_url=nscale.url), httpx.Client(base_url=gateway.url)


def test_a_login_through_the_gateway_is_the_backends_own(
    nscale: RunningNscale, gateway: ServerThread, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=gateway.url) as http:
        reply = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "application/json"
        body = reply.json()
        assert body["user"]["email"] == EMAIL
        token = body["access_token"]
        valid = http.get("/api/auth/validate", headers=nscale.auth(token))
        assert valid.status_code == 200
        assert valid.json() == {"valid": True, "user": body["user"]}
    assert PASSWORD not in caplog.text
    assert token not in caplog.text


def test_a_wrong_password_is_the_backends_401_byte_for_byte(
    nscale: RunningNscale, gateway: ServerThread, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = {"email": EMAIL, "password": "not-it-42"}
    direct, through = both(nscale, gateway)
    with direct, through:
        expected = direct.post("/api/auth/login", json=wrong)
        got = through.post("/api/auth/login", json=wrong)
    assert expected.status_code == got.status_code == 401
    assert got.content == expected.content == '{"detail":"Ungültige Anmeldedaten"}'.encode()
    assert got.headers["content-type"] == expected.headers["content-type"]
    assert "not-it-42" not in caplog.text


def test_sessions_are_made_listed_and_read_through_the_gateway(
    nscale: RunningNscale, gateway: ServerThread
) -> None:
    direct, through = both(nscale, gateway)
    auth = nscale.auth()
    with direct, through:
        made = through.post("/api/session", json={"title": "Über Akten"}, headers=auth)
        assert made.status_code == 200
        session_id = made.json()["session_id"]
        assert made.json() == {"session_id": session_id, "title": "Über Akten"}
        for path in ("/api/sessions", f"/api/session/{session_id}"):
            got, expected = through.get(path, headers=auth), direct.get(path, headers=auth)
            assert (got.status_code, got.content) == (expected.status_code, expected.content)
        missing = through.get("/api/session/999", headers=auth)
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Session nicht gefunden"}
        assert through.get("/api/sessions").status_code == 401
        assert through.get("/api/session/x%2F..", headers=auth).status_code == 404


def test_without_a_backend_that_forwards_the_routes_do_not_exist() -> None:
    with ServerThread() as demo, httpx.Client(base_url=demo.url) as http:
        reply = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert reply.status_code == 404
        assert reply.json()["error"]["type"] == "not_found"


def test_an_unreachable_backend_is_a_502_not_a_hang() -> None:
    settings = ServerSettings(backend="nscale", upstream_url=f"http://127.0.0.1:{free_port()}")
    with ServerThread(settings) as gateway, httpx.Client(base_url=gateway.url) as http:
        reply = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert reply.status_code == 502
        assert reply.json()["error"]["type"] == "upstream"
