"""Any ASGI app on a real uvicorn in a background thread, on a free loopback port.

For the test doubles of other servers (the fake nscale-assist): the same socket-first start as
:class:`servers.server_thread.ServerThread`, so the port is known before the server runs, with
plain uvicorn on h11 (the HTTP implementation the captured servers ran on).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn


class UvicornThread:
    """A uvicorn server on a socket bound first (so the port is known before it runs), served
    from a daemon thread; a context manager that starts and stops it.

    Subclasses bind with :meth:`_bind`, build ``self.server`` and call :meth:`_prepare`.
    """

    #: Whether stopping cuts open responses instead of waiting for them to finish.
    force_exit_on_stop = False
    server: uvicorn.Server

    def _bind(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])

    def _prepare(self, name: str) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"{name}-{self.port}")

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            await self.server.serve(sockets=[self._sock])

        asyncio.run(main())

    def start(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = self.force_exit_on_stop
        self._thread.join(15)
        self._sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class AppThread(UvicornThread):
    force_exit_on_stop = True  # open streams must not hold the test up

    def __init__(self, app: Any, **config: Any) -> None:
        self._bind()
        self.url = f"http://127.0.0.1:{self.port}"
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "http": "h11",
            "lifespan": "off",
            "log_level": "critical",
            "access_log": False,
            "log_config": None,
            **config,
        }
        self.server = uvicorn.Server(uvicorn.Config(app, **options))
        self._prepare("app")
