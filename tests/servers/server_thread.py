"""The reference server app on a real uvicorn in a background thread, on a free loopback port.

Like ``EmbeddedServer``, but with any settings and an injected backend (a ``ScriptedBackend``), so
tests can drive the real HTTP surface over real sockets from their own thread or event loop;
``tls`` serves it over HTTPS with a test CA's certificate.
"""

from __future__ import annotations

from typing import Any

from servers.app_thread import UvicornThread

from desktop.server.app import create_app
from desktop.server.backend import GenerationBackend
from desktop.server.runtime import ServerRuntime
from desktop.server.serving import GracefulServer, build_server
from desktop.server.settings import ServerSettings


class ServerThread(UvicornThread):
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
        self._bind()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.server: GracefulServer = build_server(self.app, host="127.0.0.1", port=self.port)
        if tls is not None:  # (certificate chain PEM, key PEM): uvicorn loads them on start
            self.server.config.ssl_certfile, self.server.config.ssl_keyfile = tls
        self._prepare("server")


def _fields(settings: ServerSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}
