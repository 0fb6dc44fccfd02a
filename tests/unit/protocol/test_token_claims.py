"""token_claims.py: the expiry and owner of a JWT, read from bytes alone."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from desktop.protocol.token_claims import EXPIRY_MARGIN, TokenClaims, read_claims

# nscale-assist's login answer (captures/00a-login.raw): exp 1796393043 = 2026-12-04 14:04:03 UTC.
CAPTURED = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjoxLCJlbWFpbCI6InRlc3RlckBleGFtcGxlLm9yZyIs"
    "InJvbGUiOiJ1c2VyIiwiZXhwIjoxNzk2MzkzMDQzLCJ0b2tlbkV4cGlyeSI6MTc5NjM5MzA0M30."
    "VDM2Lp-53PvplbLrNcruEcp_RRqqa8UXQSuCvhoIs1Y"
)


def jwt(payload: object) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{body}.c2ln"


def test_the_captured_login_token_names_its_user_and_expiry() -> None:
    claims = read_claims(CAPTURED)
    assert claims == TokenClaims(
        expires_at=datetime(2026, 12, 4, 14, 4, 3, tzinfo=UTC), email="tester@example.org"
    )


def test_a_token_counts_as_expired_a_margin_before_its_exp() -> None:
    exp = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    claims = TokenClaims(expires_at=exp)
    assert not claims.expired(exp - EXPIRY_MARGIN - timedelta(seconds=1))
    assert claims.expired(exp - EXPIRY_MARGIN)
    assert claims.expired(exp + timedelta(days=1))
    assert not TokenClaims().expired(exp)  # no exp: the server decides


@pytest.mark.parametrize(
    "token",
    ["test-token-123", "", "a.b", "a..c", "a.!!!.c", "a.b.c.d", jwt([1, 2])[:-1], jwt("text")],
)
def test_anything_but_a_jwt_has_no_claims(token: str) -> None:
    assert read_claims(token) is None


@pytest.mark.parametrize("exp", ["1796393043", True, None, float("inf"), 10**20])
def test_an_exp_that_is_no_time_is_no_expiry(exp: object) -> None:
    claims = read_claims(jwt({"exp": exp, "sub": "anna"}))
    assert claims == TokenClaims(expires_at=None, email="anna")
