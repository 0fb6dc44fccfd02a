"""Running the app on uvicorn with a shutdown that ends live event streams first.

uvicorn's own graceful shutdown waits for every response to finish, which an event stream
following a long answer never does on its own. :class:`GracefulServer` tells the app to end its
event-stream responses as soon as shutdown begins (clients then resume, on another replica when
the log is shared), and only then lets uvicorn close connections and run the lifespan end.
"""

from __future__ import annotations

import socket

import uvicorn
from starlette.applications import Starlette

from desktop.server.runtime import ServerRuntime

GRACEFUL_TIMEOUT_S = 5


class GracefulServer(uvicorn.Server):
    """A uvicorn server that drains the app's event streams before closing connections."""

    def __init__(self, config: uvicorn.Config, runtime: ServerRuntime) -> None:
        super().__init__(config)
        self._runtime = runtime

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
