"""The offline demo backend: a retrieval answer from the help articles, paced like a model.

The answer is decided in :meth:`DemoBackend.open` (see :mod:`demo_answer`), so its length is
exact in ``estimated_tokens``; :meth:`DemoGeneration.events` only paces it. Pacing follows one
monotonic schedule computed from the start (token *i* is due at ``start + think + i / rate``)
rather than sleeping a fixed time per token, so the rate does not drift under load: a late
event is followed by the next ones without a wait until the stream is back on time. The events
and the text do not depend on the rate; only when they arrive does.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import Final

from desktop.protocol.events import Done, FinishReason, Thinking, Token, ToolUse, Usage, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.server.backend import ANONYMOUS, Caller, GenerationInfo
from desktop.server.backends.demo_answer import SEARCH_LIMIT, DemoAnswer, compose, split_pieces
from desktop.server.backends.knowledge import KnowledgeBase

MODEL_NAME: Final = "demo-knowledge-base"
#: The thinking pause before the first token lasts as long as this many tokens would ...
THINK_TOKENS: Final = 20
#: ... but never longer than this many seconds (slow rates would otherwise wait for ages).
MAX_THINK_S: Final = 2.0
#: At rate 0 the generation lets other tasks run after this many events.
YIELD_EVERY: Final = 64
TOOL_NAME: Final = "document_search"


class DemoBackend:
    """Answers from the knowledge base; one instance serves every stream of a server."""

    name = "demo"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        *,
        token_rate: float = 40.0,
        knowledge_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """Args:
        knowledge: an index to share; built from ``knowledge_dir`` when omitted.
        token_rate: tokens per second; 0 sends everything as fast as possible.
        knowledge_dir: where the articles are (default: see ``articles.knowledge_dir``).
        """
        if token_rate < 0:
            raise ValueError(f"token_rate must be 0 or more, not {token_rate}")
        self._owns_knowledge = knowledge is None
        self.knowledge = knowledge if knowledge is not None else KnowledgeBase.load(knowledge_dir)
        self.token_rate = token_rate

    async def open(self, request: ChatRequest, caller: Caller = ANONYMOUS) -> DemoGeneration:
        return DemoGeneration(compose(self.knowledge, request), request, self.token_rate)

    def can_continue(self, request: ChatRequest) -> bool:
        # The answer is a pure function of the request and the articles: always the same.
        return True

    async def open_at(self, request: ChatRequest, tokens_sent: int) -> DemoGeneration:
        answer = compose(self.knowledge, request)
        return DemoGeneration(answer, request, self.token_rate, tokens_sent=tokens_sent)

    async def aclose(self) -> None:
        if self._owns_knowledge:
            self.knowledge.close()


class DemoGeneration:
    """One paced answer."""

    def __init__(
        self, answer: DemoAnswer, request: ChatRequest, token_rate: float, *, tokens_sent: int = 0
    ) -> None:
        """``tokens_sent``: tokens another process already sent; their time is not waited again."""
        self.answer = answer
        self._rate = token_rate
        self._tokens_sent = tokens_sent
        max_tokens = request.options.max_tokens
        self._pieces = answer.pieces
        self._truncated = max_tokens is not None and len(self._pieces) > max_tokens
        if self._truncated:
            self._pieces = self._pieces[:max_tokens]
        self._prompt_tokens = len(split_pieces(request.message)) + sum(
            len(split_pieces(item.content)) for item in request.history
        )
        self._call_id = "search-" + _digest(request)
        self.info = GenerationInfo(model=MODEL_NAME, estimated_tokens=len(self._pieces))

    async def events(self) -> AsyncIterator[WireEvent]:
        """Thinking, the search's tool use, the answer's tokens, then ``Done``."""
        think = min(THINK_TOKENS / self._rate, MAX_THINK_S) if self._rate > 0 else 0.0
        start = time.monotonic()
        if self._tokens_sent and self._rate > 0:
            start -= think + self._tokens_sent / self._rate
        for sent, (offset, event) in enumerate(self._timeline(think), 1):
            delay = start + offset - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            elif sent % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            yield event

    def _timeline(self, think: float) -> Iterator[tuple[float, WireEvent]]:
        """Each event with the time it is due, in seconds after the start."""
        answer = self.answer
        yield 0.0, Thinking(id=0, message=answer.phrase("analysing"))
        for part in answer.reasoning:
            yield 0.1 * think, Thinking(id=0, content=part)
        yield 0.25 * think, Thinking(id=0, message=answer.phrase("searching"))
        search_input = {"query": answer.query, "limit": SEARCH_LIMIT}
        yield 0.3 * think, ToolUse(0, self._call_id, TOOL_NAME, "started", search_input)
        hits = [
            {"title": hit.title, "score": hit.score, "snippet": hit.snippet, "path": hit.path}
            for hit in answer.hits
        ]
        yield (
            0.6 * think,
            ToolUse(
                0,
                self._call_id,
                TOOL_NAME,
                "completed",
                search_input,
                output={"hits": hits},
                duration_ms=answer.search_ms,
            ),
        )
        yield 0.7 * think, Thinking(id=0, content=" " + answer.conclusion)
        yield 0.9 * think, Thinking(id=0, message=answer.phrase("writing"))
        per_token = 1.0 / self._rate if self._rate > 0 else 0.0
        for index, piece in enumerate(self._pieces):
            yield think + index * per_token, Token(id=0, content=piece, index=index)
        usage = Usage(prompt_tokens=self._prompt_tokens, completion_tokens=len(self._pieces))
        finish: FinishReason = "length" if self._truncated else "stop"
        yield think + len(self._pieces) * per_token, Done(id=0, finish_reason=finish, usage=usage)


def _digest(request: ChatRequest) -> str:
    """A stable id for the search call: the same question gives the same call id."""
    h = hashlib.sha256(request.message.encode())
    for item in request.history:
        h.update(b"\0" + item.role.encode() + b"\0" + item.content.encode())
    return h.hexdigest()[:16]
