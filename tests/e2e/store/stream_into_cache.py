"""Stream one answer into the cache, as the window or ``ask`` would; the crash test kills it.

Usage: ``python stream_into_cache.py URL DB MESSAGE`` with the token in ``ASSIST_TOKEN``.
Prints ``started <message id>`` once the answer's rows are queued, then nothing until the end.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from desktop.protocol.request import ChatRequest
from desktop.store.recorder import open_answer_recording
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.session import AnswerSession
from desktop.streaming.source import ReconnectingEventSource


async def main(url: str, db: Path, message: str) -> int:
    request = ChatRequest(message)
    config = ClientConfig(url, token=os.environ["ASSIST_TOKEN"])
    recorder = open_answer_recording(db, server_url=url, protocol="assist", request=request)
    sys.stdout.write(f"started {recorder.message_id}\n")
    sys.stdout.flush()
    async with make_client(config) as client:
        session = AnswerSession(ReconnectingEventSource(client, config, request), [recorder])
        outcome = await session.run()
    recorder.close()
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3])))
