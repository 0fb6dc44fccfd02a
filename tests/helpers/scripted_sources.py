"""Answer sources that play a fixed script, and a factory that records what it was asked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence

from desktop.protocol.events import Done, StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.streaming.stats import SourceStats


class ScriptedSource:
    """An answer source that yields a fixed script; ``gate`` pauses it before an index."""

    def __init__(self, events: Sequence[StreamEvent], *, delay: float = 0.0) -> None:
        self.script = list(events)
        self.delay = delay
        self.stream_id: str | None = "s-1"
        self.last_event_id = 0
        self.cancelled = False
        self.dropped = 0
        self.stats = SourceStats()
        self.paused = asyncio.Event()
        self.paused.set()

    async def events(self) -> AsyncIterator[StreamEvent]:
        for event in self.script:
            await self.paused.wait()
            if self.cancelled:
                yield Done(id=self.last_event_id + 1, finish_reason="cancelled")
                return
            if self.delay:
                await asyncio.sleep(self.delay)
            event_id = getattr(event, "id", None)
            if isinstance(event_id, int):
                self.last_event_id = event_id
            yield event

    async def cancel(self) -> None:
        self.cancelled = True
        self.paused.set()

    def drop_connection(self) -> None:
        self.dropped += 1


class ScriptedFactory:
    """Hands out scripted sources; records what was asked."""

    def __init__(self, make: Callable[[ChatRequest], ScriptedSource]) -> None:
        self.make = make
        self.requests: list[ChatRequest] = []
        self.resumes: list[tuple[str, int]] = []
        self.sources: list[ScriptedSource] = []
        self.resume_script: Callable[[str, int], ScriptedSource | None] = lambda s, i: None

    def start(self, request: ChatRequest) -> ScriptedSource:
        self.requests.append(request)
        source = self.make(request)
        self.sources.append(source)
        return source

    def resume(self, stream_id: str, last_event_id: int) -> ScriptedSource | None:
        self.resumes.append((stream_id, last_event_id))
        source = self.resume_script(stream_id, last_event_id)
        if source is not None:
            self.sources.append(source)
        return source
