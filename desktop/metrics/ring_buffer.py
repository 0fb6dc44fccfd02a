"""A fixed-size numpy ring of float rows, cheap to append to and to hand to a chart.

Charts redraw from a contiguous array. The buffer stores every row twice, at ``i`` and at
``i + capacity``, so the newest ``n`` rows are always one contiguous slice (the layout
pyqtgraph's scrolling-plot example uses): :meth:`RingBuffer.view` copies nothing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


class RingBuffer:
    """Keeps the newest ``capacity`` rows of ``columns`` floats.

    Args:
        capacity: rows kept; the oldest row falls out when a new one arrives at capacity.
        columns: floats per row.
    """

    def __init__(self, capacity: int, columns: int = 1) -> None:
        if capacity < 1 or columns < 1:
            raise ValueError("capacity and columns must be at least 1")
        self.capacity = capacity
        self.columns = columns
        self._data: NDArray[np.float64] = np.zeros((2 * capacity, columns), dtype=np.float64)
        self._next = 0
        self._size = 0
        #: Rows appended since creation (or the last clear), including those that fell out.
        self.total = 0

    def __len__(self) -> int:
        return self._size

    def append(self, *values: float) -> None:
        """Add one row of exactly ``columns`` values."""
        i = self._next
        self._data[i] = values
        self._data[i + self.capacity] = values
        self._next = (i + 1) % self.capacity
        if self._size < self.capacity:
            self._size += 1
        self.total += 1

    def view(self) -> NDArray[np.float64]:
        """The rows oldest first, shape ``(len, columns)``; a read-only view, valid until the
        next append."""
        end = self._next + self.capacity if self._size == self.capacity else self._next
        view = self._data[end - self._size : end]
        view.flags.writeable = False
        return view

    def column(self, index: int) -> NDArray[np.float64]:
        """One column of :meth:`view`, oldest first."""
        return self.view()[:, index]

    def last(self) -> NDArray[np.float64] | None:
        """The newest row, or ``None`` when empty."""
        if self._size == 0:
            return None
        row: NDArray[np.float64] = self._data[(self._next - 1) % self.capacity]
        return row

    def clear(self) -> None:
        self._next = 0
        self._size = 0
        self.total = 0
