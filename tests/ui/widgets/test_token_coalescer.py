"""The per-frame coalescer: many tokens, few flushes, nothing lost or reordered."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from desktop.ui.widgets.token_coalescer import FRAME_MS, MAX_INTERVAL_MS, TokenCoalescer


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
