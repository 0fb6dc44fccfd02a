"""Asking an Assist server what it offers beyond the core protocol (``GET /api/v1/capabilities``).

Any trouble (no such route, a refusal, a network error) means the core protocol only: the
extension is optional, and the answers themselves will report real trouble clearly.
"""

from __future__ import annotations

import httpx

from desktop.protocol.capabilities import (
    CAPABILITIES_PATH,
    CORE_ONLY,
    Capabilities,
    read_capabilities,
)
from desktop.streaming.config import ClientConfig

#: The question is small and optional; a slow server should not hold the window back long.
CAPABILITIES_TIMEOUT_S = 10.0


async def fetch_capabilities(client: httpx.AsyncClient, config: ClientConfig) -> Capabilities:
    """The server's capabilities, or :data:`CORE_ONLY` when it does not say."""
    try:
        reply = await client.get(
            config.root + CAPABILITIES_PATH,
            headers={"Accept": "application/json", **config.auth_headers()},
            timeout=CAPABILITIES_TIMEOUT_S,
        )
    except httpx.HTTPError:
        return CORE_ONLY
    return read_capabilities(reply.status_code, reply.content)
