"""TokenBatcher: batches bounded by size and by time, nothing lost or reordered."""

from __future__ import annotations

import asyncio

import pytest

from desktop.streaming.batcher import TokenBatcher


def test_a_full_batch_is_delivered_at_once() -> None:
    async def scenario() -> list[list[str]]:
        batches: list[list[str]] = []
        batcher = TokenBatcher(batches.append, max_tokens=3, max_delay=60)
        for piece in "abcdefg":
            batcher.add(piece)
        delivered = list(batches)
        await batcher.aclose()
        return [*delivered, ["--"], *batches[len(delivered) :]]

    assert asyncio.run(scenario()) == [["a", "b", "c"], ["d", "e", "f"], ["--"], ["g"]]


def test_a_partial_batch_is_delivered_after_the_delay() -> None:
    async def scenario() -> tuple[list[list[str]], list[list[str]]]:
        batches: list[list[str]] = []
        batcher = TokenBatcher(batches.append, max_tokens=100, max_delay=0.01)
        batcher.add("x")
        batcher.add("y")
        before = list(batches)
        await asyncio.sleep(0.05)  # the timer has certainly fired by now
        return before, batches

    before, after = asyncio.run(scenario())
    assert before == []
    assert after == [["x", "y"]]


def test_flush_now_delivers_the_pending_pieces_and_disarms_the_timer() -> None:
    async def scenario() -> list[list[str]]:
        batches: list[list[str]] = []
        batcher = TokenBatcher(batches.append, max_tokens=100, max_delay=0.01)
        batcher.add("x")
        batcher.flush_now()
        batcher.flush_now()  # nothing pending: no empty batch
        await asyncio.sleep(0.03)
        return batches

    assert asyncio.run(scenario()) == [["x"]]


def test_many_pieces_arrive_complete_and_in_order() -> None:
    async def scenario() -> tuple[str, int]:
        out: list[str] = []
        batcher = TokenBatcher(lambda batch: out.append("".join(batch)), max_tokens=5)
        for i in range(1003):
            batcher.add(f"{i},")
            if i % 97 == 0:
                await asyncio.sleep(0)
        await batcher.aclose()
        return "".join(out), batcher.batches

    text, batches = asyncio.run(scenario())
    assert text == "".join(f"{i}," for i in range(1003))
    assert batches == 201  # 200 full batches of 5, then the last 3


@pytest.mark.parametrize(("size", "delay"), [(0, 0.1), (5, -1.0)])
def test_nonsensical_bounds_are_refused(size: int, delay: float) -> None:
    with pytest.raises(ValueError, match="must"):
        TokenBatcher(lambda batch: None, max_tokens=size, max_delay=delay)
