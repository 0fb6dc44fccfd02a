"""A faithful fake of nscale-assist, the users' real backend, for tests and the gateway's work.

Built from the captures in the shared reference (``reference/nscale/captures``): the same
routes, statuses, headers and bytes (CRLF, the double SSE wrapping of
``/api/question/stream``, its 15 s pings, v1's run-together JSON objects, the 10 ms pacing,
the in-band markers and restarted answers, the 401/422/500 shapes, the double decoding of the
legacy question, generation that stops when the client leaves), on a real uvicorn (h11) on a
loopback port.

Use::

    with start_fake_nscale() as nscale:
        token = nscale.login_token()            # the default user's JWT
        nscale.fake.scripts.append(ollama_down())  # what the next question gets
        ...                                      # talk HTTP to nscale.url
        nscale.fake.generations[-1].state        # "complete", "disconnected", "cut"

Answer text: each question takes the next script of ``fake.scripts`` (first in, first out),
else ``fake.default(question)`` (a short German answer with umlauts and an emoji). The builders
in :mod:`servers.nscale.streams` give the captured failure scenarios.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from servers.app_thread import AppThread
from servers.nscale.app import FakeNscale, Generation
from servers.nscale.auth import User
from servers.nscale.streams import AnswerScript

EMAIL: Final = "tester@example.org"
PASSWORD: Final = "nscale-test-1"

__all__ = [
    "EMAIL",
    "PASSWORD",
    "AnswerScript",
    "FakeNscale",
    "Generation",
    "RunningNscale",
    "start_fake_nscale",
]


@dataclass
class RunningNscale:
    """A fake on a port: its ``url``, its state (``fake``) and the default ``user``."""

    url: str
    fake: FakeNscale
    user: User
    thread: AppThread

    def login_token(self, *, expires_in: float | None = None) -> str:
        """A JWT for the default user; ``expires_in`` < 0 gives an expired one."""
        if expires_in is None:
            return self.fake.accounts.token_for(self.user)
        return self.fake.accounts.token_for(self.user, expires_in=expires_in)

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.login_token()}"}


@contextlib.contextmanager
def start_fake_nscale(
    *, email: str = EMAIL, password: str = PASSWORD, **options: Any
) -> Iterator[RunningNscale]:
    """Run a fake nscale-assist for the block; ``options`` go to :class:`FakeNscale`
    (``token_delay``, ``ping_interval``, ``unpatched``, ``clock``)."""
    fake = FakeNscale(**options)
    user = fake.accounts.add(email, password)
    fake.history.create(user.id, "Capture")  # the capture's users start with session 1
    with AppThread(fake.app()) as thread:
        yield RunningNscale(thread.url, fake, user, thread)
