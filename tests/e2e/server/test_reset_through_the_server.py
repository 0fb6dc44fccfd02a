"""A ``reset`` end to end: the reference server encodes it, the client resumes across it exactly.

The scripted backend plays an answer that breaks off and starts over (what an upstream retry
does); connections are cut every few events, so resumes land before, on and after the reset.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from server_harness import AUTH, START, TOKEN, ServerFactory, read
from servers.scripted_backend import ScriptedBackend, Step, answer_script, expected_text

from desktop.protocol.events import Done, Reset, Token
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter
from desktop.streaming.config import ClientConfig
from desktop.streaming.session import AnswerSession
from desktop.streaming.source import ReconnectingEventSource

pytestmark = pytest.mark.e2e
REQUEST = ChatRequest("Wie öffne ich eine Akte?", options=ChatOptions(max_tokens=30))
RESET = Reset(0, "upstream_retry", "Zeitüberschreitung, neuer Versuch")


def restarting_script(request: ChatRequest, _attempt: int) -> list[Step]:
    steps = answer_script(request)
    tokens = [step for step in steps if isinstance(step.item, Token)]
    abandoned = [Step(Token(0, f"verworfen{i} ", 0)) for i in range(12)]
    return [*steps[:3], *abandoned, Step(RESET), *tokens, steps[-1]]


async def instant(_delay: float) -> None:
    await asyncio.sleep(0)


def test_the_server_sends_reset_as_an_event_of_its_own(make_server: ServerFactory) -> None:
    url = make_server(ScriptedBackend(restarting_script)).url
    body = {"message": REQUEST.message, "options": {}}
    with (
        httpx.Client(base_url=url, headers=AUTH, timeout=10) as http,
        http.stream("POST", START, json=body) as response,
    ):
        received = read(response)
    index = received.names.index("reset")
    assert received.data(index) == {
        "reason": "upstream_retry",
        "message": "Zeitüberschreitung, neuer Versuch",
    }
    assert received.names[index + 1] == "token"
    assert received.ids == list(range(1, len(received.ids) + 1))


@pytest.mark.parametrize("drop_after", ["3", "5", "7"])
def test_resumes_around_a_reset_give_exactly_the_new_attempt(
    make_server: ServerFactory, tmp_path: Path, drop_after: str
) -> None:
    url = make_server(ScriptedBackend(restarting_script), allow_faults=True).url
    db = tmp_path / "cache.sqlite3"

    async def main() -> tuple[AnswerSession, AnswerRecorder]:
        config = ClientConfig(url, token=TOKEN, idle_timeout=10.0, max_attempts=50)
        faults = {"X-Fault-Drop-After": drop_after, "X-Fault-Repeat": "1"}
        async with httpx.AsyncClient(timeout=config.timeout, headers=faults) as http:
            source = ReconnectingEventSource(http, config, REQUEST, sleep=instant)
            with CacheWriter(db) as writer:
                recorder = AnswerRecorder.start(
                    writer, server_url=url, protocol="assist", request=REQUEST
                )
                session = AnswerSession(source, [recorder])
                await session.run()
                recorder.close()
        return session, recorder

    session, recorder = asyncio.run(asyncio.wait_for(main(), 60))
    assert isinstance(session.terminal, Done)
    assert session.resets == 1
    assert session.text == expected_text(REQUEST)
    assert session.source.stats.reconnects > 3
    with CacheRepository.open(db) as repo:
        stored = repo.stream(str(recorder.message_id))
    assert (stored.text, stored.state) == (expected_text(REQUEST), "done")
