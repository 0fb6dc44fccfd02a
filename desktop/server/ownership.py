"""Generation ownership across replicas: renewing this process's leases, taking over dead ones.

The replica generating a stream holds its lease (a Redis key with a short expiry) and renews
all of its leases once a second in one pipeline. A renewal that finds a lease gone or taken
means another replica now owns the stream: the local runner stops without writing (its writes
would be refused anyway, see :mod:`desktop.server.stream_log.redis_scripts`).

Any replica serving a reader of a running stream that makes no progress asks, at most once a
second per stream, whether its lease is still held. When it is not (the owner was killed, lost
power or was cut off), the replica tries to take the stream over; exactly one of all the
replicas asking wins. The winner continues the answer where the log stands when the backend
can produce it again (:mod:`desktop.server.continuation`); otherwise it ends the stream with a
non-resumable ``error`` and ``done``, so no reader waits for an answer that will never come.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import UTC, datetime
from typing import Final

from desktop.protocol.events import Done, StreamError
from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import encode_event
from desktop.server.backend import GenerationBackend
from desktop.server.continuation import (
    ORPHAN_MESSAGE,
    ContinuableBackend,
    LoggedPosition,
    logged_position,
)
from desktop.server.metrics import ServerMetrics
from desktop.server.runner import RunnerPool, StreamRunner
from desktop.server.stream_log import Adoption, EntryKind, LeaseLost, StreamLog

#: A reader asks about a stream's owner at most this often (per stream and replica).
CHECK_EVERY_S: Final = 1.0
log = logging.getLogger(__name__)


class Ownership:
    """This process's side of the leases: renewals, and takeovers of streams it serves."""

    def __init__(
        self,
        stream_log: StreamLog,
        pool: RunnerPool,
        backend: GenerationBackend,
        metrics: ServerMetrics,
    ) -> None:
        self._log = stream_log
        self._pool = pool
        self._backend = backend
        self._metrics = metrics
        self._checked: dict[str, float] = {}
        self._checking: dict[str, asyncio.Task[None]] = {}
        self._orphans: set[asyncio.Task[None]] = set()

    async def renew(self) -> None:
        """Renew every lease of this process (once a second); stop runners whose lease is gone."""
        ids = self._pool.stream_ids()
        try:
            lost = await self._log.renew_leases(ids)
        except Exception as exc:  # Redis away: the leases are reclaimed when it is back
            log.warning("lease_renewal_failed streams=%d error=%s", len(ids), type(exc).__name__)
            return
        for stream_id in lost:
            await self._pool.cancel(stream_id, "lease_lost")
        self._forget_old_checks()

    async def watch(self, stream_id: str) -> None:
        """A reader here sees no progress: check the owner (shared per stream, throttled)."""
        if self._pool.is_running_here(stream_id):
            return
        running = self._checking.get(stream_id)
        if running is None:
            now = time.monotonic()
            if now - self._checked.get(stream_id, 0.0) < CHECK_EVERY_S:
                return
            self._checked[stream_id] = now
            running = asyncio.create_task(self._check(stream_id), name=f"owner-{stream_id}")
            self._checking[stream_id] = running
            running.add_done_callback(lambda _t: self._checking.pop(stream_id, None))
        await asyncio.shield(running)

    async def _check(self, stream_id: str) -> None:
        try:
            if await self._log.owner_alive(stream_id):
                return
            adoption = await self._log.take_over(stream_id)
        except Exception as exc:  # the reader's next empty read asks again
            log.warning("owner_check_failed stream_id=%s error=%s", stream_id, exc)
            return
        if adoption is not None:
            await self._adopt(adoption)

    async def _adopt(self, adoption: Adoption) -> None:
        position = logged_position(adoption.frames)
        request = _request_of(adoption)
        backend = self._backend
        if (
            request is not None
            and isinstance(backend, ContinuableBackend)
            and backend.can_continue(request)
        ):
            try:
                generation = await backend.open_at(request, position.tokens)
            except Exception as exc:
                log.warning("takeover_open_failed stream_id=%s error=%s", adoption.stream_id, exc)
            else:
                self._metrics.takeovers.labels("continued").inc()
                log.info(
                    "stream_taken_over stream_id=%s next_id=%d tokens=%d",
                    adoption.stream_id,
                    position.next_id,
                    position.tokens,
                )
                self._pool.start(
                    StreamRunner(
                        stream_id=adoption.stream_id,
                        owner=adoption.owner,
                        request=request,
                        generation=generation,
                        backend=backend,
                        stream_log=self._log,
                        metrics=self._metrics,
                        started_at=_started_at(position),
                        position=position,
                    )
                )
                return
        self._metrics.takeovers.labels("ended").inc()
        task = asyncio.create_task(self._end(adoption.stream_id, position))
        self._orphans.add(task)
        task.add_done_callback(self._orphans.discard)
        await asyncio.shield(task)

    async def _end(self, stream_id: str, position: LoggedPosition) -> None:
        """Close a stream nobody can continue: a plain, non-resumable error, then ``done``."""
        error = StreamError(position.next_id, "upstream", ORPHAN_MESSAGE, resumable=False)
        done = Done(position.next_id + 1, "error", duration_ms=None)
        log.warning("stream_orphaned stream_id=%s next_id=%d", stream_id, position.next_id)
        self._metrics.errors.labels("upstream").inc()
        try:
            await self._log.append(stream_id, error.id, encode_event(error))
            await self._log.append(stream_id, done.id, encode_event(done), EntryKind.FINAL)
            await self._log.finish(stream_id, "failed")
        except LeaseLost:
            self._metrics.lease_losses.inc()
        except Exception as exc:  # the lease expires; a reader's replica tries again
            log.warning("orphan_close_failed stream_id=%s error=%s", stream_id, exc)

    def _forget_old_checks(self) -> None:
        horizon = time.monotonic() - 60 * CHECK_EVERY_S
        for stream_id in [s for s, at in self._checked.items() if at < horizon]:
            del self._checked[stream_id]

    async def aclose(self) -> None:
        for task in [*self._checking.values(), *self._orphans]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _request_of(adoption: Adoption) -> ChatRequest | None:
    if adoption.request is None:
        return None
    try:
        return ChatRequest.from_json(json.loads(adoption.request))
    except ValueError:
        return None


def _started_at(position: LoggedPosition) -> float:
    """The monotonic time the stream started at, from its ``stream`` event (for duration_ms)."""
    if position.created_at is None:
        return time.monotonic()
    age = (datetime.now(UTC) - position.created_at).total_seconds()
    return time.monotonic() - max(0.0, age)
