"""``assist-desktop history import --server URL``: copy nscale-assist's chat history into the cache.

Each of the user's server sessions (``GET /api/sessions``, then ``GET /api/session/{id}``)
becomes a local conversation, so the web frontend's conversations can be read and searched
offline like any other. Importing again updates the same conversations and adds nothing
twice; follow-up questions asked in the app go to the same server session. The token comes
from ``--token`` or ``$ASSIST_TOKEN``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from functools import partial
from typing import Final

import httpx

from desktop.commands.cache_access import db_path_of, err, out
from desktop.exit_codes import Exit
from desktop.protocol.upstream.nscale.history import ServerMessage, ServerSession
from desktop.streaming.config import ClientConfig

TOKEN_ENV: Final = "ASSIST_TOKEN"


def run(args: argparse.Namespace) -> int:
    """Fetch every session, then write them in one go; 0, 2 (usage, cache) or 3 (refused)."""
    from desktop.protocol.upstream.chat_stream import UpstreamFormatError
    from desktop.protocol.upstream.nscale import read_refusal
    from desktop.store.errors import CacheError
    from desktop.store.server_records import ImportedMessage, ImportedSession, import_session
    from desktop.store.writer import CacheWriter

    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV) or None
    config = ClientConfig(args.server, token=token)
    try:
        fetched = asyncio.run(_fetch(config))
    except _Refused as exc:
        refusal = read_refusal(exc.status, exc.body)
        hint = " (log in, or give --token)" if refusal.kind == "unauthorized" else ""
        err(f"assist-desktop history import: {args.server} refused: {refusal.message}{hint}")
        return Exit.REJECTED
    except (httpx.HTTPError, OSError) as exc:
        err(f"assist-desktop history import: cannot reach {args.server}: {exc}")
        return Exit.USAGE
    except UpstreamFormatError as exc:
        err(f"assist-desktop history import: {args.server} is not nscale-assist: {exc}")
        return Exit.REJECTED
    sessions = [
        ImportedSession(
            summary.id,
            summary.title,
            summary.created,
            summary.updated,
            [ImportedMessage(m.is_user, m.text, m.timestamp) for m in messages],
        )
        for summary, messages in fetched
    ]
    now = time.time()
    try:
        with CacheWriter(db_path_of(args)) as writer:
            results = [
                writer.submit(
                    partial(import_session, server_url=args.server, session=s, now=now)
                ).result()
                for s in sessions
            ]
    except CacheError as exc:
        err(f"assist-desktop: {exc}")
        return Exit.USAGE
    added = sum(1 for _, new in results if new)
    out(
        f"imported {len(results)} conversations from {args.server} "
        f"({added} new, {len(results) - added} updated)"
    )
    return Exit.OK


class _Refused(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body


async def _fetch(config: ClientConfig) -> list[tuple[ServerSession, list[ServerMessage]]]:
    from desktop.protocol.upstream.nscale.history import parse_session, parse_sessions
    from desktop.protocol.upstream.nscale.requests import SESSION_PATH, SESSIONS_PATH
    from desktop.streaming.config import make_client

    base = config.base_url.rstrip("/")
    async with make_client(config) as client:

        async def get(path: str) -> bytes:
            reply = await client.get(base + path, headers=config.auth_headers())
            if reply.status_code != 200:
                raise _Refused(reply.status_code, reply.content)
            return reply.content

        sessions = parse_sessions(await get(SESSIONS_PATH))
        return [
            (session, list(parse_session(await get(f"{SESSION_PATH}/{session.id}"))))
            for session in sessions
        ]
