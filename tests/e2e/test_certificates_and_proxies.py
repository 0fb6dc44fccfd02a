"""TLS and proxies against real servers on loopback: a test CA (trustme) signs the server's
certificate, uvicorn serves it, and a real forward proxy sits in between where asked.

Trusted through the profile's CA file, the answer arrives; untrusted, expired or made for
another host, the answer ends at once with one sentence naming the host, the issuer and the
reason, after exactly one connection (no retries); ``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY``
decide whether the traffic goes through the proxy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers.forward_proxy import ForwardProxy
from servers.server_thread import ServerThread
from servers.tls import CA_NAME, TestCertificates

from desktop.protocol.events import Connecting, Done, Rejected, StreamEvent, Token
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import BackendProtocol, open_source
from desktop.streaming.stats import SourceStats

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Wie exportiere ich eine Unterhaltung?"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def answer(
    config: ClientConfig, protocol: BackendProtocol = "assist"
) -> tuple[list[StreamEvent], SourceStats]:
    async def main() -> tuple[list[StreamEvent], SourceStats]:
        async with make_client(config) as client:
            request = ChatRequest.from_json({"message": QUESTION})
            source = open_source(client, config, protocol, request, model="m")
            events = [event async for event in source.events()]
        return events, source.stats

    return asyncio.run(main())


def text_of(events: list[StreamEvent]) -> str:
    return "".join(event.content for event in events if isinstance(event, Token))


def refusal(events: list[StreamEvent], stats: SourceStats) -> str:
    """The refusal's message, after checking it came at once: one connection, no retry."""
    assert [type(event) for event in events] == [Connecting, Rejected]
    rejected = events[-1]
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "untrusted_certificate"
    assert stats.connections == 1
    assert stats.reconnects == 0
    return rejected.message


def test_a_server_whose_ca_is_the_profiles_ca_file_answers(certificates: TestCertificates) -> None:
    server = certificates.serve()
    events, _ = answer(ClientConfig(server.url, ca_file=certificates.ca_file))
    assert isinstance(events[-1], Done)
    assert text_of(events)


def test_an_unknown_ca_is_one_clear_message_naming_host_and_issuer_without_retries(
    certificates: TestCertificates,
) -> None:
    server = certificates.serve()
    message = refusal(*answer(ClientConfig(server.url, max_attempts=8)))
    assert "The certificate of 127.0.0.1" in message
    assert f"O={CA_NAME}" in message
    assert "a certificate authority this computer does not trust" in message


def test_a_certificate_for_another_host_is_refused_even_from_a_trusted_ca(
    certificates: TestCertificates,
) -> None:
    server = certificates.serve("assist.example.org")
    message = refusal(*answer(ClientConfig(server.url, ca_file=certificates.ca_file)))
    assert "it was made for another host name, not 127.0.0.1" in message
    assert CA_NAME in message


def test_an_expired_certificate_says_so(certificates: TestCertificates) -> None:
    now = dt.datetime.now(dt.UTC)
    server = certificates.serve(
        not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1)
    )
    message = refusal(*answer(ClientConfig(server.url, ca_file=certificates.ca_file)))
    assert "it has expired" in message


def test_the_openai_adapter_refuses_an_untrusted_certificate_at_once_too(
    certificates: TestCertificates,
) -> None:
    server = certificates.serve()
    message = refusal(*answer(ClientConfig(server.url), protocol="openai"))
    assert "does not trust" in message


def test_a_ca_file_that_holds_no_certificate_is_a_configuration_error(tmp_path: Path) -> None:
    junk = tmp_path / "not-a-ca.pem"
    junk.write_text("hello\n")
    with pytest.raises(ValueError, match="holds no usable certificate"):
        make_client(ClientConfig("https://127.0.0.1:9", ca_file=str(junk)))
    with pytest.raises(ValueError, match="does not exist"):
        ClientConfig("https://127.0.0.1:9", ca_file=str(tmp_path / "missing.pem"))


def test_plain_http_goes_through_the_http_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with ServerThread(token_rate=0.0) as server, ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        events, _ = answer(ClientConfig(server.url))
    assert isinstance(events[-1], Done)
    assert proxy.seen == [f"POST {server.url}/api/v1/chat/stream"]


def test_https_is_tunnelled_through_the_https_proxy_and_still_verified(
    monkeypatch: pytest.MonkeyPatch, certificates: TestCertificates
) -> None:
    server = certificates.serve()
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        events, _ = answer(ClientConfig(server.url, ca_file=certificates.ca_file))
        untrusted, stats = answer(ClientConfig(server.url))
    assert isinstance(events[-1], Done)
    message = refusal(untrusted, stats)
    assert "does not trust" in message
    assert "(issued by" not in message  # behind a proxy the issuer probe would meet the proxy
    assert proxy.seen == [f"CONNECT 127.0.0.1:{server.port}"] * 2


def test_no_proxy_sends_the_listed_hosts_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    with ServerThread(token_rate=0.0) as server, ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        events, _ = answer(ClientConfig(server.url))
    assert isinstance(events[-1], Done)
    assert proxy.seen == []


def ask(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "ask", "--no-cache", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_ask_trusts_its_ca_file_and_refuses_an_unknown_ca_with_exit_3(
    certificates: TestCertificates, tmp_path: Path
) -> None:
    server = certificates.serve()
    trusted = ask("--url", server.url, "--ca-file", certificates.ca_file, QUESTION)
    assert trusted.returncode == 0, trusted.stderr
    assert trusted.stdout
    refused = ask("--url", server.url, QUESTION)
    assert refused.returncode == 3
    assert refused.stdout == b""
    stderr = refused.stderr.decode()
    assert stderr.count("The certificate of 127.0.0.1") == 1, stderr
    assert "reconnect" not in stderr.lower()
    missing = ask("--url", server.url, "--ca-file", str(tmp_path / "nope.pem"), QUESTION)
    assert missing.returncode == 2
    assert b"does not exist" in missing.stderr


def test_login_refuses_an_untrusted_certificate_before_the_password_leaves(
    certificates: TestCertificates,
) -> None:
    server = certificates.serve()
    credentials = ("--email", "anna@example.org", "--password-stdin")

    def login(*extra: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "login",
                "--server",
                server.url,
                *extra,
                *credentials,
            ],
            cwd=ROOT,
            input=b"secret-pw\n",
            capture_output=True,
            timeout=60,
            check=False,
        )

    refused = login()
    assert refused.returncode == 3
    assert b"The certificate of 127.0.0.1" in refused.stderr
    trusted = login("--ca-file", certificates.ca_file)  # the reference server itself has no login
    assert trusted.returncode == 3
    assert b"has no login" in trusted.stderr
