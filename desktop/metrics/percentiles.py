"""Order statistics over small samples, without numpy (the recorder stays pure Python)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0 to 100) of already sorted values, linearly interpolated.

    Interpolation between closest ranks is numpy's default ("linear"), so figures agree with
    what a developer gets from ``numpy.percentile`` on exported samples.

    Returns:
        ``None`` for an empty sample.
    """
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    n = len(sorted_values)
    if n == 0:
        return None
    position = (n - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, n - 1)
    fraction = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * fraction
