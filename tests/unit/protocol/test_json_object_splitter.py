"""The streaming JSON-object splitter: objects back to back, cut anywhere, give the same values."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.protocol.upstream.nscale.json_objects import JSONObjectSplitter, JSONSplitError

SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
OBJECTS = st.lists(st.dictionaries(st.text(), VALUES, max_size=4), min_size=1, max_size=8)


def split_all(body: bytes, cuts: list[int]) -> list[Any]:
    splitter = JSONObjectSplitter(1 << 20)
    points = sorted({c % (len(body) + 1) for c in cuts})
    values: list[Any] = []
    for a, b in zip([0, *points], [*points, len(body)], strict=True):
        values += splitter.feed(body[a:b])
    return values + splitter.close()


@given(OBJECTS, st.lists(st.integers(min_value=0), max_size=30), st.booleans())
def test_any_objects_cut_anywhere_come_out_whole_and_in_order(
    objects: list[dict[str, Any]], cuts: list[int], ascii_only: bool
) -> None:
    body = "".join(json.dumps(o, ensure_ascii=ascii_only) for o in objects).encode()
    assert split_all(body, cuts) == objects


def test_one_byte_at_a_time_with_escapes_braces_in_strings_and_whitespace() -> None:
    objects = [{"content": ' {"}\\ \u00fc 🙂 ]['}, {"done": True}, {"a": [1, {"b": "}"}]}]
    body = (" \n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\r\n").encode()
    assert split_all(body, list(range(len(body)))) == objects


@pytest.mark.parametrize(
    "body",
    [b'{"a": 1} x', b"42", b'{"a": tru}', b'{"a": "\xff"}', b'{"a": 1}]'],
)
def test_what_is_not_objects_back_to_back_is_refused(body: bytes) -> None:
    with pytest.raises(JSONSplitError):
        split_all(body, [])


def test_a_value_past_the_cap_is_refused_before_it_ends() -> None:
    splitter = JSONObjectSplitter(100)
    with pytest.raises(JSONSplitError, match="exceeds 100"):
        splitter.feed(b'{"content": "' + b"x" * 200)
