"""Builders for OpenAI and Ollama response bodies, and a runner that collects a source's events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from desktop.protocol.events import StreamEvent, Token, is_terminal
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import BackendProtocol, open_source

SSE = (("Content-Type", "text/event-stream; charset=utf-8"),)
NDJSON = (("Content-Type", "application/x-ndjson"),)


def chunk(
    content: str | None = None,
    *,
    reasoning: str | None = None,
    finish: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    role: str | None = None,
) -> bytes:
    """One OpenAI ``chat.completion.chunk`` as an SSE frame."""
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    if tool_calls is not None:
        delta["tool_calls"] = tool_calls
    payload = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "model": "fake",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def usage_chunk(prompt: int, completion: int) -> bytes:
    payload = {"choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion}}
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"


def openai_answer(*tokens: str, finish: str = "stop") -> list[bytes]:
    return [chunk(role="assistant"), *(chunk(t) for t in tokens), chunk(finish=finish), DONE]


def line(payload: dict[str, Any]) -> bytes:
    """One Ollama NDJSON line."""
    return json.dumps(payload).encode() + b"\n"


def ollama_piece(content: str = "", *, thinking: str | None = None) -> bytes:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if thinking is not None:
        message["thinking"] = thinking
    return line({"model": "m", "message": message, "done": False})


def ollama_done(prompt: int = 3, completion: int = 2, reason: str = "stop") -> bytes:
    return line(
        {
            "model": "m",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": reason,
            "prompt_eval_count": prompt,
            "eval_count": completion,
        }
    )


class Sleeps:
    """An injected ``sleep`` that records delays and waits only a moment."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0.001)


def request(message: str = "Hallo?", **options: Any) -> ChatRequest:
    return ChatRequest(message, options=ChatOptions(**options))


async def collect(
    url: str,
    protocol: BackendProtocol,
    *,
    model: str | None = "m",
    config: dict[str, Any] | None = None,
    on_event: Callable[[AnswerSource, StreamEvent], None] | None = None,
    **options: Any,
) -> tuple[list[StreamEvent], AnswerSource]:
    """Run one source to its end against ``url`` and return everything it yielded."""
    cfg = ClientConfig(url, **(config or {}))
    async with make_client(cfg) as client:
        options.setdefault("sleep", Sleeps())
        source = open_source(client, cfg, protocol, request(), model=model, **options)
        events: list[StreamEvent] = []
        async for event in source.events():
            events.append(event)
            if on_event is not None:
                on_event(source, event)
            assert len(events) < 10_000
        assert is_terminal(events[-1])
        return events, source


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.content for e in events if isinstance(e, Token))


def of_type(events: list[StreamEvent], kind: type[Any]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]
