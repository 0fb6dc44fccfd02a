"""What one app instance holds while it runs: log, backend, runners, limits, and its shutdown.

Stopping is a drain, not a kill. :meth:`ServerRuntime.drain` (SIGTERM) first refuses new
starts (``503`` + ``Retry-After``) and reports ``/healthz`` as draining, so the load balancer
sends work elsewhere. With a shared log it also ends every event-stream response here and
refuses resumes, so readers resume on another replica through the balancer and nothing is
lost. Then it lets the running generations finish, for at most ``drain_timeout`` seconds.
:meth:`ServerRuntime.stop` (the app's lifespan end) stops what still runs: an answer that
another replica can continue is handed off (its lease released, see :mod:`.ownership`),
any other one ends with a non-resumable error; then the log and the backend are released.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import secrets
from collections.abc import Callable
from typing import cast

from desktop.server.auth import Authenticator
from desktop.server.backend import GenerationBackend
from desktop.server.continuation import continues
from desktop.server.conversation_sessions import (
    ConversationSessions,
    MemoryConversationSessions,
    RedisConversationSessions,
)
from desktop.server.faults import FaultLedger
from desktop.server.limits import LocalLimits, RedisLimits, StartLimits
from desktop.server.metrics import ServerMetrics
from desktop.server.ownership import Ownership
from desktop.server.read_tokens import ReadTokens
from desktop.server.runner import CancelReason, RunnerPool, StreamRunner
from desktop.server.settings import ServerSettings
from desktop.server.stream_log import StreamLog, open_stream_log

log = logging.getLogger(__name__)
CANCEL_LISTENER_RETRY_S = 1.0
#: Leases (and limit slots) are renewed this often; a lease lasts ``--lease-seconds`` (>= 2).
RENEW_EVERY_S = 1.0


def load_backend(
    settings: ServerSettings,
    metrics: ServerMetrics | None = None,
    conversations: ConversationSessions | None = None,
) -> GenerationBackend:
    """The backend the settings name; ``module:factory`` names a factory taking the settings."""
    if ":" in settings.backend:
        module_name, _, attribute = settings.backend.partition(":")
        factory = getattr(importlib.import_module(module_name), attribute)
        return cast(Callable[[ServerSettings], GenerationBackend], factory)(settings)
    # Imported on first use: the backends pull in their own dependencies (search index, HTTP).
    from desktop.server.backends import create_backend

    return create_backend(
        settings.backend,
        upstream_url=settings.upstream_url,
        model=settings.model,
        token_rate=settings.token_rate,
        api_key=settings.api_key,
        upstream_metrics=metrics.upstream if metrics is not None else None,
        upstream_ca=settings.upstream_ca,
        conversations=conversations,
    )


class ServerRuntime:
    """The live parts of one app; ``app.state.runtime`` holds it."""

    def __init__(self, settings: ServerSettings, backend: GenerationBackend | None = None) -> None:
        self.settings = settings
        self.metrics = ServerMetrics()
        self.auth = Authenticator(settings.token)
        self.read_tokens = ReadTokens(settings.token)
        self.faults = FaultLedger()
        self.pool = RunnerPool(on_finished=self._on_runner_finished)
        self.replica = secrets.token_hex(8)
        #: No new starts, ``/healthz`` 503 (set at the first SIGTERM).
        self.draining = False
        #: Event-stream responses here end (their readers resume, elsewhere when shared).
        self.releasing_readers = False
        self._given_backend = backend
        self._backend: GenerationBackend | None = None
        self._log: StreamLog | None = None
        self._limits: StartLimits | None = None
        self._ownership: Ownership | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._releases: set[asyncio.Task[None]] = set()

    @property
    def shared(self) -> bool:
        """Whether other replicas can serve this one's streams (the log is in Redis)."""
        return self.settings.redis_url is not None

    @property
    def limits(self) -> StartLimits:
        if self._limits is None:
            raise RuntimeError("the server runtime has not started")
        return self._limits

    @property
    def ownership(self) -> Ownership:
        if self._ownership is None:
            raise RuntimeError("the server runtime has not started")
        return self._ownership

    @property
    def backend(self) -> GenerationBackend:
        if self._backend is None:
            raise RuntimeError("the server runtime has not started")
        return self._backend

    @property
    def log(self) -> StreamLog:
        if self._log is None:
            raise RuntimeError("the server runtime has not started")
        return self._log

    async def start(self) -> None:
        """Open the log and the backend, and listen for other replicas' cancellations."""
        settings = self.settings
        self.draining = self.releasing_readers = False
        self._log = await open_stream_log(
            settings.redis_url,
            ttl=settings.ttl,
            key_prefix=settings.key_prefix,
            replica=self.replica,
            lease_seconds=settings.lease_seconds,
            cluster=settings.redis_cluster,
            buffer_events=settings.redis_buffer,
        )
        self._backend = self._given_backend or load_backend(
            settings, self.metrics, self._make_conversations()
        )
        self._limits = self._make_limits()
        self._ownership = Ownership(self._log, self.pool, self._backend, self.metrics)
        self._tasks = [
            asyncio.create_task(self._follow_cancellations(), name="cancellations"),
            asyncio.create_task(self._renew_forever(), name="lease-renewals"),
        ]
        log.info(
            "server_started backend=%s log=%s auth=%s faults=%s",
            self._backend.name,
            "redis" if self.settings.redis_url else "memory",
            "token" if self.auth.required else "open",
            "on" if self.settings.allow_faults else "off",
        )

    async def _follow_cancellations(self) -> None:
        """Cancel local runners that another replica was asked to stop (retrying on failure)."""
        while True:
            try:
                async for stream_id in self.log.cancellations():
                    if self.pool.is_running_here(stream_id):
                        await self.pool.cancel(stream_id)
                return  # the log closed
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("cancellation_listener_failed error=%s", type(exc).__name__)
                await asyncio.sleep(CANCEL_LISTENER_RETRY_S)

    def _make_conversations(self) -> ConversationSessions:
        """Where a gateway keeps each conversation's upstream session: beside the log."""
        from desktop.server.stream_log.redis_streams import RedisStreamLog

        if isinstance(self._log, RedisStreamLog):
            return RedisConversationSessions(self._log.redis, self._log.keys)
        return MemoryConversationSessions()

    def _make_limits(self) -> StartLimits:
        settings = self.settings
        from desktop.server.stream_log.redis_streams import RedisStreamLog

        if isinstance(self._log, RedisStreamLog):
            return RedisLimits(
                self._log.redis,
                self._log.keys,
                max_streams=settings.max_streams_per_token,
                starts_per_minute=settings.max_starts_per_minute,
                slot_seconds=settings.lease_seconds,
            )
        return LocalLimits(settings.max_streams_per_token, settings.max_starts_per_minute)

    async def _renew_forever(self) -> None:
        """Leases and the limit slots of running streams, renewed together once a second."""
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            await self.ownership.renew()
            running = [(r.owner, r.stream_id) for r in self.pool.runners()]
            try:
                await self.limits.renew(running)
            except Exception as exc:
                log.warning("limit_renewal_failed error=%s", type(exc).__name__)

    def _on_runner_finished(self, runner: StreamRunner) -> None:
        if self._limits is None:
            return
        task = asyncio.get_running_loop().create_task(
            self._limits.release(runner.owner, runner.stream_id)
        )
        self._releases.add(task)
        task.add_done_callback(self._release_done)

    def _release_done(self, task: asyncio.Task[None]) -> None:
        self._releases.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("limit_release_failed error=%s", type(task.exception()).__name__)

    async def drain(self) -> None:
        """SIGTERM: refuse new starts, move readers away, let running generations finish."""
        if self.draining:
            return
        self.draining = True
        self.metrics.drains.inc()
        self.metrics.draining.set(1)
        log.info("drain_started streams=%d timeout=%s", len(self.pool), self.settings.drain_timeout)
        if self.shared:
            self.release_readers()
        finished = await self.pool.wait_empty(self.settings.drain_timeout)
        log.info("drain_finished complete=%s streams_left=%d", finished, len(self.pool))

    def release_readers(self) -> None:
        """End every open event-stream response soon (its reader resumes)."""
        self.releasing_readers = True
        if self._log is not None:
            self._log.wake_readers()

    def begin_drain(self) -> None:
        """The process is about to close its connections: end the event streams now."""
        self.draining = True
        self.release_readers()

    def _stop_reason(self, runner: StreamRunner) -> CancelReason:
        if self.shared and self._backend is not None and continues(self._backend, runner.request):
            return "handoff"
        return "shutdown"

    async def stop(self) -> None:
        """Stop the runners (handing off what another replica can continue), release the rest."""
        self.begin_drain()
        await self.pool.cancel_all(self._stop_reason)
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._ownership is not None:
            await self._ownership.aclose()
        if self._releases:
            await asyncio.wait(list(self._releases), timeout=2)
        if self._log is not None:
            await self._log.aclose()
        if self._backend is not None and self._given_backend is None:
            await self._backend.aclose()
        log.info("server_stopped")
