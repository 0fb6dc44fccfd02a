"""A generation backend that plays a fixed script: events with optional delays and failures.

It lets the server's tests and benchmark say exactly what generation produces, independent of the
demo backend's retrieval. The answer depends only on the request, so a resume, a second replica
or a retry after an upstream error can be checked for the exact text.

``create(settings)`` is the factory the server loads for the backend name
``tests.servers.scripted_backend:create`` (benchmarks run the server as a subprocess that way):
``settings.token_rate`` paces the tokens and the request's ``options.max_tokens`` sets the
answer's length.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from desktop.protocol.events import Done, Thinking, Token, ToolUse, Usage, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.server.backend import ANONYMOUS, Caller, GenerationInfo, UpstreamError
from desktop.server.settings import ServerSettings


@dataclass(frozen=True)
class Step:
    """One scripted event (or failure), after ``delay`` seconds."""

    item: WireEvent | Exception  #: an exception is raised (an UpstreamError, or a bug)
    delay: float = 0.0
    gate: threading.Event | None = None  #: set by the test thread to let this step through


def answer_words(request: ChatRequest, count: int | None = None) -> list[str]:
    """The deterministic answer tokens for ``request``: words with their trailing space."""
    n = count or request.options.max_tokens or 40
    seed = sum(map(ord, request.message)) % 97
    return [f"w{(seed + i) % 1000}{'.' if i % 9 == 8 else ''} " for i in range(n)]


def expected_text(request: ChatRequest, count: int | None = None) -> str:
    return "".join(answer_words(request, count))


def answer_script(
    request: ChatRequest, *, count: int | None = None, delay: float = 0.0
) -> list[Step]:
    """Thinking, a tool call, the answer tokens, then ``done``."""
    steps = [
        Step(Thinking(0, message="Analysiere Ihre Anfrage...")),
        Step(ToolUse(0, call_id="c1", tool="document_search", status="started", input={"q": "x"})),
        Step(
            ToolUse(
                0, call_id="c1", tool="document_search", status="completed", output={"hits": []}
            )
        ),
    ]
    steps += [Step(Token(0, word, 0), delay) for word in answer_words(request, count)]
    steps.append(Step(Done(0, "stop", Usage(prompt_tokens=len(request.message.split())))))
    return steps


Script = Callable[[ChatRequest, int], Sequence[Step]]


class ScriptedGeneration:
    def __init__(self, steps: Sequence[Step], info: GenerationInfo) -> None:
        self.info = info
        self._steps = steps

    async def events(self) -> AsyncIterator[WireEvent]:
        for step in self._steps:
            # Like a real backend (and the demo at token rate 0), give the loop a turn per step.
            await asyncio.sleep(step.delay)
            # The gate is a threading.Event set from the test thread, so it is polled.
            while step.gate is not None and not step.gate.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.005)
            if isinstance(step.item, Exception):
                raise step.item
            yield step.item


class ScriptedBackend:
    """Plays ``script(request, attempt)``; ``attempt`` counts opens of the same message from 0."""

    name = "scripted"

    def __init__(
        self,
        script: Script | None = None,
        *,
        open_error: UpstreamError | None = None,
        delay: float = 0.0,
    ) -> None:
        self._script = script or (lambda request, _attempt: answer_script(request, delay=delay))
        self._open_error = open_error
        self.opens: dict[str, int] = {}
        self.closed = False

    async def open(self, request: ChatRequest, caller: Caller = ANONYMOUS) -> ScriptedGeneration:
        if self._open_error is not None:
            raise self._open_error
        attempt = self.opens.get(request.message, 0)
        self.opens[request.message] = attempt + 1
        steps = self._script(request, attempt)
        tokens = sum(isinstance(step.item, Token) for step in steps)
        return ScriptedGeneration(
            steps, GenerationInfo(model="scripted-1", estimated_tokens=tokens)
        )

    async def aclose(self) -> None:
        self.closed = True


def create(settings: ServerSettings) -> ScriptedBackend:
    """The factory behind ``--backend tests.servers.scripted_backend:create``."""
    delay = 1.0 / settings.token_rate if settings.token_rate > 0 else 0.0
    return ScriptedBackend(delay=delay)
