"""The single-process limits, reading a stream's position back from its logged frames, and
which backends continue a stream, checked against its logged text."""

from __future__ import annotations

import asyncio

import pytest
from servers.scripted_backend import ScriptedBackend

from desktop.protocol.events import (
    Progress,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
    WireEvent,
)
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.protocol.wire import encode_event
from desktop.server.backends.demo import DemoBackend
from desktop.server.backends.knowledge import KnowledgeBase
from desktop.server.backends.ollama import OllamaBackend
from desktop.server.backends.openai import OpenAIBackend
from desktop.server.continuation import LoggedText, TextDiffers, continues, logged_position
from desktop.server.limits import TOO_MANY_STARTS, TOO_MANY_STREAMS, LocalLimits


def test_local_limits_count_running_streams_per_token() -> None:
    async def scenario() -> None:
        limits = LocalLimits(max_streams=2, starts_per_minute=0)
        assert await limits.admit("alice", "s1") is None
        assert await limits.admit("alice", "s2") is None
        refusal = await limits.admit("alice", "s3")
        assert refusal is not None
        assert refusal.message == TOO_MANY_STREAMS
        assert await limits.admit("bob", "s4") is None
        await limits.release("alice", "s1")
        assert await limits.admit("alice", "s3") is None

    asyncio.run(scenario())


def test_local_limits_refuse_starts_past_the_rate_with_the_wait_until_the_next() -> None:
    async def scenario() -> None:
        limits = LocalLimits(max_streams=100, starts_per_minute=2)
        assert await limits.admit("alice", "s1") is None
        assert await limits.admit("alice", "s2") is None
        refusal = await limits.admit("alice", "s3")
        assert refusal is not None
        assert refusal.message == TOO_MANY_STARTS
        assert 29 < refusal.retry_after <= 30  # one start every 30 s

    asyncio.run(scenario())


def _frames(events: list[WireEvent]) -> list[bytes]:
    return [encode_event(e) for e in events]


def test_the_logged_position_counts_tokens_text_and_the_backend_s_own_events() -> None:
    frames = _frames(
        [
            StreamStarted(1, "s" * 32, None, "m", "2026-12-07T10:00:00.000+00:00", 5),
            Thinking(2, message="hm"),
            ToolUse(3, "c1", "document_search", "started", {}),
            Token(4, "Hal", 0),
            Token(5, "lo ", 1),
            Progress(6, tokens_sent=2),
            Token(7, "Welt", 2),
        ]
    )
    position = logged_position(frames)
    assert (position.next_id, position.tokens, position.text) == (8, 3, "Hallo Welt")
    assert position.backend_events == 2
    assert position.created_at is not None
    assert position.created_at.year == 2026


def test_the_demo_continues_from_a_position_with_the_same_text() -> None:
    async def scenario() -> None:
        knowledge = KnowledgeBase.load()
        backend = DemoBackend(knowledge, token_rate=0)
        request = ChatRequest("Wie exportiere ich?", options=ChatOptions(max_tokens=40))
        assert continues(backend, request)
        whole = [e async for e in (await backend.open(request)).events()]
        again = [e async for e in (await backend.open_at(request, 15)).events()]
        tokens = [e.content for e in whole if isinstance(e, Token)]
        assert [e.content for e in again if isinstance(e, Token)] == tokens
        await backend.aclose()
        knowledge.close()

    asyncio.run(scenario())


def test_a_backend_without_continuation_is_not_continued() -> None:
    assert not continues(ScriptedBackend(), ChatRequest("x"))


@pytest.mark.parametrize("backend_type", [OpenAIBackend, OllamaBackend])
def test_an_upstream_continues_exactly_the_requests_with_a_seed_and_temperature_0(
    backend_type: type[OpenAIBackend | OllamaBackend],
) -> None:
    async def scenario() -> None:
        backend = backend_type("http://127.0.0.1:9")
        try:
            ask = ChatRequest("x", options=ChatOptions(temperature=0, seed=1))
            assert continues(backend, ask)
            for options in (
                ChatOptions(temperature=0),
                ChatOptions(seed=1),
                ChatOptions(temperature=0.1, seed=1),
                ChatOptions(),
            ):
                assert not continues(backend, ChatRequest("x", options=options))
        finally:
            await backend.aclose()

    asyncio.run(scenario())


def test_regenerated_text_chunked_differently_yields_only_what_follows_the_log() -> None:
    logged = LoggedText("Hallo Welt")
    assert [logged.after(piece) for piece in ("Hal", "lo W", "elt, wie", " geht's")] == [
        "",
        "",
        ", wie",
        " geht's",
    ]
    logged.check_complete()


@pytest.mark.parametrize(
    ("matching", "differing"), [(["Hallo"], " Erde"), ([], "Hallo Weld!"), (["H"], "x")]
)
def test_regenerated_text_that_differs_from_the_log_is_refused(
    matching: list[str], differing: str
) -> None:
    logged = LoggedText("Hallo Welt")
    for piece in matching:
        assert logged.after(piece) == ""
    with pytest.raises(TextDiffers):
        logged.after(differing)


def test_a_regenerated_answer_shorter_than_the_log_is_refused() -> None:
    logged = LoggedText("Hallo Welt")
    assert logged.after("Hallo") == ""
    with pytest.raises(TextDiffers):
        logged.check_complete()
