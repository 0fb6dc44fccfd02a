"""Running the app on uvicorn with a shutdown that drains first and ends live event streams.

The first SIGTERM (or SIGINT) does not stop uvicorn at once: the listener stays open while the
app drains (:meth:`ServerRuntime.drain`: starts refused, ``/healthz`` 503, generations allowed
to finish within ``--drain-timeout``), so the load balancer sees the replica leave and clients
are told to go elsewhere instead of being refused a connection. A second signal stops at once.

uvicorn's own graceful shutdown waits for every response to finish, which an event stream
following a long answer never does on its own. :class:`GracefulServer` tells the app to end its
event-stream responses as soon as shutdown begins (clients then resume, on another replica when
the log is shared), and only then lets uvicorn close connections and run the lifespan end.
"""

from __future__ import annotations

import asyncio
import socket
from types import FrameType

import uvicorn
from starlette.applications import Starlette

from desktop.server.runtime import ServerRuntime

GRACEFUL_TIMEOUT_S = 5


class GracefulServer(uvicorn.Server):
    """A uvicorn server that drains the app's event streams before closing connections."""

    def __init__(self, config: uvicorn.Config, runtime: ServerRuntime) -> None:
        super().__init__(config)
        self._runtime = runtime
        self._drain: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().startup(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """The first stop signal drains, and exits once drained; a second one exits now."""
        if self._drain is not None or self._loop is None or not self.started:
            super().handle_exit(sig, frame)
            return
        self._captured_signals.append(sig)  # re-raised after shutdown, as uvicorn does
        self._loop.call_soon_threadsafe(self.begin_drain)

    def begin_drain(self) -> None:
        """Drain the app, then let uvicorn shut down (also for in-process servers)."""
        if self._drain is None:
            self._drain = asyncio.get_running_loop().create_task(self._drain_then_exit())

    async def _drain_then_exit(self) -> None:
        try:
            await self._runtime.drain()
        finally:
            self.should_exit = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._runtime.begin_drain()
        await super().shutdown(sockets)


def build_server(
    app: Starlette, *, host: str, port: int, log_level: str = "warning", access_log: bool = False
) -> GracefulServer:
    """A :class:`GracefulServer` for an app made by ``create_app``."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_TIMEOUT_S,
        log_config=None,
    )
    runtime: ServerRuntime = app.state.runtime
    return GracefulServer(config, runtime)
