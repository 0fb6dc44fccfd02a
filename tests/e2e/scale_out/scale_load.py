"""Many answers at once through the project's own client, and the text each one must have; the
demo replicas' options, their metrics, and a rolling restart under that load."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import httpx
from servers.replicas import Replica, rolling_restart

from desktop.protocol.events import Done, StreamError, Token
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.server.backends.demo import DemoBackend
from desktop.server.backends.knowledge import KnowledgeBase
from desktop.streaming.config import ClientConfig
from desktop.streaming.source import ReconnectingEventSource

QUESTIONS = (
    "How do I export a conversation?",
    "Wie setze ich mein Passwort zurück?",
    "How does the full-text search syntax work?",
    "Wie funktioniert die Freigabe im Workflow?",
    "How do I install the client?",
    "Was passiert bei der DSGVO-Löschung?",
)


def request_for(index: int, tokens: int) -> ChatRequest:
    question = QUESTIONS[index % len(QUESTIONS)]
    return ChatRequest(f"{question} ({index})", options=ChatOptions(max_tokens=tokens))


@cache
def _knowledge() -> KnowledgeBase:
    return KnowledgeBase.load()


def expected_text(request: ChatRequest) -> str:
    """The demo backend's uninterrupted answer, generated here at full speed."""

    async def generate() -> str:
        generation = await DemoBackend(_knowledge(), token_rate=0).open(request)
        return "".join([e.content async for e in generation.events() if isinstance(e, Token)])

    return asyncio.run(generate())


@dataclass
class Answer:
    """What one client got."""

    request: ChatRequest
    text: str = ""
    done: Done | None = None
    error: StreamError | None = None
    reconnects: int = 0
    finished_at: float = 0.0
    terminal: str = ""
    ids: list[int] = field(default_factory=list)


async def ask(client: httpx.AsyncClient, config: ClientConfig, request: ChatRequest) -> Answer:
    answer = Answer(request)
    source = ReconnectingEventSource(client, config, request)
    async for event in source.events():
        if isinstance(event, Token):
            answer.text += event.content
        elif isinstance(event, Done):
            answer.done = event
        elif isinstance(event, StreamError) and not event.resumable:
            answer.error = event
        answer.terminal = type(event).__name__
    answer.reconnects = source.stats.reconnects
    answer.finished_at = time.monotonic()
    return answer


async def ask_many(
    url: str, token: str, requests: Sequence[ChatRequest], *, spread_s: float = 0.0
) -> list[Answer]:
    """Every request as its own stream through ``url``, started over ``spread_s`` seconds."""
    config = ClientConfig(base_url=url, token=token, max_attempts=12, backoff_cap=4.0)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=config.timeout, limits=limits) as client:

        async def one(index: int, request: ChatRequest) -> Answer:
            await asyncio.sleep(spread_s * index / max(1, len(requests)))
            return await ask(client, config, request)

        return await asyncio.gather(*(one(i, r) for i, r in enumerate(requests)))


def demo_replica_args(redis_url: str, rate: str, prefix: str, *extra: str) -> list[str]:
    """``serve`` options of a demo-backend replica on the shared Redis (keys under ``prefix``)."""
    return [
        "--backend", "demo", "--token-rate", rate, "--redis-url", redis_url,
        "--redis-key-prefix", prefix, *extra,
    ]  # fmt: skip


def metric(text: str, name: str) -> float:
    """A metric's value in a ``/metrics`` text: ``name`` with its labels, or the sum of all."""
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


async def ask_across_a_rolling_restart(
    url: str,
    token: str,
    replicas: Sequence[Replica],
    requests: Sequence[ChatRequest],
    *,
    spread_s: float,
    restart_after_s: float,
) -> list[Answer]:
    """Ask ``requests`` through ``url`` while every replica is restarted in turn."""
    load = asyncio.create_task(ask_many(url, token, requests, spread_s=spread_s))
    await asyncio.sleep(restart_after_s)
    for replica in replicas:
        await asyncio.to_thread(rolling_restart, replica)
    return await load
