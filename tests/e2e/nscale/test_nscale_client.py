"""The client's ``nscale`` protocol against the fake nscale-assist, on each of its transports.

Exact text, questions that must survive the legacy double decoding, every marker case, the
fallback order, refusals, a cut connection, server sessions and plain language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.streams import (
    DEFAULT_ANSWER,
    AnswerScript,
    answer,
    empty_answer,
    failing,
    final_timeout,
    ollama_down,
    ollama_killed,
    timeout_then_answer,
    words,
)

from desktop.protocol.events import Rejected, Reset, StreamError
from desktop.protocol.request import ChatRequest
from desktop.protocol.upstream.nscale import EMPTY_ANSWER
from desktop.streaming.backends.nscale import NscaleSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source
from desktop.streaming.session import AnswerSession

pytestmark = pytest.mark.e2e
TRANSPORTS = pytest.mark.parametrize("transport", ["v1", "legacy", "whole"])
QUESTION = "Wie öffne ich C++ 100% Akten für Jürgen 🙂?"


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale(token_delay=0.0) as running:
        yield running


async def _instant(_delay: float) -> None:
    await asyncio.sleep(0)


def ask(
    nscale: RunningNscale, question: str = QUESTION, token: str | None = "valid", **options: Any
) -> tuple[AnswerSession, NscaleSource]:
    bearer = nscale.login_token() if token == "valid" else token

    async def main() -> tuple[AnswerSession, NscaleSource]:
        config = ClientConfig(nscale.url, token=bearer, idle_timeout=10.0, max_attempts=3)
        async with make_client(config) as client:
            source = open_source(
                client, config, "nscale", ChatRequest(question), sleep=_instant, **options
            )
            assert isinstance(source, NscaleSource)
            session = AnswerSession(source)
            await session.run()
            return session, source

    return asyncio.run(asyncio.wait_for(main(), 60))


@TRANSPORTS
def test_each_transport_gives_the_exact_text_and_the_question_intact(
    nscale: RunningNscale, transport: str
) -> None:
    session, source = ask(nscale, transport=transport)
    assert session.outcome is not None
    assert session.outcome.kind == "done"
    assert session.text == "".join(DEFAULT_ANSWER)  # umlauts, an arrow and an emoji
    assert source.tried == [transport]
    (generation,) = nscale.fake.generations
    assert generation.question == QUESTION
    saved = nscale.fake.history.sessions[generation.session_id].messages[-1]
    assert (saved.is_user, saved.message) == (False, session.text)


@TRANSPORTS
def test_the_whole_answer_transport_shows_its_sources_as_a_search_card(
    nscale: RunningNscale, transport: str
) -> None:
    nscale.fake.scripts.append(AnswerScript(words("Siehe Handbuch."), sources=("Akten.md",)))
    session, _ = ask(nscale, transport=transport)
    cards = list(session.tool_calls.values())
    if transport == "whole":
        (card,) = cards
        assert (card.tool, card.status) == ("document_search", "completed")
        assert card.output == {"hits": [{"title": "Akten.md", "score": None, "snippet": ""}]}
    else:
        assert cards == []  # the streams carry no sources


@pytest.mark.parametrize(
    ("script", "kind", "text", "error"),
    [
        (ollama_down(), "failed", "", "upstream"),
        (ollama_killed(after=4), "failed", "".join(DEFAULT_ANSWER[:4]), "upstream"),
        (final_timeout(after=3), "failed", "".join(DEFAULT_ANSWER[:3]), "network_timeout"),
        (timeout_then_answer(after=3), "done", "".join(DEFAULT_ANSWER), None),
        (empty_answer(), "failed", "", "upstream"),
        (failing("[NO_TOKENS]", "Keine Tokens", words("Teil")), "failed", " Teil", "upstream"),
    ],
    ids=["ollama-down", "ollama-killed", "final-timeout", "timeout-restart", "empty", "no-tokens"],
)
@TRANSPORTS
def test_every_marker_case(
    nscale: RunningNscale,
    transport: str,
    script: AnswerScript,
    kind: str,
    text: str,
    error: str | None,
) -> None:
    nscale.fake.scripts.append(script)
    session, _ = ask(nscale, transport=transport)
    assert session.outcome is not None
    assert session.outcome.kind == kind
    assert session.text == text
    terminal = session.terminal
    if error is None:
        assert session.resets == 1
    else:
        assert isinstance(terminal, StreamError)
        assert (terminal.error_type, terminal.resumable) == (error, False)
        if script.tokens == ():
            assert terminal.message == EMPTY_ANSWER


def test_a_reset_is_numbered_just_before_the_new_attempts_first_token(
    nscale: RunningNscale,
) -> None:
    nscale.fake.scripts.append(timeout_then_answer(after=2))
    events: list[Any] = []

    async def main() -> None:
        config = ClientConfig(nscale.url, token=nscale.login_token())
        async with make_client(config) as client:
            source = open_source(client, config, "nscale", ChatRequest("q"))
            events.extend([event async for event in source.events()])

    asyncio.run(main())
    (reset,) = [e for e in events if isinstance(e, Reset)]
    following = events[events.index(reset) + 1]
    assert (following.content, following.id) == (DEFAULT_ANSWER[0], reset.id + 1)


def test_the_fallback_order_is_v1_then_legacy_then_the_whole_answer() -> None:
    with start_fake_nscale(token_delay=0.0, unpatched=True) as nscale:
        nscale.fake.missing.add("v1-post")
        session, source = ask(nscale)
        assert source.tried == ["v1", "legacy", "whole"]
        assert source.transport == "whole"
        assert session.text == "".join(DEFAULT_ANSWER)
        assert [g.endpoint for g in nscale.fake.generations] == ["question"]


def test_a_remembered_transport_is_tried_first(nscale: RunningNscale) -> None:
    _, source = ask(nscale, transport="legacy")
    assert source.tried == ["legacy"]
    nscale.fake.missing.add("legacy")
    _, source = ask(nscale, transport="legacy")
    assert source.tried == ["legacy", "v1"]


def test_without_any_working_endpoint_the_answer_is_refused_clearly(nscale: RunningNscale) -> None:
    nscale.fake.missing.update({"v1-post", "legacy", "question"})
    session, _ = ask(nscale)
    assert isinstance(session.terminal, Rejected)
    assert session.terminal.reason == "protocol"
    assert "none of nscale-assist's answer endpoints" in session.terminal.message


@TRANSPORTS
@pytest.mark.parametrize("token", [None, "not.a.jwt", "expired"])
def test_a_missing_bad_or_expired_token_is_unauthorized_on_every_transport(
    nscale: RunningNscale, transport: str, token: str | None
) -> None:
    bearer = nscale.login_token(expires_in=-5) if token == "expired" else token
    session, _ = ask(nscale, token=bearer, transport=transport, session_id=1)
    assert isinstance(session.terminal, Rejected)
    assert session.terminal.reason == "unauthorized"
    assert session.terminal.status == 401
    assert session.outcome is not None
    assert session.outcome.exit_code == 3
    assert nscale.fake.generations == []


def test_an_unauthorized_session_request_stops_before_the_question(nscale: RunningNscale) -> None:
    session, _ = ask(nscale, token="not.a.jwt")
    assert isinstance(session.terminal, Rejected)
    assert session.terminal.message == "Ungültiges oder abgelaufenes Token"


@pytest.mark.parametrize("transport", ["v1", "legacy"])
def test_a_connection_cut_mid_answer_keeps_the_text_and_is_not_resumed(
    nscale: RunningNscale, transport: str
) -> None:
    nscale.fake.scripts.append(AnswerScript(DEFAULT_ANSWER, cut_after=5))
    session, _ = ask(nscale, transport=transport)
    assert session.text == "".join(DEFAULT_ANSWER[:5])
    assert isinstance(session.terminal, Rejected)
    assert session.terminal.reason == "not_resumable"
    assert len(nscale.fake.generations) == 1  # nothing asked again behind the user's back


def test_one_server_session_per_conversation_and_follow_ups_reuse_it(
    nscale: RunningNscale,
) -> None:
    _, first = ask(nscale, "Erste Frage")
    assert first.session_id is not None
    _, second = ask(nscale, "Zweite Frage", session_id=first.session_id)
    assert second.session_id == first.session_id
    session = nscale.fake.history.sessions[first.session_id]
    assert session.title == "Erste Frage"
    assert [m.message for m in session.messages if m.is_user] == ["Erste Frage", "Zweite Frage"]


@TRANSPORTS
def test_simple_language_reaches_the_backend(nscale: RunningNscale, transport: str) -> None:
    ask(nscale, transport=transport, simple_language=True)
    ask(nscale, transport=transport)
    assert [g.simple_language for g in nscale.fake.generations] == [True, False]


def test_a_long_question_skips_the_transports_that_cannot_carry_it(nscale: RunningNscale) -> None:
    nscale.fake.missing.add("v1-post")
    session, source = ask(nscale, "Akte " * 2000)  # 10,000 characters
    assert isinstance(session.terminal, Rejected)
    assert source.tried == ["v1"]  # the legacy URL would be too long, the whole POST refuses
    nscale.fake.missing.clear()
    session, _ = ask(nscale, "Akte " * 2000)
    assert session.outcome is not None
    assert session.outcome.kind == "done"
    assert nscale.fake.generations[-1].question == "Akte " * 2000


def test_answers_arrive_at_the_real_pace_too() -> None:
    with start_fake_nscale() as nscale:  # 10 ms per token, as the real engine sleeps
        session, _ = ask(nscale, transport="legacy")
    assert session.text == "".join(answer().tokens)


def test_the_windows_source_factory_keeps_each_conversations_session(nscale: RunningNscale) -> None:
    from desktop.streaming.source_factory import StreamingSourceFactory

    nscale.fake.missing.add("v1-post")

    async def main() -> list[str]:
        factory = StreamingSourceFactory(
            ClientConfig(nscale.url, token=nscale.login_token()), "nscale"
        )
        factory.simple_language = True
        texts = []
        for conversation, question in [("a", "Erste"), ("b", "Andere"), ("a", "Zweite")]:
            source = factory.start(ChatRequest(question, conversation_id=conversation))
            session = AnswerSession(source)
            await session.run()
            texts.append(session.text)
        await factory.aclose()
        assert factory.transport == "legacy"
        return texts

    assert asyncio.run(main()) == ["".join(DEFAULT_ANSWER)] * 3
    first, other, second = nscale.fake.generations
    assert first.session_id == second.session_id != other.session_id
    assert [g.endpoint for g in nscale.fake.generations] == ["legacy"] * 3
    assert all(g.simple_language for g in nscale.fake.generations)


def test_the_window_keeps_sessions_and_the_endpoint_in_the_cache_across_runs(
    nscale: RunningNscale, tmp_path: Path
) -> None:
    from desktop.store.recorder import AnswerRecorder
    from desktop.store.server_records import ServerMemory
    from desktop.store.writer import CacheWriter
    from desktop.streaming.source_factory import StreamingSourceFactory

    nscale.fake.missing.add("v1-post")
    config = ClientConfig(nscale.url, token=nscale.login_token())

    async def answer_in(
        factory: StreamingSourceFactory, writer: CacheWriter, question: str
    ) -> None:
        request = ChatRequest(question, conversation_id="conv-1")
        recorder = AnswerRecorder.start(
            writer, server_url=nscale.url, protocol="nscale", request=request
        )
        await AnswerSession(factory.start(request), [recorder]).run()
        recorder.close()
        await factory.aclose()

    with CacheWriter(tmp_path / "cache.sqlite3") as writer:  # the first run of the app
        first = StreamingSourceFactory(config, "nscale")
        first.remember = ServerMemory(writer, nscale.url)
        asyncio.run(answer_in(first, writer, "Erste Frage"))
    with CacheWriter(tmp_path / "cache.sqlite3") as writer:  # the app started again
        sessions, transport = ServerMemory(writer, nscale.url + "/").load()
        assert (sessions, transport) == (
            {"conv-1": nscale.fake.generations[0].session_id},
            "legacy",
        )
        second = StreamingSourceFactory(config, "nscale")
        second.sessions.update(sessions)
        second.transport = "legacy"
        asyncio.run(answer_in(second, writer, "Zweite Frage"))
    first_answer, follow_up = nscale.fake.generations
    assert follow_up.session_id == first_answer.session_id
    assert follow_up.endpoint == "legacy"
