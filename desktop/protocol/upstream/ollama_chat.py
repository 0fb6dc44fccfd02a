"""Ollama's native ``/api/chat``: the request, the URL, and the NDJSON line decoder.

Each line is one JSON object: ``message.content`` (a piece of the answer), ``message.thinking``
(reasoning, for models that think), ``message.tool_calls`` (whole calls, arguments already
parsed), and on the last line ``"done": true`` with ``done_reason``, ``prompt_eval_count`` and
``eval_count``. An ``error`` key reports a failure. The native API rather than Ollama's
OpenAI-compatible one, because only it streams ``thinking`` and reports the finish and counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from desktop.protocol.request import ChatRequest
from desktop.protocol.sse import DEFAULT_MAX_EVENT_BYTES
from desktop.protocol.upstream.chat_stream import (
    ChatFact,
    ChatStreamDecoder,
    UpstreamFormatError,
    chat_messages,
    sampling_options,
)


def chat_url(base_url: str) -> str:
    """``…/api/chat`` for an Ollama base URL (``http://127.0.0.1:11434``), path or not."""
    base = base_url.rstrip("/")
    return base if base.endswith("/api/chat") else f"{base}/api/chat"


def chat_body(
    request: ChatRequest, model: str | None, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The streaming request for ``request``; sampling options go under Ollama's names.

    ``extra`` is merged last, for settings the Assist protocol does not name.
    """
    body: dict[str, Any] = {"model": model, "messages": chat_messages(request), "stream": True}
    options = sampling_options(request, "num_predict")
    if options:
        body["options"] = options
    body.update(extra or {})
    return body


class ChatLineDecoder(ChatStreamDecoder):
    """Splits one response body into lines (cut anywhere) and decodes each as a chat chunk."""

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        super().__init__()
        self._max = max_line_bytes
        self._partial = b""
        self._calls = 0

    def feed(self, data: bytes) -> list[ChatFact]:
        if self.ended:
            return []
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > self._max:
            raise UpstreamFormatError(f"an NDJSON line exceeds {self._max} bytes")
        facts: list[ChatFact] = []
        for line in lines:
            self._line(line, facts)
            if self.ended:
                break
        return facts

    def close(self) -> list[ChatFact]:
        """The last line, which may lack its newline."""
        line, self._partial = self._partial, b""
        facts: list[ChatFact] = []
        if not self.ended:
            self._line(line, facts)
        return facts

    def _line(self, line: bytes, facts: list[ChatFact]) -> None:
        if not line.strip():
            return
        try:
            payload = json.loads(line)
        except ValueError:
            raise UpstreamFormatError(f"a line is not JSON: {line[:80]!r}") from None
        if not isinstance(payload, dict):
            raise UpstreamFormatError("a line is not a JSON object")
        if payload.get("error") is not None:
            self._fail(str(payload["error"]), facts)
            return
        message = payload.get("message")
        if isinstance(message, dict):
            self._reasoning(message.get("thinking"), facts)
            self._content(message.get("content"), facts)
            calls = message.get("tool_calls")
            if isinstance(calls, list):
                self._tool_calls(calls, facts)
        if payload.get("done") is True:
            reason = payload.get("done_reason")
            self.finish_reason = reason if isinstance(reason, str) and reason else "stop"
            self._count_usage(payload.get("prompt_eval_count"), payload.get("eval_count"))
            self._end(facts)

    def _tool_calls(self, calls: list[Any], facts: list[ChatFact]) -> None:
        """Ollama sends each call whole: it starts and completes at once."""
        for call in calls:
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict):
                continue
            raw_name, raw_id = function.get("name"), call.get("id")
            name = raw_name if isinstance(raw_name, str) and raw_name else "unknown"
            call_id = raw_id if isinstance(raw_id, str) and raw_id else f"call-{self._calls}"
            self._calls += 1
            self._tool_call(call_id, name, function.get("arguments"), facts)
