"""An answer source for any OpenAI-compatible ``/v1/chat/completions`` (SSE, ``data: [DONE]``).

Works with OpenAI, llama.cpp's servers, vLLM, LM Studio and the like. Chunks carry
``choices[0].delta`` with ``content``, reasoning under ``reasoning_content`` (DeepSeek, llama.cpp)
or ``reasoning`` (vLLM, OpenRouter), and ``tool_calls`` whose ``arguments`` arrive as string
fragments; ``finish_reason`` comes in the last content chunk, usage (when the server honours
``stream_options.include_usage``) in a chunk with no choices just before ``[DONE]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from desktop.protocol.events import Usage
from desktop.protocol.sse import EventTooLarge, SSEParser
from desktop.streaming.backends.decoded import (
    Decoded,
    EndOfStream,
    Finished,
    TextPiece,
    ToolCall,
    UpstreamFailure,
    UpstreamProtocolError,
    count,
    finish_reason,
)
from desktop.streaming.backends.upstream import UpstreamChatSource

_REASONING_KEYS: Final = ("reasoning_content", "reasoning")


def chat_completions_url(base_url: str) -> str:
    """``…/v1/chat/completions`` for a base URL given with or without its ``/v1``."""
    base = base_url.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    return f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"


class _ChunkDecoder:
    """Turns one response's SSE bytes into decoded facts, assembling tool-call fragments."""

    def __init__(self, max_event_bytes: int) -> None:
        self._parser = SSEParser(max_event_bytes)
        self._calls: dict[int, dict[str, Any]] = {}
        self._finish: Finished | None = None

    def __call__(self, chunk: bytes) -> list[Decoded]:
        try:
            messages = self._parser.feed(chunk)
        except EventTooLarge as exc:
            raise UpstreamProtocolError(str(exc)) from None
        facts: list[Decoded] = []
        for message in messages:
            data = message.data.strip()
            if data == "[DONE]":
                facts.extend(self._complete_calls())
                facts.append(EndOfStream())
                return facts
            try:
                payload = json.loads(data)
            except ValueError:
                raise UpstreamProtocolError(f"a chunk is not JSON: {data[:80]!r}") from None
            if isinstance(payload, dict):
                self._decode(payload, facts)
        return facts

    def _decode(self, payload: dict[str, Any], facts: list[Decoded]) -> None:
        error = payload.get("error")
        if error is not None:
            message = error.get("message") if isinstance(error, dict) else error
            facts.append(UpstreamFailure(str(message or "the upstream reported an error")))
            return
        usage = payload.get("usage")
        if isinstance(usage, dict):
            prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
            reason = self._finish.reason if self._finish else "stop"
            self._finish = Finished(reason, Usage(count(prompt), count(completion)))
            facts.append(self._finish)
        choices = payload.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return
        choice = choices[0]
        delta = choice.get("delta")
        if isinstance(delta, dict):
            for key in _REASONING_KEYS:
                reasoning = delta.get(key)
                if isinstance(reasoning, str) and reasoning:
                    facts.append(TextPiece("reasoning", reasoning))
                    break
            content = delta.get("content")
            if isinstance(content, str) and content:
                facts.append(TextPiece("answer", content))
            calls = delta.get("tool_calls")
            if isinstance(calls, list):
                facts.extend(self._tool_fragments(calls))
        if choice.get("finish_reason") is not None:
            facts.extend(self._complete_calls())
            usage_so_far = self._finish.usage if self._finish else Usage()
            self._finish = Finished(finish_reason(choice["finish_reason"]), usage_so_far)
            facts.append(self._finish)

    def _tool_fragments(self, calls: list[Any]) -> list[Decoded]:
        facts: list[Decoded] = []
        for position, fragment in enumerate(calls):
            if not isinstance(fragment, dict):
                continue
            index = fragment.get("index", position)
            raw_function = fragment.get("function")
            function: dict[str, Any] = raw_function if isinstance(raw_function, dict) else {}
            call = self._calls.get(index)
            if call is None:
                call_id = fragment.get("id") or f"call_{index}"
                call = {"id": str(call_id), "name": str(function.get("name") or ""), "args": []}
                self._calls[index] = call
                facts.append(ToolCall(call["id"], call["name"], "started"))
            arguments = function.get("arguments")
            if isinstance(arguments, str):
                call["args"].append(arguments)
        return facts

    def _complete_calls(self) -> list[Decoded]:
        facts: list[Decoded] = []
        for call in self._calls.values():
            raw = "".join(call["args"])
            try:
                parsed = json.loads(raw) if raw.strip() else {}
            except ValueError:
                parsed = {"arguments": raw}
            arguments = parsed if isinstance(parsed, dict) else {"arguments": parsed}
            facts.append(ToolCall(call["id"], call["name"], "completed", arguments))
        self._calls.clear()
        return facts


class OpenAIChatSource(UpstreamChatSource):
    """Streams one answer from an OpenAI-compatible chat-completions endpoint."""

    media_types = frozenset({"text/event-stream"})
    accept = "text/event-stream"

    @property
    def url(self) -> str:
        return chat_completions_url(self._config.base_url)

    def body(self) -> dict[str, Any]:
        request = self.request
        messages = [{"role": item.role, "content": item.content} for item in request.history]
        messages.append({"role": "user", "content": request.message})
        body: dict[str, Any] = {
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if self.model is not None:
            body["model"] = self.model
        if request.options.max_tokens is not None:
            body["max_tokens"] = request.options.max_tokens
        if request.options.temperature is not None:
            body["temperature"] = request.options.temperature
        body.update(self._extra_body)
        return body

    def new_decoder(self) -> Callable[[bytes], list[Decoded]]:
        return _ChunkDecoder(self._config.max_event_bytes)
