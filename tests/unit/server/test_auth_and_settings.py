"""Bearer checks, owner ids, and settings that never print secrets."""

from __future__ import annotations

from desktop.server.auth import Authenticator, owner_id, presented_token
from desktop.server.settings import ServerSettings


def test_the_bearer_token_is_read_case_insensitively() -> None:
    assert presented_token({"authorization": "Bearer abc"}) == "abc"
    assert presented_token({"authorization": "bearer  abc "}) == "abc"
    assert presented_token({"authorization": "Basic abc"}) is None
    assert presented_token({"authorization": "Bearer "}) is None
    assert presented_token({}) is None


def test_a_configured_token_is_required() -> None:
    auth = Authenticator("s3cret")
    assert auth.required
    assert auth.owner({"authorization": "Bearer s3cret"}) == owner_id("s3cret")
    assert auth.owner({"authorization": "Bearer s3cre"}) is None
    assert auth.owner({"authorization": "Bearer ünïcode"}) is None
    assert auth.owner({}) is None


def test_an_open_server_binds_streams_to_whatever_token_was_sent() -> None:
    auth = Authenticator(None)
    assert not auth.required
    assert auth.owner({"authorization": "Bearer a"}) != auth.owner({"authorization": "Bearer b"})
    assert auth.owner({}) == owner_id(None)


def test_owner_ids_do_not_contain_the_token() -> None:
    assert "s3cret" not in owner_id("s3cret")
    assert len(owner_id("s3cret")) == 32


def test_settings_hide_the_token_and_api_key() -> None:
    text = repr(ServerSettings(token="s3cret-token", api_key="sk-abc"))
    assert "s3cret-token" not in text
    assert "sk-abc" not in text
    assert "token='***'" not in text  # shown as ***, not as a quoted string
    assert "token=***" in text
    assert "ttl=600.0" in text
