"""Bodies an OpenAI-compatible or Ollama upstream sends: SSE chunks and NDJSON lines as bytes.

One set of builders for the decoder tests (bytes alone), the client adapters' tests and the
server backends' tests, so all three read the same wire format.
"""

from __future__ import annotations

import json
from typing import Any

SSE = (("Content-Type", "text/event-stream; charset=utf-8"),)
NDJSON = (("Content-Type", "application/x-ndjson"),)
JSON = (("Content-Type", "application/json"),)


def sse(payload: Any) -> bytes:
    """One SSE ``data:`` frame: JSON for an object, the text itself for a string."""
    data = payload if isinstance(payload, str) else json.dumps(payload)
    return f"data: {data}\n\n".encode()


DONE = sse("[DONE]")


def chunk(
    content: str | None = None,
    *,
    reasoning: str | None = None,
    finish: str | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    role: str | None = None,
) -> bytes:
    """One ``chat.completion.chunk`` as an SSE frame."""
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
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


def usage_chunk(prompt: int, completion: int) -> bytes:
    """The chunk without choices that ``stream_options.include_usage`` asks for."""
    return sse({"choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion}})


def openai_answer(*tokens: str, finish: str = "stop") -> list[bytes]:
    """A whole streamed answer: the role, one chunk per token, the finish, ``[DONE]``."""
    return [chunk(role="assistant"), *(chunk(t) for t in tokens), chunk(finish=finish), DONE]


def line(payload: Any) -> bytes:
    """One NDJSON line: JSON for an object, the text itself for a string."""
    return (payload if isinstance(payload, str) else json.dumps(payload)).encode() + b"\n"


def ollama_piece(content: str = "", **message: Any) -> bytes:
    """One ``/api/chat`` line of a running answer (``thinking=``, ``tool_calls=`` as wanted)."""
    return line(
        {
            "model": "fake",
            "created_at": "2026-11-24T08:00:00Z",
            "message": {"role": "assistant", "content": content, **message},
            "done": False,
        }
    )


def ollama_done(reason: str = "stop", prompt: int = 5, completion: int = 3) -> bytes:
    """The last ``/api/chat`` line, with the finish and the counts."""
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
