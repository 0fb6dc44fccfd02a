"""Splitting a streamed Markdown text into frozen blocks and a live tail."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.markdown.blocks import BlockSplitter
from tests.helpers.scripted import ANSWER


def feed_all(pieces: list[str]) -> tuple[list[str], str]:
    splitter = BlockSplitter()
    blocks: list[str] = []
    for piece in pieces:
        blocks.extend(splitter.feed(piece))
    tail = splitter.tail
    return blocks + splitter.finish(), tail


def test_paragraphs_finish_at_a_blank_line() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("Hello wor") == []
    assert splitter.feed("ld.\n") == []
    assert splitter.feed("\nNext") == ["Hello world.\n\n"]
    assert splitter.tail == "Next"


def test_a_code_fence_stays_open_across_blank_lines() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("```python\nx = 1\n\ny = 2\n") == []
    assert splitter.in_code_fence
    assert splitter.feed("```\n") == ["```python\nx = 1\n\ny = 2\n```\n"]
    assert not splitter.in_code_fence


def test_a_heading_finishes_at_its_line_end() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("Intro\n## Title\nText") == ["Intro\n", "## Title\n"]
    assert splitter.tail == "Text"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=80))
def test_any_token_split_gives_the_same_blocks(cuts: list[int]) -> None:
    pieces, rest = [], ANSWER
    for cut in cuts:
        if not rest:
            break
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    assert feed_all(pieces)[0] == feed_all([ANSWER])[0]


def test_blocks_keep_every_visible_character() -> None:
    blocks, _ = feed_all([ANSWER])
    assert "".join(blocks).split() == ANSWER.split()
