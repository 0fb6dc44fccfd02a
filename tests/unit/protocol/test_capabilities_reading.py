"""Reading ``GET /api/v1/capabilities``: anything but a well-formed 200 is the core protocol."""

from __future__ import annotations

import json

import pytest

from desktop.protocol.capabilities import CORE_ONLY, Capabilities, read_capabilities


def test_a_stated_option_is_read() -> None:
    body = b'{"backend": "nscale", "options": ["simple_language"]}'
    assert read_capabilities(200, body) == Capabilities("nscale", frozenset({"simple_language"}))


def test_what_the_server_writes_reads_back() -> None:
    stated = Capabilities("nscale", frozenset({"simple_language", "other"}))
    assert read_capabilities(200, json.dumps(stated.to_json()).encode()) == stated


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (404, b'{"detail": "Not Found"}'),
        (200, b"not json"),
        (200, b"[1, 2]"),
        (200, b'{"options": "simple_language"}'),
        (500, b'{"backend": "nscale", "options": ["simple_language"]}'),
    ],
    ids=["missing-route", "not-json", "not-an-object", "options-not-a-list", "server-error"],
)
def test_a_server_that_does_not_say_offers_the_core_only(status: int, body: bytes) -> None:
    assert read_capabilities(status, body).options == CORE_ONLY.options


def test_odd_entries_are_ignored() -> None:
    body = b'{"backend": 7, "options": ["simple_language", 3, null]}'
    assert read_capabilities(200, body) == Capabilities(None, frozenset({"simple_language"}))
