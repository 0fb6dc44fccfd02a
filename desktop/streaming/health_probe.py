"""Waiting for an unreachable server to answer again: a cheap request per try, backing off.

The queue of questions waits on this. Each try is one ``GET`` of the protocol's cheapest
endpoint; *any* HTTP answer (401 and 503 included) means the server is reachable again, because
then an answer's own request meets the server and reports its refusal as usual. Between tries
the wait is the streaming core's backoff (:func:`~desktop.streaming.retry.backoff_delay`: doubling,
capped, jittered), and :meth:`HealthProbe.wake` cuts it short (the user pressed Retry, the
network came back).
"""

from __future__ import annotations

import asyncio
import random as _random
from collections.abc import Awaitable, Callable
from typing import Final

import httpx

from desktop.protocol.backend_protocols import BackendProtocol
from desktop.protocol.upstream.ollama_chat import chat_url
from desktop.protocol.upstream.openai_chat import chat_completions_url
from desktop.streaming.config import ClientConfig
from desktop.streaming.retry import backoff_delay
from desktop.streaming.wakeable_sleep import sleep_unless_woken

#: One try waits this long for the answer's headers; a probe is tiny, a slow one means trouble.
PROBE_TIMEOUT_S: Final = 5.0
#: A server that answers no probe for this long is probed at most this often (the jitter
#: still spreads many clients out).
PROBE_BACKOFF_CAP_S: Final = 30.0


def probe_url(protocol: BackendProtocol, base_url: str) -> str:
    """The cheapest request a server of ``protocol`` answers: the Assist ``/healthz``, the
    OpenAI-compatible model list, Ollama's local model list, nscale-assist's token check."""
    root = base_url.rstrip("/")
    if protocol == "openai":
        return chat_completions_url(root).removesuffix("/chat/completions") + "/models"
    if protocol == "ollama":
        return chat_url(root).removesuffix("/chat") + "/tags"
    if protocol == "nscale":
        return root + "/api/auth/validate"
    return root + "/healthz"


class HealthProbe:
    """Tells when a server can be reached again.

    Args:
        client: the server's httpx client (the caller closes it).
        config: the server's address and token (a token-checking endpoint answers 401 without
            one, which still counts as reachable).
        protocol: picks the endpoint (:func:`probe_url`).
        sleep: awaited for every backoff delay (tests pass one that records the delays).
        random: uniform [0, 1) source for the jitter.

    Attributes:
        tries: probes sent so far (all runs of :meth:`wait_until_reachable`).
        failures: the failed tries in a row of the last wait.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        config: ClientConfig,
        protocol: BackendProtocol = "assist",
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self._client = client
        self._config = config
        self.url = probe_url(protocol, config.base_url)
        self._sleep = sleep
        self._random = random
        self._wake = asyncio.Event()
        self.tries = 0
        self.failures = 0

    async def reachable(self) -> bool:
        """One try: whether the server answered at all."""
        self.tries += 1
        try:
            response = await self._client.get(
                self.url, headers=self._config.auth_headers(), timeout=PROBE_TIMEOUT_S
            )
        except httpx.HTTPError:
            return False
        await response.aclose()
        return True

    async def wait_until_reachable(self, *, give_up_after: int | None = None) -> bool:
        """Probe until the server answers (``True``), or until ``give_up_after`` tries in a
        row have failed (``False``; ``None`` waits for good). Cancel the task to stop waiting.

        """
        self.failures = 0
        while not await self.reachable():
            self.failures += 1
            if give_up_after is not None and self.failures >= give_up_after:
                return False
            delay = backoff_delay(
                self.failures, retry_ms=None, cap=PROBE_BACKOFF_CAP_S, random=self._random
            )
            await self._pause(delay)
        return True

    def wake(self) -> None:
        """Probe again now instead of at the end of the current wait."""
        self._wake.set()

    async def _pause(self, delay: float) -> None:
        if self._wake.is_set():  # woken while the last try was under way
            self._wake.clear()
            return
        try:
            await sleep_unless_woken(delay, self._wake, self._sleep)
        finally:
            self._wake.clear()
