"""The reference server inside another program: uvicorn in a daemon thread, on loopback only.

The desktop app and the ``ask`` command use it when no server is configured, so that the first
run works offline. The thread has its own event loop; the caller's thread only waits for the
listening socket (bound here first, so the port is known before uvicorn starts) and, on
:meth:`EmbeddedServer.stop`, for uvicorn's graceful shutdown.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from types import TracebackType

from desktop.server.app import create_app
from desktop.server.serving import GracefulServer, build_server
from desktop.server.settings import DEFAULT_TOKEN_RATE, ServerSettings

LOOPBACK = "127.0.0.1"


class EmbeddedServer:
    """A reference server on ``127.0.0.1`` for the lifetime of this object (or ``with`` block).

    Attributes:
        url: ``http://127.0.0.1:<port>`` (the port is known after :meth:`start`).
        token: the bearer token clients must send; random per run unless given.
    """

    def __init__(
        self,
        *,
        backend: str = "demo",
        token_rate: float | None = None,
        allow_faults: bool = False,
        port: int = 0,
        token: str | None = None,
    ) -> None:
        # Hex, so the token never starts with '-' and reads as a command-line option.
        self.token = token if token is not None else secrets.token_hex(24)
        self._settings = ServerSettings(
            host=LOOPBACK,
            port=port,
            backend=backend,
            token=self.token,
            allow_faults=allow_faults,
            token_rate=DEFAULT_TOKEN_RATE if token_rate is None else token_rate,
        )
        self._socket: socket.socket | None = None
        self._server: GracefulServer | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"

    @property
    def settings(self) -> ServerSettings:
        return self._settings

    def start(self, timeout: float = 10.0) -> None:
        """Start serving and return once the server accepts connections.

        Raises:
            RuntimeError: already started, or the server failed or did not come up in time.
        """
        if self._thread is not None:
            raise RuntimeError("the embedded server is already running")
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
        # without it every keep-alive response waits for the peer's delayed ACK (about 40 ms).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((LOOPBACK, self._settings.port))
        self._socket = sock
        self.port = int(sock.getsockname()[1])
        self.url = f"http://{LOOPBACK}:{self.port}"
        server = build_server(create_app(self._settings), host=LOOPBACK, port=self.port)
        self._server = server
        self._thread = threading.Thread(
            target=self._run, args=(server, sock), name="embedded-assist-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if self._error is not None or not self._thread.is_alive():
                error = self._error
                self._cleanup()
                raise RuntimeError(f"the embedded server failed to start: {error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the embedded server did not start within {timeout} s")
            time.sleep(0.01)

    def _run(self, server: GracefulServer, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._error = exc

    def stop(self, timeout: float = 5.0) -> None:
        """Shut down gracefully (live streams end, runners are cancelled) and join the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(timeout)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
        self._thread = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
