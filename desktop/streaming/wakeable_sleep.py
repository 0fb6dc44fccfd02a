"""A backoff wait that something else can cut short.

The reconnecting source and the health probe both sleep between tries, and both must stop
sleeping the moment the user presses Retry (or Stop): the sleep and the wake-up race, and the
loser is cancelled so no task outlives the wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def sleep_unless_woken(
    delay: float, wake: asyncio.Event, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> None:
    """Wait ``delay`` seconds (through ``sleep``, which tests replace), or until ``wake`` is
    set, whichever comes first. ``wake`` is left as it is: the caller decides when to clear it."""
    sleeper = asyncio.ensure_future(sleep(delay))
    waker = asyncio.ensure_future(wake.wait())
    try:
        await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        sleeper.cancel()
        waker.cancel()
