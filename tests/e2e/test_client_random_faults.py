"""A few seeds of the recovery benchmark as a test: random faults, the exact answer every time."""

from __future__ import annotations

import asyncio

import pytest
from servers.random_faults import one_run

pytestmark = pytest.mark.e2e


def test_random_fault_series_always_end_in_the_exact_answer() -> None:
    async def main() -> list[dict[str, object]]:
        return [await one_run(seed) for seed in range(7000, 7025)]

    results = asyncio.run(main())
    assert [r["seed"] for r in results if not r["exact"]] == []
    assert sum(sum(r["faults"].values()) for r in results) > 25  # type: ignore[attr-defined]
