"""What one app instance holds while it runs: log, backend, runners, metrics, and its shutdown.

Graceful shutdown is two steps. :meth:`ServerRuntime.begin_drain` (called by the serving layer
as soon as the process is asked to stop) ends every open event-stream response, so clients
resume elsewhere while the listener closes; :meth:`ServerRuntime.stop` (the app's lifespan end)
then cancels the runners, which close their streams, and releases the log and the backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Callable
from typing import cast

from desktop.server.auth import Authenticator
from desktop.server.backend import GenerationBackend
from desktop.server.faults import FaultLedger
from desktop.server.metrics import ServerMetrics
from desktop.server.runner import RunnerPool
from desktop.server.settings import ServerSettings
from desktop.server.stream_log import StreamLog, open_stream_log

log = logging.getLogger(__name__)
CANCEL_LISTENER_RETRY_S = 1.0


def load_backend(
    settings: ServerSettings, metrics: ServerMetrics | None = None
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
    )


class ServerRuntime:
    """The live parts of one app; ``app.state.runtime`` holds it."""

    def __init__(self, settings: ServerSettings, backend: GenerationBackend | None = None) -> None:
        self.settings = settings
        self.metrics = ServerMetrics()
        self.auth = Authenticator(settings.token)
        self.faults = FaultLedger()
        self.pool = RunnerPool()
        self.draining = False
        self._given_backend = backend
        self._backend: GenerationBackend | None = None
        self._log: StreamLog | None = None
        self._listener: asyncio.Task[None] | None = None

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
        self.draining = False
        self._log = open_stream_log(
            self.settings.redis_url, ttl=self.settings.ttl, key_prefix=self.settings.key_prefix
        )
        self._backend = self._given_backend or load_backend(self.settings, self.metrics)
        self._listener = asyncio.create_task(self._follow_cancellations(), name="cancellations")
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

    def begin_drain(self) -> None:
        """End every open event-stream response soon (the process is stopping)."""
        self.draining = True
        if self._log is not None:
            self._log.wake_readers()

    async def stop(self) -> None:
        """Cancel the runners and release the log and the backend."""
        self.begin_drain()
        await self.pool.cancel_all()
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._log is not None:
            await self._log.aclose()
        if self._backend is not None and self._given_backend is None:
            await self._backend.aclose()
        log.info("server_stopped")
