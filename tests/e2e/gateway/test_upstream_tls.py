"""The gateway verifies nscale-assist's certificate: the system store plus ``--upstream-ca``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gateway_client import ask
from servers.app_thread import AppThread
from servers.nscale import EMAIL, PASSWORD, FakeNscale
from servers.nscale.streams import answer, words
from servers.server_thread import ServerThread
from servers.tls import TestCertificates

from desktop.server.settings import ServerSettings

pytestmark = pytest.mark.e2e
ANSWER = words("Über HTTPS geöffnet 🙂")


@pytest.fixture
def tls_nscale(certificates: TestCertificates) -> Iterator[tuple[str, FakeNscale, str]]:
    """A fake nscale-assist on https://127.0.0.1 with a certificate from the test CA."""
    leaf = certificates.ca.issue_cert("127.0.0.1")
    fake = FakeNscale(token_delay=0.0)
    fake.accounts.add(EMAIL, PASSWORD)
    with (
        leaf.private_key_and_cert_chain_pem.tempfile() as pem,
        AppThread(fake.app(), ssl_certfile=pem, ssl_keyfile=pem) as thread,
    ):
        yield f"https://127.0.0.1:{thread.port}", fake, certificates.ca_file


def test_with_the_ca_given_the_gateway_answers_over_tls(
    tls_nscale: tuple[str, FakeNscale, str],
) -> None:
    url, fake, ca_file = tls_nscale
    fake.scripts.append(answer(ANSWER))
    settings = ServerSettings(backend="nscale", upstream_url=url, upstream_ca=ca_file)
    with ServerThread(settings) as gateway, httpx.Client(base_url=gateway.url) as http:
        login = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert login.status_code == 200
        received = ask(gateway.url, login.json()["access_token"])
    assert received.answer == "".join(ANSWER)


def test_an_untrusted_certificate_is_one_clear_refusal_naming_the_host(
    tls_nscale: tuple[str, FakeNscale, str],
) -> None:
    url, fake, _ca_file = tls_nscale
    settings = ServerSettings(backend="nscale", upstream_url=url)
    with ServerThread(settings) as gateway, httpx.Client(base_url=gateway.url) as http:
        reply = http.post("/api/v1/chat/stream", json={"message": "Wie?"})
        login = http.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert reply.status_code == 502
    message = reply.json()["error"]["message"]
    assert message.startswith("the certificate of 127.0.0.1 is not trusted (")
    assert "--upstream-ca" in message
    assert login.status_code == 502
    assert fake.generations == []
