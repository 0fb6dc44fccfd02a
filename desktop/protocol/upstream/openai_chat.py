"""OpenAI-compatible ``/v1/chat/completions``: the request, the URL, and the SSE chunk decoder.

Spoken by OpenAI, llama.cpp's servers, vLLM, LM Studio and the like. Chunks carry
``choices[0].delta`` with ``content``, reasoning under ``reasoning_content`` (DeepSeek, vLLM,
llama.cpp) or ``reasoning`` (OpenRouter, Ollama's compatibility API), and ``tool_calls`` whose
``arguments`` arrive as string fragments keyed by ``index``; ``finish_reason`` comes in the last
content chunk, usage (when the server honours ``stream_options.include_usage``) in a chunk with
no choices just before ``data: [DONE]``. A plain (non-streamed) completion has ``message``
where a chunk has ``delta``, and decodes the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.protocol.events import ToolUse
from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import DEFAULT_MAX_EVENT_BYTES, EventTooLarge, SSEMessage, SSEParser
from desktop.protocol.upstream.chat_stream import (
    ChatFact,
    ChatStreamDecoder,
    UpstreamFormatError,
    chat_messages,
    sampling_options,
)


def chat_completions_url(base_url: str) -> str:
    """``…/v1/chat/completions`` for a base URL given with or without its ``/v1`` or path."""
    base = base_url.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    return f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"


def chat_completions_body(
    request: ChatRequest, model: str | None, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The streaming request for ``request``; no ``model`` leaves the choice to the server.

    ``extra`` is merged last, for sampling options the Assist protocol does not name.
    """
    body: dict[str, Any] = {} if model is None else {"model": model}
    body["messages"] = chat_messages(request)
    body["stream"] = True
    body["stream_options"] = {"include_usage": True}
    body.update(sampling_options(request, "max_tokens"))
    body.update(extra or {})
    return body


@dataclass
class _ToolCall:
    call_id: str
    name: str = ""
    arguments: str = ""
    announced: bool = False


class ChatCompletionDecoder(ChatStreamDecoder):
    """Decodes one response's SSE bytes, assembling tool calls from their fragments.

    A call is announced (``started``) once its name is known and completed, with its parsed
    arguments, when the choice finishes or the stream ends; this decoder runs no tools.
    """

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__()
        self._parser = SSEParser(max_event_bytes)
        self._calls: dict[int, _ToolCall] = {}

    def feed(self, data: bytes) -> list[ChatFact]:
        if self.ended:
            return []
        try:
            messages = self._parser.feed(data)
        except EventTooLarge as exc:
            raise UpstreamFormatError(str(exc)) from None
        facts: list[ChatFact] = []
        for message in messages:
            self._message(message, facts)
            if self.ended:
                break
        return facts

    def close(self) -> list[ChatFact]:
        """What a finished answer still holds; a cut one (no finish reason) releases nothing."""
        facts: list[ChatFact] = []
        if not self.ended and self.finish_reason is not None:
            self._flush_content(facts)
        return facts

    def _message(self, message: SSEMessage, facts: list[ChatFact]) -> None:
        data = message.data.strip()
        if data == "[DONE]":
            self._end(facts)
            return
        if message.event == "error":
            self._fail(message.data, facts)
            return
        try:
            payload = json.loads(data)
        except ValueError:
            raise UpstreamFormatError(f"a chunk is not JSON: {data[:80]!r}") from None
        self._payload(payload, facts)

    def _payload(self, payload: object, facts: list[ChatFact]) -> None:
        if not isinstance(payload, dict):
            raise UpstreamFormatError("a chunk is not a JSON object")
        error = payload.get("error")
        if error is not None:
            message = error.get("message") if isinstance(error, dict) else error
            self._fail(str(message or error), facts)
            return
        usage = payload.get("usage")
        if isinstance(usage, dict):
            self._count_usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))
        choices = payload.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return
        choice = choices[0]
        delta = choice.get("delta") or choice.get("message")
        if isinstance(delta, dict):
            self._reasoning(delta.get("reasoning_content") or delta.get("reasoning"), facts)
            self._content(delta.get("content"), facts)
            calls = delta.get("tool_calls")
            if isinstance(calls, list):
                for position, call in enumerate(calls):
                    if isinstance(call, dict):
                        self._tool_fragment(position, call, facts)
        reason = choice.get("finish_reason")
        if isinstance(reason, str):
            self.finish_reason = reason
            self._flush_content(facts)
            self._complete_calls(facts)

    def _end(self, facts: list[ChatFact]) -> None:
        self._flush_content(facts)
        self._complete_calls(facts)
        super()._end(facts)

    def _tool_fragment(self, position: int, call: dict[str, Any], facts: list[ChatFact]) -> None:
        index = call.get("index", position)
        index = index if isinstance(index, int) else position
        state = self._calls.get(index)
        if state is None:
            call_id = call.get("id")
            state = _ToolCall(call_id if isinstance(call_id, str) and call_id else f"call-{index}")
            self._calls[index] = state
        function = call.get("function")
        if isinstance(function, dict):
            name = function.get("name")
            if not state.name and isinstance(name, str):
                state.name = name
            arguments = function.get("arguments")
            if isinstance(arguments, str):
                state.arguments += arguments
            elif isinstance(arguments, dict):  # some servers send the parsed object
                state.arguments = json.dumps(arguments)
        if state.name and not state.announced:
            state.announced = True
            facts.append(ToolUse(0, state.call_id, state.name, "started"))

    def _complete_calls(self, facts: list[ChatFact]) -> None:
        for state in self._calls.values():
            name = state.name or "unknown"
            self._tool_call(state.call_id, name, state.arguments, facts, announced=state.announced)
        self._calls.clear()


class WholeCompletionDecoder(ChatCompletionDecoder):
    """A completion sent whole (``"stream": false`` or a server that ignores ``stream``).

    The body is one JSON object, decoded when it ends; without a finish reason it counts as
    finished, since nothing more can follow.
    """

    def __init__(self, max_body_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__(max_body_bytes)
        self._max = max_body_bytes
        self._body = bytearray()

    def feed(self, data: bytes) -> list[ChatFact]:
        self._body += data
        if len(self._body) > self._max:
            raise UpstreamFormatError(f"a completion exceeds {self._max} bytes")
        return []

    def close(self) -> list[ChatFact]:
        try:
            payload = json.loads(self._body)
        except ValueError:
            raise UpstreamFormatError("the completion is not JSON") from None
        facts: list[ChatFact] = []
        self._payload(payload, facts)
        if self.finish_reason is None:
            self.finish_reason = "stop"
        self._end(facts)
        return facts
