"""The reference server app on a real uvicorn in a background thread, on a free loopback port.

Like ``EmbeddedServer``, but with any settings and an injected backend (a ``ScriptedBackend``), so
tests can drive the real HTTP surface over real sockets from their own thread or event loop;
``tls`` serves it over HTTPS with a test CA's certificate.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

from desktop.server.app import create_app
from desktop.server.backend import GenerationBackend
from desktop.server.runtime import ServerRuntime
from desktop.server.serving import GracefulServer, build_server
from desktop.server.settings import ServerSettings


class ServerThread:
    def __init__(
        self,
        settings: ServerSettings | None = None,
        backend: GenerationBackend | None = None,
        *,
        tls: tuple[str, str] | None = None,
        **overrides: Any,
    ) -> None:
        base = settings or ServerSettings(keepalive=15.0)
        self.settings = ServerSettings(**{**_fields(base), **overrides, "host": "127.0.0.1"})
        self.app = create_app(self.settings, backend=backend)
        self.runtime: ServerRuntime = self.app.state.runtime
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.server: GracefulServer = build_server(self.app, host="127.0.0.1", port=self.port)
        if tls is not None:  # (certificate chain PEM, key PEM): uvicorn loads them on start
            self.server.config.ssl_certfile, self.server.config.ssl_keyfile = tls
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"server-{self.port}")

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


def _fields(settings: ServerSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}
