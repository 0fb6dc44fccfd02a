from __future__ import annotations

import numpy as np
import pytest

from desktop.metrics.ring_buffer import RingBuffer


def test_rows_come_back_oldest_first_until_capacity() -> None:
    ring = RingBuffer(4, 2)
    for i in range(3):
        ring.append(i, i * 10)
    assert len(ring) == 3
    np.testing.assert_array_equal(ring.view(), [[0, 0], [1, 10], [2, 20]])


def test_the_oldest_rows_fall_out_and_the_view_stays_contiguous() -> None:
    ring = RingBuffer(3)
    for i in range(10):
        ring.append(i)
    view = ring.view()
    np.testing.assert_array_equal(view[:, 0], [7, 8, 9])
    assert view.base is not None  # a view into the buffer, not a copy
    assert ring.total == 10
    last = ring.last()
    assert last is not None
    assert last[0] == 9


def test_the_view_cannot_be_written_through() -> None:
    ring = RingBuffer(2)
    ring.append(1.0)
    with pytest.raises(ValueError, match="read-only"):
        ring.view()[0, 0] = 5.0


def test_clear_empties_the_ring() -> None:
    ring = RingBuffer(2)
    ring.append(1.0)
    ring.clear()
    assert len(ring) == 0
    assert ring.last() is None
    assert ring.view().shape == (0, 1)
