"""Asking an Assist server what it offers beyond the core protocol (``GET /api/v1/capabilities``).

Any trouble (no such route, a refusal, a network error, a reply too big or unreadable) means the
core protocol only: the extension is optional, and the answers themselves will report real trouble
clearly.
"""

from __future__ import annotations

import logging
from typing import Final

import httpx

from desktop.protocol.capabilities import (
    CAPABILITIES_PATH,
    CORE_ONLY,
    Capabilities,
    MalformedCapabilities,
    parse_capabilities,
)
from desktop.streaming.config import ClientConfig

log = logging.getLogger(__name__)

#: The question is small and optional; a slow server should not hold the window back long.
CAPABILITIES_TIMEOUT_S = 10.0
#: A real reply is a few dozen bytes; past this a misbehaving server is not read any further.
CAPABILITIES_MAX_BYTES: Final = 64 * 1024


class _TooBig(Exception):
    """The reply passed :data:`CAPABILITIES_MAX_BYTES`; raised out of the stream's context so
    the half-read response is closed before the log line."""


async def fetch_capabilities(client: httpx.AsyncClient, config: ClientConfig) -> Capabilities:
    """The server's capabilities, or :data:`CORE_ONLY` when it does not say."""
    url = config.root + CAPABILITIES_PATH
    try:
        async with client.stream(
            "GET",
            url,
            headers={"Accept": "application/json", **config.auth_headers()},
            timeout=CAPABILITIES_TIMEOUT_S,
        ) as reply:
            if reply.status_code != 200:
                return CORE_ONLY
            body = await _read_capped(reply)
    except httpx.HTTPError:
        return CORE_ONLY
    except _TooBig:
        log.warning(
            "capabilities reply from %s is over %d bytes; using the core protocol only",
            url,
            CAPABILITIES_MAX_BYTES,
        )
        return CORE_ONLY
    try:
        return parse_capabilities(body)
    except MalformedCapabilities as error:
        log.warning("capabilities reply from %s is %s; using the core protocol only", url, error)
        return CORE_ONLY


async def _read_capped(reply: httpx.Response) -> bytes:
    """The body, or :class:`_TooBig` as soon as it passes the cap (leaving the stream unread:
    closing a half-read response discards its connection)."""
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > CAPABILITIES_MAX_BYTES:
        raise _TooBig
    parts: list[bytes] = []
    size = 0
    async for part in reply.aiter_bytes():
        size += len(part)
        if size > CAPABILITIES_MAX_BYTES:
            raise _TooBig
        parts.append(part)
    return b"".join(parts)
