"""Mapping between the protocol's JSON payloads and the event dataclasses.

Both directions live here so the client and the reference server share one definition.
Decoding is strict about what the protocol requires (a known event with bad JSON or without its
required keys is :class:`MalformedEvent`: the client treats it as a broken connection) and lenient
about everything else (unknown keys are ignored, unknown event names give ``None``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from desktop.protocol.events import (
    EVENT_NAMES,
    FINISH_REASONS,
    TOOL_STATUSES,
    Done,
    Progress,
    Reset,
    StreamError,
    StreamStarted,
    StreamWarning,
    Thinking,
    Token,
    ToolUse,
    Usage,
    WireEvent,
)


class MalformedEvent(ValueError):
    """A known event whose data is not valid JSON or lacks a required key."""


# --- decoding -------------------------------------------------------------------------------


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise MalformedEvent(f"{key!r} must be a string")
    return value


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _int(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedEvent(f"{key!r} must be an integer")
    return value


def _opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if math.isfinite(value) else None


def _opt_float(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _stream(event_id: int, d: Mapping[str, Any]) -> StreamStarted:
    return StreamStarted(
        id=event_id,
        stream_id=_str(d, "stream_id"),
        conversation_id=_opt_str(d, "conversation_id"),
        model=_opt_str(d, "model"),
        created_at=_opt_str(d, "created_at"),
        estimated_tokens=_opt_int(d, "estimated_tokens"),
    )


def _thinking(event_id: int, d: Mapping[str, Any]) -> Thinking:
    message, content = _opt_str(d, "message"), _opt_str(d, "content")
    if message is None and content is None:
        raise MalformedEvent("thinking needs 'message' or 'content'")
    return Thinking(id=event_id, message=message, content=content)


def _tool_use(event_id: int, d: Mapping[str, Any]) -> ToolUse:
    status = _str(d, "status")
    if status not in TOOL_STATUSES:
        raise MalformedEvent(f"unknown tool status {status!r}")
    output = d.get("output")
    return ToolUse(
        id=event_id,
        call_id=_str(d, "call_id"),
        tool=_str(d, "tool"),
        status=status,  # type: ignore[arg-type]
        input=_mapping(d.get("input")),
        output=output if isinstance(output, dict) else None,
        duration_ms=_opt_float(d, "duration_ms"),
    )


def _token(event_id: int, d: Mapping[str, Any]) -> Token:
    return Token(id=event_id, content=_str(d, "content"), index=_int(d, "index"))


def _progress(event_id: int, d: Mapping[str, Any]) -> Progress:
    return Progress(
        id=event_id,
        tokens_sent=_int(d, "tokens_sent"),
        estimated_total=_opt_int(d, "estimated_total"),
        progress_percentage=_opt_float(d, "progress_percentage"),
        tokens_per_second=_opt_float(d, "tokens_per_second"),
        estimated_time_remaining=_opt_float(d, "estimated_time_remaining"),
        elapsed_time=_opt_float(d, "elapsed_time"),
    )


def _warning(event_id: int, d: Mapping[str, Any]) -> StreamWarning:
    return StreamWarning(id=event_id, code=_str(d, "code"), message=_str(d, "message"))


def _reset(event_id: int, d: Mapping[str, Any]) -> Reset:
    return Reset(id=event_id, reason=_str(d, "reason"), message=_opt_str(d, "message"))


def _error(event_id: int, d: Mapping[str, Any]) -> StreamError:
    resumable = d.get("resumable")
    if not isinstance(resumable, bool):
        raise MalformedEvent("'resumable' must be a boolean")
    return StreamError(
        id=event_id,
        error_type=_str(d, "error_type"),
        message=_str(d, "message"),
        resumable=resumable,
        retry_after=_opt_float(d, "retry_after"),
    )


def _done(event_id: int, d: Mapping[str, Any]) -> Done:
    reason = _str(d, "finish_reason")
    if reason not in FINISH_REASONS:
        raise MalformedEvent(f"unknown finish_reason {reason!r}")
    usage = _mapping(d.get("usage"))
    return Done(
        id=event_id,
        finish_reason=reason,  # type: ignore[arg-type]
        usage=Usage(_opt_int(usage, "prompt_tokens"), _opt_int(usage, "completion_tokens")),
        duration_ms=_opt_float(d, "duration_ms"),
    )


_DECODERS: dict[str, Callable[[int, Mapping[str, Any]], WireEvent]] = {
    "stream": _stream,
    "thinking": _thinking,
    "tool_use": _tool_use,
    "token": _token,
    "progress": _progress,
    "warning": _warning,
    "reset": _reset,
    "error": _error,
    "done": _done,
}

KNOWN_EVENT_NAMES = frozenset(_DECODERS)
# ``scan_once`` is the (C) scanner every JSONDecoder builds in __init__; typeshed omits it.
_scan_once: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _parse_json(data: str) -> Any:
    """``json.loads(data)``, minus its per-call overhead.

    For a 30-byte token payload, ``json.loads`` spends most of its time around the C scanner
    (type checks, two whitespace regex matches), so the scanner is called directly and anything
    unusual (leading or trailing whitespace, an error) goes through ``json.loads`` for identical
    results and error messages.
    """
    try:
        value, end = _scan_once(data, 0)
    except (StopIteration, ValueError):
        return json.loads(data)
    return value if end == len(data) else json.loads(data)


def decode_event(event_id: int, name: str, data: str) -> WireEvent | None:
    """Build the event for one SSE message.

    Returns ``None`` for an unknown event name (forward compatibility).

    Raises:
        MalformedEvent: a known event whose data is not a JSON object with its required keys.
    """
    if name == "token":  # the hot path (most events of an answer): no helper calls
        try:
            payload = _parse_json(data)
        except (ValueError, RecursionError):
            payload = None
        if type(payload) is dict:
            content, index = payload.get("content"), payload.get("index")
            if type(content) is str and type(index) is int:  # bool is not an index
                return Token(event_id, content, index)
        # otherwise the general path below says precisely what is wrong
    decoder = _DECODERS.get(name)
    if decoder is None:
        return None
    try:
        payload = _parse_json(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, absurdly deep nesting
        raise MalformedEvent(f"{name} event {event_id}: data is not JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise MalformedEvent(f"{name} event {event_id}: data is not a JSON object")
    try:
        return decoder(event_id, payload)
    except MalformedEvent as exc:
        raise MalformedEvent(f"{name} event {event_id}: {exc}") from None


# --- encoding -------------------------------------------------------------------------------


def event_payload(event: WireEvent) -> dict[str, Any]:
    """The JSON object the protocol sends for ``event`` (without its id)."""
    match event:
        case StreamStarted():
            return {
                "stream_id": event.stream_id,
                "conversation_id": event.conversation_id,
                "model": event.model,
                "created_at": event.created_at,
                "estimated_tokens": event.estimated_tokens,
            }
        case Thinking():
            out: dict[str, Any] = {}
            if event.message is not None:
                out["message"] = event.message
            if event.content is not None:
                out["content"] = event.content
            return out
        case ToolUse():
            out = {
                "call_id": event.call_id,
                "tool": event.tool,
                "status": event.status,
                "input": dict(event.input),
            }
            if event.output is not None:
                out["output"] = dict(event.output)
            if event.duration_ms is not None:
                out["duration_ms"] = event.duration_ms
            return out
        case Token():
            return {"content": event.content, "index": event.index}
        case Progress():
            return {
                "tokens_sent": event.tokens_sent,
                "estimated_total": event.estimated_total,
                "progress_percentage": event.progress_percentage,
                "tokens_per_second": event.tokens_per_second,
                "estimated_time_remaining": event.estimated_time_remaining,
                "elapsed_time": event.elapsed_time,
            }
        case StreamWarning():
            return {"code": event.code, "message": event.message}
        case Reset():
            out = {"reason": event.reason}
            if event.message is not None:
                out["message"] = event.message
            return out
        case StreamError():
            out = {
                "error_type": event.error_type,
                "message": event.message,
                "resumable": event.resumable,
            }
            if event.retry_after is not None:
                out["retry_after"] = event.retry_after
            return out
        case Done():
            return {
                "finish_reason": event.finish_reason,
                "usage": {
                    "prompt_tokens": event.usage.prompt_tokens,
                    "completion_tokens": event.usage.completion_tokens,
                },
                "duration_ms": event.duration_ms,
            }
    raise TypeError(f"not a wire event: {event!r}")  # pragma: no cover


def event_name(event: WireEvent) -> str:
    """The SSE ``event:`` field for ``event``."""
    return EVENT_NAMES[type(event)]


#: Compact JSON with non-ASCII text as is: what the server sends and the cache stores.
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def payload_json(event: WireEvent) -> str:
    """``event_payload(event)`` as compact JSON text.

    A token (almost every event of an answer) skips the dict and the encoder's generic walk:
    the same text, about ten times cheaper, which matters at 100,000 tokens per answer (the
    cache writer encodes every one while the answer streams).
    """
    if type(event) is Token:
        return f'{{"content":{_encode_json(event.content)},"index":{event.index:d}}}'
    return _encode_json(event_payload(event))


def encode_event(event: WireEvent) -> bytes:
    """The complete SSE frame for ``event``: ``id``, ``event`` and one ``data`` line.

    JSON escapes CR and LF inside strings, so the payload always fits one ``data`` line.
    """
    payload = payload_json(event)
    return f"id: {event.id}\nevent: {event_name(event)}\ndata: {payload}\n\n".encode()
