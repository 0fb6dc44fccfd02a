"""Generation through any OpenAI-compatible ``/v1/chat/completions`` endpoint (SSE).

Works with OpenAI itself, llama.cpp's server, vLLM, LM Studio and the like. Chunks are read with
the project's own WHATWG parser (:class:`~desktop.protocol.sse.SSEParser`). Mapped: ``content``
to tokens; ``reasoning_content`` (DeepSeek, vLLM, llama.cpp) and ``reasoning`` (OpenRouter,
Ollama's compatibility API) and a leading ``<think>`` block in the content to thinking; streamed
``tool_calls`` to ``tool_use`` (``started`` when the call's name arrives, ``completed`` with the
parsed arguments when the choice finishes; this server does not run the tools, so there is no
output); ``finish_reason`` "length" to ``done``/"length" and "content_filter" to a warning. A
stream that ends without ``finish_reason`` or ``[DONE]`` was cut off, which is an error, not an
answer.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from desktop.protocol.events import (
    Done,
    FinishReason,
    StreamWarning,
    Thinking,
    Token,
    ToolUse,
    Usage,
    WireEvent,
)
from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import EventTooLarge, SSEParser
from desktop.server.backend import GenerationInfo
from desktop.server.backends.think_tags import Part, ThinkTagSplitter
from desktop.server.backends.upstream import (
    DEFAULT_ESTIMATE,
    DEFAULT_TIMEOUT,
    HttpUpstream,
    UpstreamGeneration,
    chat_messages,
    ended_early,
    error_for_message,
    malformed,
)

DEFAULT_URL: Final = "http://127.0.0.1:8080/v1"
DEFAULT_MODEL: Final = "default"


def completions_url(base: str) -> str:
    """``…/v1/chat/completions`` from a base URL given with or without ``/v1``."""
    base = base.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return base + "/chat/completions"
    return base + "/v1/chat/completions"


class OpenAIBackend:
    """Streams answers from an OpenAI-compatible server."""

    name = "openai"

    def __init__(
        self,
        upstream_url: str | None = None,
        *,
        model: str | None = None,
        api_key: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model or DEFAULT_MODEL
        self._http = HttpUpstream(
            completions_url(upstream_url or DEFAULT_URL),
            api_key=api_key,
            timeout=timeout,
            transport=transport,
        )

    async def open(self, request: ChatRequest) -> UpstreamGeneration:
        model = request.options.model or self.model
        body: dict[str, Any] = {
            "model": model,
            "messages": chat_messages(request),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.options.max_tokens is not None:
            body["max_tokens"] = request.options.max_tokens
        if request.options.temperature is not None:
            body["temperature"] = request.options.temperature
        response = await self._http.post(body)
        info = GenerationInfo(model, request.options.max_tokens or DEFAULT_ESTIMATE)
        return UpstreamGeneration(info, response, parse_completion_stream)

    async def aclose(self) -> None:
        await self._http.aclose()


@dataclass
class _ToolCall:
    call_id: str
    name: str = ""
    arguments: str = ""
    announced: bool = False


@dataclass
class _CompletionState:
    """What the chunks of one answer have said so far."""

    tokens: int = 0
    finish_reason: str | None = None
    usage: Usage | None = None
    tools: dict[int, _ToolCall] = field(default_factory=dict)
    think_tags: ThinkTagSplitter = field(default_factory=ThinkTagSplitter)

    def feed(self, chunk: Any) -> Iterator[WireEvent]:
        if not isinstance(chunk, dict):
            raise malformed("a chunk is not a JSON object")
        error = chunk.get("error")
        if error is not None:
            message = error.get("message", error) if isinstance(error, dict) else error
            raise error_for_message(str(message))
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self.usage = Usage(
                _int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens"))
            )
        choices = chunk.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return
        choice = choices[0]
        delta = choice.get("delta") or choice.get("message") or {}
        if isinstance(delta, dict):
            yield from self._delta(delta)
        reason = choice.get("finish_reason")
        if isinstance(reason, str):
            self.finish_reason = reason
            yield from self._finish_tools()

    def _delta(self, delta: dict[str, Any]) -> Iterator[WireEvent]:
        reasoning = delta.get("reasoning_content") or delta.get("reasoning")
        if isinstance(reasoning, str) and reasoning:
            yield Thinking(id=0, content=reasoning)
        content = delta.get("content")
        if isinstance(content, str) and content:
            yield from self._parts(self.think_tags.feed(content))
        calls = delta.get("tool_calls")
        if isinstance(calls, list):
            for position, call in enumerate(calls):
                if isinstance(call, dict):
                    yield from self._tool_delta(position, call)

    def _tool_delta(self, position: int, call: dict[str, Any]) -> Iterator[WireEvent]:
        index = call.get("index", position)
        index = index if isinstance(index, int) else position
        state = self.tools.get(index)
        if state is None:
            call_id = call.get("id")
            state = _ToolCall(call_id if isinstance(call_id, str) else f"call-{index}")
            self.tools[index] = state
        function = call.get("function")
        if isinstance(function, dict):
            if isinstance(function.get("name"), str):
                state.name += function["name"]
            arguments = function.get("arguments")
            if isinstance(arguments, str):
                state.arguments += arguments
            elif isinstance(arguments, dict):  # some servers send the parsed object
                state.arguments = json.dumps(arguments)
        if state.name and not state.announced:
            state.announced = True
            yield ToolUse(0, state.call_id, state.name, "started")

    def _finish_tools(self) -> Iterator[WireEvent]:
        for state in self.tools.values():
            if not state.announced:
                yield ToolUse(0, state.call_id, state.name or "unknown", "started")
            yield ToolUse(0, state.call_id, state.name or "unknown", "completed", _arguments(state))
        self.tools.clear()

    def _parts(self, parts: list[Part]) -> Iterator[WireEvent]:
        for kind, text in parts:
            if kind == "thinking":
                yield Thinking(id=0, content=text)
            else:
                yield Token(id=0, content=text, index=self.tokens)
                self.tokens += 1

    def done(self) -> Iterator[WireEvent]:
        yield from self._parts(self.think_tags.close())
        if self.finish_reason == "content_filter":
            yield StreamWarning(0, "content_filter", "the upstream's content filter cut the answer")
        usage = self.usage or Usage(completion_tokens=self.tokens)
        finish: FinishReason = "length" if self.finish_reason == "length" else "stop"
        yield Done(id=0, finish_reason=finish, usage=usage)


async def parse_completion_stream(response: httpx.Response) -> AsyncIterator[WireEvent]:
    """The events of a ``chat.completion.chunk`` stream (or of one plain JSON completion)."""
    state = _CompletionState()
    content_type = response.headers.get("content-type", "")
    if "text/event-stream" not in content_type:
        if "json" not in content_type:
            raise malformed(f"content type {content_type or 'missing'}")
        try:
            chunk = json.loads(await response.aread())
        except ValueError:
            raise malformed("the completion is not JSON") from None
        for event in state.feed(chunk):
            yield event
        state.finish_reason = state.finish_reason or "stop"
        for event in state.done():
            yield event
        return
    parser = SSEParser()
    async for raw in response.aiter_bytes():
        try:
            messages = parser.feed(raw)
        except EventTooLarge:
            raise malformed("an event is too large") from None
        for message in messages:
            if message.data.strip() == "[DONE]":
                if state.finish_reason is None:
                    state.finish_reason = "stop"
                for event in state.done():
                    yield event
                return
            if message.event == "error":
                raise error_for_message(message.data)
            try:
                chunk = json.loads(message.data)
            except ValueError:
                raise malformed(f"a chunk is not JSON: {message.data[:80]!r}") from None
            for event in state.feed(chunk):
                yield event
    if state.finish_reason is None:
        raise ended_early()
    for event in state.done():  # finished, but without the closing [DONE]
        yield event


def _arguments(state: _ToolCall) -> dict[str, Any]:
    if not state.arguments:
        return {}
    try:
        parsed = json.loads(state.arguments)
    except ValueError:
        return {"arguments": state.arguments}
    return parsed if isinstance(parsed, dict) else {"arguments": parsed}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
