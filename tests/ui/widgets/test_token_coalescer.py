"""The per-frame coalescer: many tokens, few flushes, nothing lost or reordered."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from desktop.ui.widgets.token_coalescer import (
    FRAME_MS,
    MAX_INTERVAL_MS,
    PIECES_PER_FLUSH,
    SPARSE_MAX_MS,
    TokenCoalescer,
)


def test_many_tokens_are_coalesced_into_few_flushes(qtbot: QtBot) -> None:
    received: list[str] = []
    coalescer = TokenCoalescer(received.append, max_chars=100_000)
    for i in range(5000):
        coalescer.push(f"t{i} ")
    qtbot.waitUntil(lambda: not coalescer.pending)
    assert coalescer.flush_count <= 2
    assert "".join(received) == "".join(f"t{i} " for i in range(5000))


def test_a_backlog_drains_in_bounded_slices_in_order(qtbot: QtBot) -> None:
    received: list[str] = []
    drained: list[bool] = []
    coalescer = TokenCoalescer(received.append, max_chars=1000)
    coalescer.drained = lambda: drained.append(True)
    text = "".join(f"t{i} " for i in range(2000))
    for piece in text.split(" "):
        coalescer.push(piece + " ")
    qtbot.waitUntil(lambda: not coalescer.pending, timeout=10_000)
    assert max(map(len, received)) <= 1000
    assert len(received) >= len(text) // 1000
    assert "".join(received).rstrip() == text.rstrip()
    assert drained == [True]


def test_a_slow_flush_stretches_the_next_interval(qtbot: QtBot) -> None:
    def slow(_text: str) -> None:
        time.sleep(0.02)

    coalescer = TokenCoalescer(slow)
    coalescer.push("a")
    coalescer.flush()
    assert coalescer.interval_ms >= 4 * 20
    assert coalescer.interval_ms <= MAX_INTERVAL_MS


def test_a_cheap_flush_keeps_one_frame(qtbot: QtBot) -> None:
    coalescer = TokenCoalescer(lambda _text: None)
    coalescer.push("a")
    coalescer.flush()
    assert coalescer.interval_ms == FRAME_MS


def test_discard_drops_pending_text_and_stops_the_timer(qtbot: QtBot) -> None:
    received: list[str] = []
    coalescer = TokenCoalescer(received.append)
    coalescer.push("lost")
    coalescer.discard()
    qtbot.wait(FRAME_MS * 3)
    assert received == []
    assert not coalescer.pending


class SteppedClock:
    """A stream's pace without waiting: each reading is ``step`` seconds after the last."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.now = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def paced_interval(step: float, pieces: int = 20) -> int:
    """The wait a coalescer picks for the next piece after ``pieces`` arrived ``step`` apart."""
    coalescer = TokenCoalescer(lambda _text: None, clock=SteppedClock(step))
    for i in range(pieces):
        coalescer.push(f"w{i} ")
        coalescer.flush()
    coalescer.push("next ")
    interval = coalescer.interval_ms
    coalescer.discard()
    return interval


def test_a_slow_stream_shares_a_flush_between_pieces(qtbot: QtBot) -> None:
    assert paced_interval(0.020) == SPARSE_MAX_MS  # 50 tokens/s: 2-3 words per flush
    assert paced_interval(0.010) == PIECES_PER_FLUSH * 10  # 100 tokens/s
    assert paced_interval(5.0) == SPARSE_MAX_MS  # a stall never holds text back longer


def test_a_fast_stream_keeps_one_flush_per_frame(qtbot: QtBot) -> None:
    assert paced_interval(0.001) == FRAME_MS
    assert paced_interval(0.0) == FRAME_MS


def test_the_first_piece_waits_one_frame(qtbot: QtBot) -> None:
    coalescer = TokenCoalescer(lambda _text: None, clock=SteppedClock(10.0))
    coalescer.push("first")
    assert coalescer.interval_ms == FRAME_MS
    coalescer.discard()


def test_a_slow_view_outweighs_a_fast_stream(qtbot: QtBot) -> None:
    def slow(_text: str) -> None:
        time.sleep(0.02)

    coalescer = TokenCoalescer(slow, clock=SteppedClock(0.001))
    coalescer.push("a")
    coalescer.flush()
    coalescer.push("b")
    assert coalescer.interval_ms >= 4 * 20
    coalescer.discard()


def test_paced_flushes_lose_and_reorder_nothing(qtbot: QtBot) -> None:
    received: list[str] = []
    coalescer = TokenCoalescer(received.append)
    words = [f"w{i} " for i in range(12)]
    for word in words:
        coalescer.push(word)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: not coalescer.pending)
    assert "".join(received) == "".join(words)
