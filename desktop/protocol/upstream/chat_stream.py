"""What the OpenAI and Ollama chat decoders share: the facts they report and the answer's state.

Both wire formats carry the same few facts: a piece of answer, a piece of reasoning, a tool
call, the finish with its usage, an error, the end. A decoder reports them as the protocol's
own events (``Thinking``, ``Token``, ``ToolUse``, all with id 0; token indexes count from 0)
plus two markers of its own, and keeps the finish reason and usage as state. What a fact means
is the caller's business: the client numbers the events and cannot resume an answer, the server
maps an in-stream failure onto an error type its runner may retry.

A leading ``<think>`` block in the answer text becomes thinking here, so every consumer of an
upstream gets reasoning models' thoughts out of the answer alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeAlias

from desktop.protocol.events import Thinking, Token, ToolUse, Usage
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.think_tags import Part, ThinkTagSplitter


@dataclass(frozen=True, slots=True)
class EndOfStream:
    """The upstream's explicit end (``data: [DONE]``, ``"done": true``); nothing after counts."""


@dataclass(frozen=True, slots=True)
class UpstreamFailure:
    """The upstream reported an error inside the stream; the answer cannot continue."""

    message: str


class UpstreamFormatError(ValueError):
    """The upstream sent what no decoder can read (not JSON, not an object, an oversized line)."""


ChatFact: TypeAlias = Thinking | Token | ToolUse | UpstreamFailure | EndOfStream


def chat_messages(request: ChatRequest) -> list[dict[str, str]]:
    """The conversation in the role/content shape both upstream APIs take, the message last."""
    messages = [{"role": item.role, "content": item.content} for item in request.history]
    messages.append({"role": "user", "content": request.message})
    return messages


def sampling_options(request: ChatRequest, max_tokens_name: str) -> dict[str, Any]:
    """The sampling options ``request`` sets, under the upstream's names (unset ones omitted)."""
    named = {
        max_tokens_name: request.options.max_tokens,
        "temperature": request.options.temperature,
        "seed": request.options.seed,
    }
    return {name: value for name, value in named.items() if value is not None}


def count(raw: object) -> int | None:
    """An integer count from upstream JSON, or ``None`` for anything else (``true`` included)."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def tool_arguments(raw: object) -> dict[str, Any]:
    """A tool call's arguments as an object, whichever shape the upstream sent them in.

    OpenAI sends JSON text (streamed in fragments), Ollama a parsed object, and proxies either;
    text that is not a JSON object is kept under ``arguments`` rather than lost.
    """
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            raw = json.loads(raw)
        except ValueError:
            return {"arguments": raw}
    if raw is None:
        return {}
    return raw if isinstance(raw, dict) else {"arguments": raw}


class ChatStreamDecoder:
    """The state of one upstream response, and how its text becomes events.

    Attributes:
        tokens: how many ``Token`` events the answer has had so far.
        finish_reason: the upstream's own finish reason, once it has sent one.
        usage: the token counts, once the upstream has reported them.
        ended: the explicit end marker has been read; ``feed`` ignores anything after it.
    """

    def __init__(self) -> None:
        self.tokens = 0
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.ended = False
        self._think_tags = ThinkTagSplitter()

    def feed(self, data: bytes) -> list[ChatFact]:
        """The facts the next bytes of the body complete, in order.

        Raises:
            UpstreamFormatError: the bytes cannot be read as this wire format.
        """
        raise NotImplementedError

    def close(self) -> list[ChatFact]:
        """The facts a clean end of the body still releases (a last line without newline)."""
        return []

    def _fail(self, message: str, facts: list[ChatFact]) -> None:
        """The upstream's own error report; what it means (retry or not) is the caller's call."""
        facts.append(UpstreamFailure(message))

    def _count_usage(self, prompt: object, completion: object) -> None:
        self.usage = Usage(count(prompt), count(completion))

    def _tool_call(
        self,
        call_id: str,
        name: str,
        raw_arguments: object,
        facts: list[ChatFact],
        *,
        announced: bool = False,
    ) -> None:
        """A whole tool call: ``started`` (unless announced already), then ``completed``.

        Nothing on this path runs the tools (neither the client nor the reference server), so a
        call is complete as soon as its arguments are.
        """
        arguments = tool_arguments(raw_arguments)
        if not announced:
            facts.append(ToolUse(0, call_id, name, "started", arguments))
        facts.append(ToolUse(0, call_id, name, "completed", arguments))

    def _reasoning(self, text: object, facts: list[ChatFact]) -> None:
        if isinstance(text, str) and text:
            facts.append(Thinking(0, content=text))

    def _content(self, text: object, facts: list[ChatFact]) -> None:
        if isinstance(text, str) and text:
            self._parts(self._think_tags.feed(text), facts)

    def _flush_content(self, facts: list[ChatFact]) -> None:
        """Release text held back while a ``<think>`` tag might still have been forming."""
        self._parts(self._think_tags.close(), facts)

    def _parts(self, parts: list[Part], facts: list[ChatFact]) -> None:
        for kind, text in parts:
            if kind == "thinking":
                facts.append(Thinking(0, content=text))
            else:
                facts.append(Token(0, text, self.tokens))
                self.tokens += 1

    def _end(self, facts: list[ChatFact]) -> None:
        self._flush_content(facts)
        facts.append(EndOfStream())
        self.ended = True
