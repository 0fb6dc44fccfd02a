"""``GET /api/v1/capabilities`` against real loopback servers that misbehave: a reply past the
cap or one that is not JSON means the core protocol only, with a log line saying why."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from servers.fault_server import FaultServer, Reply

from desktop.protocol.capabilities import CORE_ONLY, Capabilities
from desktop.streaming.capabilities import CAPABILITIES_MAX_BYTES, fetch_capabilities
from desktop.streaming.config import ClientConfig, make_client

JSON = (("Content-Type", "application/json"),)
STATED = {"backend": "nscale", "options": ["simple_language"]}


def fetch(reply: Reply) -> Capabilities:
    async def scenario() -> Capabilities:
        async with FaultServer([reply]) as server:
            config = ClientConfig(server.url, token="t")
            async with make_client(config) as client:
                return await fetch_capabilities(client, config)

    return asyncio.run(scenario())


def huge_but_well_formed() -> list[bytes]:
    """A reply that would offer plain language if read to the end: 4 MiB of padding first."""
    body = json.dumps({"padding": "x" * (4 * 1024 * 1024), **STATED}).encode()
    return [body[start : start + 16 * 1024] for start in range(0, len(body), 16 * 1024)]


def test_a_small_reply_is_read() -> None:
    assert fetch(Reply(headers=JSON, body=[json.dumps(STATED).encode()])).plain_language


def test_a_reply_past_the_cap_is_not_read_to_its_end(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "desktop.streaming.capabilities"):
        assert fetch(Reply(headers=JSON, body=huge_but_well_formed())) == CORE_ONLY
    assert f"over {CAPABILITIES_MAX_BYTES} bytes" in caplog.text


def test_a_declared_length_past_the_cap_is_refused_unread(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = huge_but_well_formed()
    length = str(sum(len(part) for part in body))
    reply = Reply(headers=(*JSON, ("Content-Length", length)), body=body, chunked=False)
    with caplog.at_level(logging.WARNING, "desktop.streaming.capabilities"):
        assert fetch(reply) == CORE_ONLY
    assert f"over {CAPABILITIES_MAX_BYTES} bytes" in caplog.text


def test_a_reply_just_under_the_cap_is_still_read() -> None:
    stated = json.dumps(STATED).encode()
    padded = stated[:-1] + b', "padding": "' + b"x" * (CAPABILITIES_MAX_BYTES - len(stated) - 20)
    body = padded + b'"}'
    assert len(body) <= CAPABILITIES_MAX_BYTES
    assert fetch(Reply(headers=JSON, body=[body])).plain_language


@pytest.mark.parametrize(
    "body",
    [b'{"backend": "nscale", "options": ["simple_lang', b"<html>oops</html>", b"[1, 2]"],
    ids=["cut-short", "html", "not-an-object"],
)
def test_a_reply_that_is_not_a_json_object_offers_the_core_only(
    body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "desktop.streaming.capabilities"):
        assert fetch(Reply(headers=JSON, body=[body])) == CORE_ONLY
    assert "capabilities reply from http://127.0.0.1:" in caplog.text
    assert "using the core protocol only" in caplog.text


def test_a_connection_cut_mid_reply_offers_the_core_only() -> None:
    reply = Reply(headers=JSON, body=[b'{"backend": "nscale", '], end="reset")
    assert fetch(reply) == CORE_ONLY
