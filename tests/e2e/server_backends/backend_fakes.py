"""Bodies a fake OpenAI-compatible or Ollama upstream sends, and a runner for one generation."""

from __future__ import annotations

import json
from typing import Any

from desktop.protocol.events import WireEvent
from desktop.protocol.request import ChatRequest
from desktop.server.backend import GenerationBackend

SSE = (("Content-Type", "text/event-stream; charset=utf-8"),)
NDJSON = (("Content-Type", "application/x-ndjson"),)
JSON = (("Content-Type", "application/json"),)


def sse(payload: Any) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return f"data: {data}\n\n".encode()


def chunk(
    content: str | None = None,
    *,
    reasoning: str | None = None,
    finish: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
) -> bytes:
    """One ``chat.completion.chunk`` as an SSE frame."""
    delta: dict[str, Any] = {}
    if content is not None:
        delta["content"] = content
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    return sse(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
    )


def line(payload: Any) -> bytes:
    """One NDJSON line."""
    return (payload if isinstance(payload, str) else json.dumps(payload)).encode() + b"\n"


def ollama_message(content: str = "", **message: Any) -> bytes:
    return line(
        {
            "model": "fake",
            "created_at": "2026-11-24T08:00:00Z",
            "message": {"role": "assistant", "content": content, **message},
            "done": False,
        }
    )


def ollama_done(reason: str = "stop", prompt: int = 5, completion: int = 3) -> bytes:
    return line(
        {
            "model": "fake",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": reason,
            "prompt_eval_count": prompt,
            "eval_count": completion,
        }
    )


async def generate(backend: GenerationBackend, request: ChatRequest) -> list[WireEvent]:
    """Open and read one generation, then close the backend."""
    try:
        generation = await backend.open(request)
        return [event async for event in generation.events()]
    finally:
        await backend.aclose()
