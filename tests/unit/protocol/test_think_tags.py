"""Splitting a leading ``<think>`` block off an answer's content, however it is chunked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.protocol.upstream.think_tags import Part, ThinkTagSplitter


def split(chunks: list[str]) -> tuple[str, str]:
    splitter = ThinkTagSplitter()
    parts: list[Part] = []
    for chunk in chunks:
        parts += splitter.feed(chunk)
    parts += splitter.close()
    thinking = "".join(text for kind, text in parts if kind == "thinking")
    answer = "".join(text for kind, text in parts if kind == "answer")
    return thinking, answer


def chunked(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


def test_a_leading_block_becomes_thinking() -> None:
    assert split(["<think>\nweigh it\n</think>\n\nThe answer."]) == ("\nweigh it\n", "The answer.")


def test_text_without_a_block_is_all_answer() -> None:
    assert split(["Just ", "an answer <think>not this</think>"]) == (
        "",
        "Just an answer <think>not this</think>",
    )


def test_an_unclosed_block_is_all_thinking() -> None:
    assert split(["<think>still", " thinking"]) == ("still thinking", "")


def test_a_lone_angle_bracket_is_answer_text() -> None:
    assert split(["<", "b>bold</b>"]) == ("", "<b>bold</b>")


@given(st.lists(st.integers(min_value=0, max_value=200), max_size=12))
def test_any_chunking_gives_the_same_split(cuts: list[int]) -> None:
    text = "  <think>Plan: search, then answer.</think>\n\nUse **Export** <think>x</think>."
    assert split(chunked(text, cuts)) == (
        "Plan: search, then answer.",
        "Use **Export** <think>x</think>.",
    )
