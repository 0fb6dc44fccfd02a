"""Read tokens: one stream, one owner, one deployment, until they expire."""

from __future__ import annotations

from desktop.server.read_tokens import ReadTokens


def test_read_tokens_expire_and_need_a_server_token() -> None:
    tokens = ReadTokens("secret", lifetime=60)
    token = tokens.issue("a" * 32, "owner", now=1000.0)
    assert token is not None
    assert tokens.allows(token, "a" * 32, "owner", now=1059.0)
    assert not tokens.allows(token, "a" * 32, "owner", now=1061.0)
    assert not tokens.allows(token, "a" * 32, "someone-else", now=1001.0)
    assert not ReadTokens("other-secret").allows(token, "a" * 32, "owner", now=1001.0)
    assert ReadTokens(None).issue("a" * 32, "owner") is None
