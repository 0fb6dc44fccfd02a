"""The gateway checks no token: nscale-assist's refusals become ours, before any stream."""

from __future__ import annotations

import httpx
import pytest
from servers.nscale import RunningNscale
from servers.server_thread import ServerThread

pytestmark = pytest.mark.e2e
START = "/api/v1/chat/stream"


def start(gateway: ServerThread, headers: dict[str, str], message: str = "Wie?") -> httpx.Response:
    with httpx.Client(base_url=gateway.url, timeout=10) as http:
        return http.post(START, json={"message": message}, headers=headers)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "Nicht authentifiziert"),
        ("not.a.jwt", "Ungültiges oder abgelaufenes Token"),
        ("expired", "Ungültiges oder abgelaufenes Token"),
    ],
    ids=["no-token", "bad-token", "expired-token"],
)
def test_nscales_wrapped_401_becomes_our_401(
    nscale: RunningNscale, gateway: ServerThread, token: str | None, message: str
) -> None:
    if token == "expired":
        token = nscale.login_token(expires_in=-60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    reply = start(gateway, headers)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert reply.json() == {"error": {"type": "unauthorized", "message": message}}
    assert nscale.fake.generations == []
    metrics = httpx.get(f"{gateway.url}/metrics").text
    assert 'assist_upstream_failures_total{kind="unauthorized"} 1.0' in metrics
