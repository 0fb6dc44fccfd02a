"""token_store.py: tokens per profile or server in the keyring; an expired login is no login."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from servers.keyrings import MemoryKeyring

from desktop.credentials import SERVICE, load_token, save_token, server_key

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def jwt_until(moment: datetime) -> str:
    payload = {"user_id": 1, "email": "tester@example.org", "exp": int(moment.timestamp())}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.c2lnbmF0dXJl"


def test_a_login_that_has_expired_counts_as_none(memory_keyring: MemoryKeyring) -> None:
    save_token("Work", jwt_until(NOW - timedelta(minutes=1)))
    assert load_token("Work", now=NOW) is None
    assert memory_keyring.store[(SERVICE, "Work")]  # kept until the next login replaces it


def test_a_login_still_valid_is_used(memory_keyring: MemoryKeyring) -> None:
    token = jwt_until(NOW + timedelta(hours=23))
    save_token("Work", token)
    assert load_token("Work", now=NOW) == token
    assert load_token("Work", now=NOW + timedelta(hours=23)) is None


def test_a_token_that_is_no_jwt_never_expires_here(memory_keyring: MemoryKeyring) -> None:
    save_token("Demo", "opaque-token-123")
    assert load_token("Demo", now=NOW + timedelta(days=3650)) == "opaque-token-123"


def test_a_server_is_one_entry_however_its_address_is_written(
    memory_keyring: MemoryKeyring,
) -> None:
    assert server_key("https://assist.example.org/") == server_key("https://assist.example.org")
    save_token(server_key("https://assist.example.org/"), "t")
    assert load_token(server_key(" https://assist.example.org")) == "t"
    save_token(server_key("https://assist.example.org"), None)
    assert memory_keyring.store == {}
