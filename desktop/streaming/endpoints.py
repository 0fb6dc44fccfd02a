"""The protocol's three client requests (start, resume, cancel), built in one place.

Header rules from protocol §1 and sse-client-notes §6.5: ``Accept: text/event-stream``,
``Cache-Control: no-cache``, the bearer token on every request (a stream can be resumed or
cancelled only with the token that started it), the same ``Idempotency-Key`` on every retry of a
start, and ``Last-Event-ID`` = the last applied id on a resume. Compression is declined because a
compressing proxy or server holds small events back until a block fills.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig

START_PATH = "/api/v1/chat/stream"


def stream_url(config: ClientConfig, stream_id: str) -> str:
    """``/api/v1/streams/{id}`` (status and ``DELETE``); the id is quoted, being server data."""
    return f"{config.root}/api/v1/streams/{quote(stream_id, safe='')}"


def _stream_headers(config: ClientConfig) -> dict[str, str]:
    return {
        "Accept": "text/event-stream",
        "Cache-Control": "no-cache",
        "Accept-Encoding": "identity",
        **config.auth_headers(),
    }


def start_request(
    client: httpx.AsyncClient,
    config: ClientConfig,
    request: ChatRequest,
    idempotency_key: str,
    url: str | None = None,
) -> httpx.Request:
    """``POST /api/v1/chat/stream`` (or ``url``, where a redirect moved it) with the JSON body
    and the start's idempotency key."""
    headers = _stream_headers(config)
    headers["Idempotency-Key"] = idempotency_key
    return client.build_request(
        "POST",
        url or config.root + START_PATH,
        json=request.to_json(),
        headers=headers,
        timeout=config.timeout,
    )


def resume_request(
    client: httpx.AsyncClient, config: ClientConfig, stream_id: str, last_event_id: int
) -> httpx.Request:
    """``GET /api/v1/streams/{id}/events`` from the last applied id (an integer, so the header
    is plain ASCII digits and never needs the UTF-8 bytes form)."""
    headers = _stream_headers(config)
    headers["Last-Event-ID"] = str(last_event_id)
    return client.build_request(
        "GET", stream_url(config, stream_id) + "/events", headers=headers, timeout=config.timeout
    )
