"""Generation through Ollama's native ``/api/chat`` (one JSON object per line).

The native API rather than Ollama's OpenAI-compatible one, because only the native API streams
``message.thinking`` of reasoning models and reports ``done_reason`` and token counts. Mapped:
``content`` to tokens, ``thinking`` (and a leading ``<think>`` block in the content, as models
without a reasoning parser send it) to thinking, ``tool_calls`` (which Ollama sends whole, with
parsed arguments) to a ``started`` and a ``completed`` tool use (this server does not run the
tools), an ``error`` line to an :class:`UpstreamError`, and ``done_reason`` "length" to
``done``/"length". A body that ends without ``"done": true`` was cut off.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, Final

import httpx

from desktop.protocol.events import Done, FinishReason, Thinking, Token, ToolUse, Usage, WireEvent
from desktop.protocol.request import ChatRequest
from desktop.server.backend import GenerationInfo
from desktop.server.backends.think_tags import ThinkTagSplitter
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

DEFAULT_URL: Final = "http://127.0.0.1:11434"
DEFAULT_MODEL: Final = "llama3.2"


def chat_url(base: str) -> str:
    """``…/api/chat`` from Ollama's base URL (given with or without the path)."""
    base = base.rstrip("/")
    return base if base.endswith("/api/chat") else base + "/api/chat"


class OllamaBackend:
    """Streams answers from an Ollama server."""

    name = "ollama"

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
            chat_url(upstream_url or DEFAULT_URL),
            api_key=api_key,
            timeout=timeout,
            transport=transport,
        )

    async def open(self, request: ChatRequest) -> UpstreamGeneration:
        model = request.options.model or self.model
        options: dict[str, Any] = {}
        if request.options.max_tokens is not None:
            options["num_predict"] = request.options.max_tokens
        if request.options.temperature is not None:
            options["temperature"] = request.options.temperature
        body: dict[str, Any] = {"model": model, "messages": chat_messages(request), "stream": True}
        if options:
            body["options"] = options
        response = await self._http.post(body)
        info = GenerationInfo(model, request.options.max_tokens or DEFAULT_ESTIMATE)
        return UpstreamGeneration(info, response, parse_chat_lines)

    async def aclose(self) -> None:
        await self._http.aclose()


async def parse_chat_lines(response: httpx.Response) -> AsyncIterator[WireEvent]:
    """The events of an ``/api/chat`` NDJSON body."""
    tokens = 0
    tool_calls = 0
    think_tags = ThinkTagSplitter()
    async for line in response.aiter_lines():
        if not line.strip():
            continue
        try:
            chunk = json.loads(line)
        except ValueError:
            raise malformed(f"a line is not JSON: {line[:80]!r}") from None
        if not isinstance(chunk, dict):
            raise malformed("a line is not a JSON object")
        if chunk.get("error") is not None:
            raise error_for_message(str(chunk["error"]))
        message = chunk.get("message")
        if isinstance(message, dict):
            thinking = message.get("thinking")
            if isinstance(thinking, str) and thinking:
                yield Thinking(id=0, content=thinking)
            content = message.get("content")
            if isinstance(content, str) and content:
                for kind, text in think_tags.feed(content):
                    if kind == "thinking":
                        yield Thinking(id=0, content=text)
                    else:
                        yield Token(id=0, content=text, index=tokens)
                        tokens += 1
            for event in _tool_uses(message.get("tool_calls"), tool_calls):
                tool_calls += 1 if event.status == "started" else 0
                yield event
        if chunk.get("done") is True:
            for kind, text in think_tags.close():
                if kind == "thinking":
                    yield Thinking(id=0, content=text)
                else:
                    yield Token(id=0, content=text, index=tokens)
                    tokens += 1
            finish: FinishReason = "length" if chunk.get("done_reason") == "length" else "stop"
            usage = Usage(_int(chunk.get("prompt_eval_count")), _int(chunk.get("eval_count")))
            if usage.completion_tokens is None:
                usage = Usage(usage.prompt_tokens, tokens)
            yield Done(id=0, finish_reason=finish, usage=usage)
            return
    raise ended_early()


def _tool_uses(calls: Any, seen: int) -> Iterator[ToolUse]:
    if not isinstance(calls, list):
        return
    for n, call in enumerate(calls, seen):
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            continue
        raw_name = function.get("name")
        name = raw_name if isinstance(raw_name, str) and raw_name else "unknown"
        arguments = function.get("arguments")
        if isinstance(arguments, str):  # some proxies pass the JSON text through
            try:
                arguments = json.loads(arguments)
            except ValueError:
                arguments = {"arguments": arguments}
        if not isinstance(arguments, dict):
            arguments = {} if arguments is None else {"arguments": arguments}
        raw_id = call.get("id")
        call_id = raw_id if isinstance(raw_id, str) and raw_id else f"call-{n}"
        yield ToolUse(0, call_id, name, "started", arguments)
        yield ToolUse(0, call_id, name, "completed", arguments)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
