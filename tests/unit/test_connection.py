"""ServerConnection: one rule for URL, protocol, token and the embedded server, for every entry."""

from __future__ import annotations

import httpx

from desktop.connection import ServerConnection, token_for_server
from desktop.settings import ServerProfile
from desktop.store.records import EMBEDDED_PROTOCOL

WORK = ServerProfile("work", "https://assist.example.org", "openai", "gpt-x")


def keyring(tokens: dict[str, str]):  # type: ignore[no-untyped-def]
    return tokens.get


def test_a_flag_url_wins_and_gets_no_profile_token() -> None:
    connection = ServerConnection.resolve(
        url="http://127.0.0.1:9", profile=WORK, env={}, keyring=keyring({"work": "secret"})
    )
    assert (connection.url, connection.protocol, connection.token) == (
        "http://127.0.0.1:9",
        "assist",
        None,
    )
    assert connection.model == "gpt-x"


def test_the_profile_url_brings_its_protocol_and_keyring_token_before_the_environment() -> None:
    env = {"ASSIST_TOKEN": "from-env"}
    connection = ServerConnection.resolve(profile=WORK, env=env, keyring=keyring({"work": "k"}))
    assert (connection.url, connection.protocol, connection.token) == (WORK.url, "openai", "k")
    assert connection.recorded_protocol == "openai"
    bare = ServerConnection.resolve(profile=WORK, env=env, keyring=keyring({}))
    assert bare.token == "from-env"
    flagged = ServerConnection.resolve(
        profile=WORK, token="flag", env=env, keyring=keyring({"work": "k"})
    )
    assert flagged.token == "flag"


def test_no_url_starts_the_embedded_demo_which_answers_and_is_recorded_as_such() -> None:
    connection = ServerConnection.resolve(env={}, keyring=keyring({}))
    try:
        assert connection.embedded is not None
        assert connection.recorded_protocol == EMBEDDED_PROTOCOL
        reply = httpx.get(f"{connection.url}/healthz", timeout=10)
        assert reply.status_code < 500
    finally:
        connection.close()


def test_a_broken_profile_url_is_reported_and_the_demo_answers() -> None:
    broken = ServerProfile("typo", "htp:/nowhere")
    connection = ServerConnection.resolve(profile=broken, env={}, keyring=keyring({}))
    try:
        assert connection.embedded is not None
        assert "Fix it in Settings" in connection.problem
    finally:
        connection.close()


def test_a_cached_answer_gets_the_token_of_its_server_profile() -> None:
    profiles = [WORK, ServerProfile("lab", "http://lab:8080/")]
    lookup = keyring({"lab": "lab-token"})
    assert token_for_server("http://lab:8080", profiles, env={}, keyring=lookup) == "lab-token"
    assert (
        token_for_server("http://other", profiles, env={"ASSIST_TOKEN": "e"}, keyring=lookup) == "e"
    )
    assert token_for_server("http://lab:8080", profiles, token="t", env={}, keyring=lookup) == "t"
