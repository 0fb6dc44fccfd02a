"""Reading a ``200`` reply to ``GET /api/v1/capabilities``: odd entries are ignored, a body that
is not a JSON object is malformed."""

from __future__ import annotations

import json

import pytest

from desktop.protocol.capabilities import (
    CORE_ONLY,
    Capabilities,
    MalformedCapabilities,
    parse_capabilities,
)


def test_a_stated_option_is_read() -> None:
    body = b'{"backend": "nscale", "options": ["simple_language"]}'
    assert parse_capabilities(body) == Capabilities("nscale", frozenset({"simple_language"}))


def test_what_the_server_writes_reads_back() -> None:
    stated = Capabilities("nscale", frozenset({"simple_language", "other"}))
    assert parse_capabilities(json.dumps(stated.to_json()).encode()) == stated


def test_options_that_are_not_a_list_state_nothing() -> None:
    assert parse_capabilities(b'{"options": "simple_language"}') == CORE_ONLY


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"options": ["simple_language"]', b"[1, 2]", b"\xff\xfe"],
    ids=["not-json", "cut-short", "not-an-object", "not-utf8"],
)
def test_a_body_that_is_not_a_json_object_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedCapabilities):
        parse_capabilities(body)


def test_odd_entries_are_ignored() -> None:
    body = b'{"backend": 7, "options": ["simple_language", 3, null]}'
    assert parse_capabilities(body) == Capabilities(None, frozenset({"simple_language"}))
