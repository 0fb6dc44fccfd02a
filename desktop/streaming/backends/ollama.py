"""An answer source for Ollama's native ``/api/chat`` (NDJSON: one JSON object per line).

Each line has ``message.content`` (a piece of the answer), ``message.thinking`` (reasoning, for
models that think), ``message.tool_calls`` (whole calls, arguments already parsed), and the
last one ``done: true`` with ``done_reason``, ``prompt_eval_count`` and ``eval_count``. An
``error`` key reports a failure, both before and during the stream.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from desktop.protocol.events import Usage
from desktop.streaming.backends.decoded import (
    Decoded,
    Finished,
    TextPiece,
    ToolCall,
    UpstreamFailure,
    UpstreamProtocolError,
    count,
    finish_reason,
)
from desktop.streaming.backends.upstream import UpstreamChatSource


class _LineDecoder:
    """Splits one response body into lines and decodes each as a chat chunk."""

    def __init__(self, max_line_bytes: int) -> None:
        self._max = max_line_bytes
        self._partial = b""
        self._calls = 0

    def __call__(self, chunk: bytes) -> list[Decoded]:
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > self._max:
            raise UpstreamProtocolError(f"an NDJSON line exceeds {self._max} bytes")
        facts: list[Decoded] = []
        for line in lines:
            facts.extend(self._line(line))
        return facts

    def finish(self) -> list[Decoded]:
        line, self._partial = self._partial, b""
        return self._line(line)

    def _line(self, line: bytes) -> list[Decoded]:
        if not line.strip():
            return []
        try:
            payload = json.loads(line)
        except ValueError:
            raise UpstreamProtocolError(f"a line is not JSON: {line[:80]!r}") from None
        if not isinstance(payload, dict):
            return []
        if payload.get("error") is not None:
            return [UpstreamFailure(str(payload["error"]))]
        facts: list[Decoded] = []
        message = payload.get("message")
        if isinstance(message, dict):
            thinking = message.get("thinking")
            if isinstance(thinking, str) and thinking:
                facts.append(TextPiece("reasoning", thinking))
            content = message.get("content")
            if isinstance(content, str) and content:
                facts.append(TextPiece("answer", content))
            calls = message.get("tool_calls")
            if isinstance(calls, list):
                facts.extend(self._tool_calls(calls))
        if payload.get("done") is True:
            usage = Usage(count(payload.get("prompt_eval_count")), count(payload.get("eval_count")))
            facts.append(Finished(finish_reason(payload.get("done_reason")), usage, final=True))
        return facts

    def _tool_calls(self, calls: list[Any]) -> list[Decoded]:
        facts: list[Decoded] = []
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict):
                continue
            self._calls += 1
            call_id = str(call.get("id") or f"call_{self._calls}")
            name = str(function.get("name") or "")
            arguments = function.get("arguments")
            if isinstance(arguments, str):  # some proxies pass OpenAI-style strings through
                try:
                    arguments = json.loads(arguments)
                except ValueError:
                    arguments = {"arguments": arguments}
            inputs = arguments if isinstance(arguments, dict) else {}
            facts.append(ToolCall(call_id, name, "started", inputs))
            facts.append(ToolCall(call_id, name, "completed", inputs))
        return facts


def chat_url(base_url: str) -> str:
    """``…/api/chat`` for an Ollama base URL (``http://127.0.0.1:11434``)."""
    base = base_url.rstrip("/")
    return base if base.endswith("/api/chat") else f"{base}/api/chat"


class OllamaChatSource(UpstreamChatSource):
    """Streams one answer from Ollama's native chat API."""

    media_types = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})
    accept = "application/x-ndjson"

    @property
    def url(self) -> str:
        return chat_url(self._config.base_url)

    def body(self) -> dict[str, Any]:
        request = self.request
        messages = [{"role": item.role, "content": item.content} for item in request.history]
        messages.append({"role": "user", "content": request.message})
        body: dict[str, Any] = {"model": self.model, "messages": messages, "stream": True}
        options: dict[str, Any] = {}
        if request.options.max_tokens is not None:
            options["num_predict"] = request.options.max_tokens
        if request.options.temperature is not None:
            options["temperature"] = request.options.temperature
        if options:
            body["options"] = options
        body.update(self._extra_body)
        return body

    def new_decoder(self) -> Callable[[bytes], list[Decoded]]:
        return _LineDecoder(self._config.max_event_bytes)

    def end_of_body(self, decoder: Callable[[bytes], list[Decoded]]) -> list[Decoded]:
        return decoder.finish() if isinstance(decoder, _LineDecoder) else []
