"""Pure decisions of the reconnect loop: what a status means, how long to wait, when to stop.

Everything here is a function of its arguments (no clock, no randomness of its own), so the
rules of protocol §2 and §4.3 can be tested exhaustively without a network.
"""

from __future__ import annotations

import email.utils
import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Final

DEFAULT_RETRY_MS: Final = 1000
#: A ``Retry-After`` beyond this is clamped: waiting longer than a finished stream's default
#: time-to-live (10 minutes) could only end in ``410``, so it is no use sleeping through it.
MAX_RETRY_AFTER: Final = 600.0
JITTER: Final = 0.2
SSE_MEDIA_TYPE: Final = "text/event-stream"


class StatusAction(Enum):
    """What the client does with a response status, before it looks at the body."""

    STREAM = "stream"  # 200: read the body if it is an event stream
    RETRY = "retry"  # 408, 429, 5xx: back off and try again
    UNAUTHORIZED = "unauthorized"  # 401, 403
    NOT_RESUMABLE = "not_resumable"  # 204, or 404/410 on resume
    INVALID = "invalid_request"  # every other status: retrying cannot change it


def classify_status(status: int, *, resuming: bool) -> StatusAction:
    """Map an HTTP status to the client's action (protocol §2, sse-client-notes §5.1)."""
    if status == 200:
        return StatusAction.STREAM
    if status == 204:
        return StatusAction.NOT_RESUMABLE
    if status in (401, 403):
        return StatusAction.UNAUTHORIZED
    if status in (404, 410) and resuming:
        return StatusAction.NOT_RESUMABLE
    if status in (408, 429) or 500 <= status <= 599:
        return StatusAction.RETRY
    return StatusAction.INVALID


def is_event_stream(content_type: str | None) -> bool:
    """Exact media type ``text/event-stream`` in any case, with any parameters.

    Stricter than httpx-sse's substring test (which accepts
    ``application/not-text/event-stream-really``) and laxer than its case-sensitive one.
    """
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == SSE_MEDIA_TYPE


def parse_retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The server's minimum wait in seconds, or ``None`` when it named none (or nonsense).

    Accepts ``retry-after-ms`` (non-standard, milliseconds; wins when present), ``Retry-After`` as
    delay-seconds (floats tolerated) or as an HTTP-date in any of RFC 9110's three forms. Negative
    values and past dates mean "now" (0); values past :data:`MAX_RETRY_AFTER` are clamped to it.

    Args:
        headers: response headers (case-insensitive mapping, e.g. ``httpx.Headers``).
        now: the moment the response was received, for HTTP-dates; ``datetime.now(UTC)`` if omitted.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = _number(lowered.get("retry-after-ms"))
    if millis is not None:
        return _clamp(millis / 1000.0)
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    seconds = _number(raw)
    if seconds is not None:
        return _clamp(seconds)
    try:
        when = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # asctime and "-0000" dates carry no zone; HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    reference = datetime.now(UTC) if now is None else now
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    return _clamp((when - reference).total_seconds())


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _clamp(seconds: float) -> float:
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff_delay(
    attempt: int,
    *,
    retry_ms: int | None,
    cap: float,
    random: Callable[[], float],
    floor: float | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1 for the first retry after a failure).

    The base is the server's last ``retry`` (default 1000 ms) doubled per consecutive failed
    attempt and capped at ``cap``; jitter of ±20 % is applied after the cap, so clients that all
    reached the cap still spread out instead of reconnecting in lockstep. ``floor`` (a
    ``Retry-After`` or an error's ``retry_after``) is a lower bound that no jitter goes below.
    """
    base_ms = DEFAULT_RETRY_MS if retry_ms is None else retry_ms
    exponent = min(max(attempt - 1, 0), 32)  # 2**32 s is far past any cap
    base = min(cap, base_ms / 1000.0 * 2.0**exponent)
    delay = base * (1.0 - JITTER + 2.0 * JITTER * random())
    if floor is not None:
        delay = max(delay, min(floor, MAX_RETRY_AFTER))
    return delay


def error_message(body: bytes, status: int) -> str:
    """The human message of an error response: ``error.message`` of a protocol JSON error body,
    else a generic line naming the status (HTML pages from proxies are not worth showing raw).
    """
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if isinstance(payload.get("message"), str):
            return str(payload["message"])
    return f"the server answered HTTP {status}"
