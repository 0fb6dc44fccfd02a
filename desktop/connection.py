"""Which server answers, decided once for the window, ``ask`` and ``resume`` alike.

:class:`ServerConnection` resolves a URL, its protocol and a token from the command line, a
server profile, the keyring and the environment, and starts the embedded demo server when no
URL is given. Each entry point used to make these decisions itself (and drifted: the window
recorded embedded answers as unresumable, ``ask`` did not). Qt-free; the window resolves it in a
worker thread because starting the embedded server imports the server stack.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from desktop.protocol.backend_protocols import BackendProtocol
from desktop.settings import ServerProfile
from desktop.store.records import EMBEDDED_PROTOCOL
from desktop.streaming.config import ClientConfig, check_server_url

if TYPE_CHECKING:
    from desktop.server.embedded import EmbeddedServer

#: The environment variable with the bearer token, after ``--token`` and the keyring.
TOKEN_ENV: Final = "ASSIST_TOKEN"

#: ``profile name -> token`` from the OS keyring, or ``None``.
TokenLookup = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class EmbeddedOptions:
    """How to start the embedded demo server when no URL is given."""

    token_rate: float | None = None
    allow_faults: bool = False
    token: str | None = None


@dataclass(frozen=True, slots=True)
class ServerConnection:
    """A resolved server: where answers come from and how to reach it.

    Attributes:
        url: the server's base URL.
        protocol: the backend protocol to speak.
        token: the bearer token, if any.
        model: the model to ask for, if one is named.
        ca_file: extra CA certificates to trust for this server (the system store stays on).
        embedded: the demo server started for this connection, which :meth:`close` stops.
        problem: why a configured URL was not used (then the demo answers), for the user.
    """

    url: str
    protocol: BackendProtocol
    token: str | None = None
    model: str | None = None
    ca_file: str | None = None
    embedded: EmbeddedServer | None = None
    problem: str = ""

    @classmethod
    def resolve(
        cls,
        *,
        url: str | None = None,
        protocol: BackendProtocol | None = None,
        token: str | None = None,
        model: str | None = None,
        ca_file: str | None = None,
        profile: ServerProfile | None = None,
        embedded: EmbeddedOptions | None = None,
        env: Mapping[str, str] = os.environ,
        keyring: TokenLookup | None = None,
    ) -> ServerConnection:
        """Decide the server: an explicit ``url`` (a flag) wins over the profile's.

        The token comes from ``token`` (a flag), then the keyring: the entry of the profile
        whose URL is used, else the login kept for the server (``assist-desktop login``); then
        ``$ASSIST_TOKEN``. A CA file comes from ``ca_file`` or that profile. Without any URL the
        embedded demo server starts
        (it has its own token). A profile's URL that is not a valid server address is
        reported in :attr:`problem` and the demo answers instead.

        Raises:
            RuntimeError: the embedded server could not start.
        """
        problem = ""
        chosen = url
        if chosen is None and profile is not None and profile.url is not None:
            try:
                check_server_url(profile.url)
                chosen = profile.url
            except ValueError as exc:  # a profile edited by hand: say so, answer from the demo
                problem = f"{exc}. Fix it in Settings; the built-in demo answers now."
        from_profile = url is None and chosen is not None and profile is not None
        if protocol is None:
            protocol = profile.protocol if from_profile and profile is not None else "assist"
        if model is None and profile is not None:
            model = profile.model
        if chosen is None:
            return cls._embedded(embedded or EmbeddedOptions(token=token), model, problem)
        owner = profile.name if from_profile and profile is not None else None
        if token is None:
            token = stored_token(owner, chosen, keyring)
        token = token or env.get(TOKEN_ENV) or None
        if ca_file is None and from_profile and profile is not None:
            ca_file = profile.ca_file
        return cls(chosen, protocol, token, model, ca_file, problem=problem)

    @classmethod
    def _embedded(
        cls, options: EmbeddedOptions, model: str | None, problem: str
    ) -> ServerConnection:
        from desktop.server.embedded import EmbeddedServer

        server = EmbeddedServer(
            token_rate=options.token_rate, allow_faults=options.allow_faults, token=options.token
        )
        server.start()
        return cls(server.url, "assist", server.token, model, embedded=server, problem=problem)

    @property
    def recorded_protocol(self) -> str:
        """The protocol the cache records for its answers: the demo's streams die with it."""
        return EMBEDDED_PROTOCOL if self.embedded is not None else self.protocol

    def client_config(self, *, idle_timeout: float = 45.0, max_attempts: int = 8) -> ClientConfig:
        """The streaming client's settings for this server.

        Raises:
            ValueError: the CA file cannot be read.
        """
        return ClientConfig(
            base_url=self.url,
            token=self.token,
            idle_timeout=idle_timeout,
            max_attempts=max_attempts,
            ca_file=self.ca_file,
        )

    def close(self) -> None:
        """Stop the embedded server, if this connection started one (blocks briefly)."""
        if self.embedded is not None:
            self.embedded.stop()


def token_for_server(
    url: str,
    profiles: Iterable[ServerProfile] = (),
    *,
    token: str | None = None,
    env: Mapping[str, str] = os.environ,
    keyring: TokenLookup | None = None,
) -> str | None:
    """The token for a server a cached answer came from, by the rule of :meth:`resolve`."""
    if token:
        return token
    return stored_token(profile_of(url, profiles), url, keyring) or env.get(TOKEN_ENV) or None


def profile_of(url: str, profiles: Iterable[ServerProfile]) -> ServerProfile | None:
    """The profile for the server at ``url``, if one is configured."""
    wanted = url.rstrip("/")
    return next((p for p in profiles if p.url and p.url.rstrip("/") == wanted), None)


def stored_token(
    profile: ServerProfile | str | None, url: str, keyring: TokenLookup | None = None
) -> str | None:
    """The profile's token (typed into Settings), else the login kept for its server."""
    from desktop.credentials import server_key

    lookup = keyring or _keyring_token
    name = profile.name if isinstance(profile, ServerProfile) else profile
    return (lookup(name) if name else None) or lookup(server_key(url))


def _keyring_token(profile: str) -> str | None:
    """The keyring loads only when a token is looked up (the embedded demo needs none)."""
    from desktop.credentials import load_token

    return load_token(profile)
