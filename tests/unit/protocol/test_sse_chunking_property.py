"""Property: however a valid stream is cut into chunks, the parser yields the same messages, and
they are exactly the messages that were encoded (for every line-end style, with or without BOM)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.protocol.sse import SSEMessage, SSEParser

SAFE_CHARS = st.characters(exclude_categories=("Cs",))  # anything UTF-8 can encode
LINE_FREE = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=20
)


@dataclass(frozen=True)
class Block:
    data: str | None  # None: a block that dispatches nothing (comment, retry or id only)
    event: str | None
    id: str | None
    comment: str | None
    retry: int | None


blocks = st.builds(
    Block,
    data=st.none() | st.text(SAFE_CHARS, max_size=40),
    event=st.none() | st.sampled_from(["token", "done", "message", "a:b", "", " x"]),
    id=st.none() | st.from_regex(r"[0-9a-z]{0,6}", fullmatch=True),
    comment=st.none() | LINE_FREE,
    retry=st.none() | st.integers(0, 100_000),
)


def encode(stream: list[Block], eol: str) -> str:
    out: list[str] = []
    for block in stream:
        if block.comment is not None:
            out.append(f":{block.comment}{eol}")
        if block.retry is not None:
            out.append(f"retry: {block.retry}{eol}")
        if block.id is not None:
            out.append(f"id: {block.id}{eol}")
        if block.event is not None:
            out.append(f"event: {block.event}{eol}")
        if block.data is not None:
            for line in block.data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                out.append(f"data: {line}{eol}")
        out.append(eol)
    return "".join(out)


def expected(stream: list[Block]) -> list[SSEMessage]:
    messages: list[SSEMessage] = []
    last_id: str | None = None
    for block in stream:
        if block.id is not None:
            last_id = block.id
        if block.data is None:
            continue
        data = block.data.replace("\r\n", "\n").replace("\r", "\n")
        messages.append(SSEMessage(block.event or "message", data, last_id, block.id is not None))
    return messages


def feed_in_chunks(body: bytes, cuts: list[int]) -> list[SSEMessage]:
    parser = SSEParser()
    out: list[SSEMessage] = []
    start = 0
    for cut in sorted({c % (len(body) + 1) for c in cuts}):
        out += parser.feed(body[start:cut])
        start = cut
    out += parser.feed(body[start:])
    return out


@settings(max_examples=300, deadline=None)
@given(
    stream=st.lists(blocks, max_size=8),
    eol=st.sampled_from(["\n", "\r", "\r\n"]),
    bom=st.booleans(),
    cuts=st.lists(st.integers(0, 10_000), max_size=30),
)
def test_any_chunking_of_a_valid_stream_yields_the_encoded_messages(
    stream: list[Block], eol: str, bom: bool, cuts: list[int]
) -> None:
    body = ("\ufeff" if bom else "").encode() + encode(stream, eol).encode()
    assert feed_in_chunks(body, cuts) == expected(stream)


@settings(max_examples=100, deadline=None)
@given(stream=st.lists(blocks, min_size=1, max_size=6), eol=st.sampled_from(["\n", "\r\n", "\r"]))
def test_byte_by_byte_equals_all_at_once(stream: list[Block], eol: str) -> None:
    body = encode(stream, eol).encode()
    whole = SSEParser().feed(body)
    parser = SSEParser()
    single: list[SSEMessage] = []
    for i in range(len(body)):
        single += parser.feed(body[i : i + 1])
    assert single == whole
