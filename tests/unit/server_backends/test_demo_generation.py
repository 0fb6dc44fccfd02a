"""The demo backend: event order, determinism across token rates, citations, pacing."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections.abc import Sequence

import pytest

from desktop.protocol.events import Done, Thinking, Token, ToolUse, WireEvent
from desktop.protocol.request import ChatOptions, ChatRequest, HistoryItem
from desktop.server.backends import demo as demo_module
from desktop.server.backends.demo import MODEL_NAME, THINK_TOKENS, DemoBackend
from desktop.server.backends.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def collect(kb: KnowledgeBase, request: ChatRequest, rate: float = 0) -> list[WireEvent]:
    async def run() -> list[WireEvent]:
        backend = DemoBackend(kb, token_rate=rate)
        generation = await backend.open(request)
        return [event async for event in generation.events()]

    return asyncio.run(run())


def text_of(events: Sequence[WireEvent]) -> str:
    return "".join(e.content for e in events if isinstance(e, Token))


def without_timing(events: Sequence[WireEvent]) -> list[WireEvent]:
    """The events with the measured search time blanked (the only thing that varies)."""
    return [
        dataclasses.replace(e, duration_ms=None) if isinstance(e, ToolUse) else e for e in events
    ]


def test_events_come_in_order_thinking_search_tokens_done(kb: KnowledgeBase) -> None:
    events = collect(kb, ChatRequest("Wie exportiere ich eine Unterhaltung?"))
    kinds = [type(e).__name__ for e in events]
    first_token = kinds.index("Token")
    assert kinds[0] == "Thinking"
    assert set(kinds[:first_token]) == {"Thinking", "ToolUse"}
    assert set(kinds[first_token:-1]) == {"Token"}
    assert kinds[-1] == "Done"
    assert kinds.count("Done") == 1
    assert all(e.id == 0 for e in events)
    tools = [e for e in events if isinstance(e, ToolUse)]
    assert [t.status for t in tools] == ["started", "completed"]
    assert tools[0].call_id == tools[1].call_id
    assert tools[0].tool == "document_search"
    assert tools[0].input == {"query": "Wie exportiere ich eine Unterhaltung?", "limit": 5}
    assert tools[1].duration_ms is not None
    assert tools[1].duration_ms >= 0
    tokens = [e for e in events if isinstance(e, Token)]
    assert [t.index for t in tokens] == list(range(len(tokens)))


def test_the_search_output_lists_real_hits_and_scores(kb: KnowledgeBase) -> None:
    question = "Wie exportiere ich eine Unterhaltung?"
    events = collect(kb, ChatRequest(question))
    completed = next(e for e in events if isinstance(e, ToolUse) and e.status == "completed")
    assert completed.output is not None
    hits = completed.output["hits"]
    expected = kb.search(question, 5)
    assert [(h["title"], h["score"], h["snippet"]) for h in hits] == [
        (h.title, h.score, h.snippet) for h in expected
    ]
    assert hits[0]["title"] == "Unterhaltung exportieren"


def test_the_answer_is_the_same_at_every_token_rate(kb: KnowledgeBase) -> None:
    request = ChatRequest(
        "und als PDF?",
        history=(
            HistoryItem("user", "Wie exportiere ich eine Unterhaltung?"),
            HistoryItem("assistant", "Über den Verlauf."),
        ),
    )
    fast = collect(kb, request, rate=0)
    paced = collect(kb, request, rate=4000)
    again = collect(kb, request, rate=0)
    assert without_timing(fast) == without_timing(paced) == without_timing(again)
    assert text_of(fast) == text_of(paced)


def test_a_german_question_gets_a_german_answer_with_citations(kb: KnowledgeBase) -> None:
    events = collect(kb, ChatRequest("Wie lange muss ich Rechnungen aufbewahren?"))
    text = text_of(events)
    assert text.startswith("Dazu habe ich in der Wissensdatenbank")
    assert "[1]" in text
    assert "**Quellen**" in text
    assert "- [1] Aufbewahrungsfristen und Löschsperren" in text
    assert "zehn Jahre" in text  # quoted from the article
    thinking = [e for e in events if isinstance(e, Thinking)]
    assert thinking[0].message == "Analysiere Ihre Anfrage..."
    assert any(t.content and "Aufbewahrungsfristen" in t.content for t in thinking)


def test_an_english_question_gets_an_english_answer_even_from_a_german_article(
    kb: KnowledgeBase,
) -> None:
    events = collect(kb, ChatRequest("How do I export a conversation?"))
    text = text_of(events)
    assert text.startswith("Here is what the knowledge base says")
    assert "(the article is in German)" in text
    assert "**Sources**" in text
    assert "de-export-unterhaltung.md" in text
    assert next(e for e in events if isinstance(e, Thinking)).message == "Analysing your question…"


def test_every_citation_has_its_source(kb: KnowledgeBase) -> None:
    text = text_of(collect(kb, ChatRequest("what does error PERM-403 mean")))
    body, sources = text.split("**Sources**")
    cited = {int(n) for n in re.findall(r"\[(\d)\]", body)}
    listed = {int(n) for n in re.findall(r"^- \[(\d)\]", sources, flags=re.M)}
    assert cited == listed
    assert cited == set(range(1, len(cited) + 1))


def test_nothing_found_is_said_plainly_with_a_suggestion(kb: KnowledgeBase) -> None:
    events = collect(kb, ChatRequest("What's the weather tomorrow?"))
    completed = next(e for e in events if isinstance(e, ToolUse) and e.status == "completed")
    assert completed.output == {"hits": []}
    text = text_of(events)
    assert "could not find anything" in text
    assert "rephrasing" in text
    assert "- Permissions and roles" in text  # topics it can help with
    german = text_of(collect(kb, ChatRequest("Wie wird das Wetter morgen?")))
    assert "leider nichts gefunden" in german
    assert "formulieren Sie" in german


def test_a_short_follow_up_also_searches_with_the_previous_question(kb: KnowledgeBase) -> None:
    alone = collect(kb, ChatRequest("und als PDF?"))
    follow_up = collect(
        kb,
        ChatRequest(
            "und als PDF?", history=(HistoryItem("user", "Wie exportiere ich eine Unterhaltung?"),)
        ),
    )
    query = next(e for e in follow_up if isinstance(e, ToolUse)).input["query"]
    assert "Unterhaltung" in query
    assert "Unterhaltung exportieren" in text_of(follow_up)
    assert text_of(alone) != text_of(follow_up)


def test_estimated_tokens_is_exact_and_usage_counts_both_sides(kb: KnowledgeBase) -> None:
    async def run() -> tuple[int, list[WireEvent], str]:
        generation = await DemoBackend(kb, token_rate=0).open(ChatRequest("SSO redirect loop"))
        events = [e async for e in generation.events()]
        return generation.info.estimated_tokens, events, generation.info.model

    estimated, events, model = asyncio.run(run())
    tokens = [e for e in events if isinstance(e, Token)]
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason == "stop"
    assert estimated == len(tokens) == done.usage.completion_tokens
    assert done.usage.prompt_tokens == 3
    assert model == MODEL_NAME


def test_max_tokens_cuts_the_answer_with_finish_reason_length(kb: KnowledgeBase) -> None:
    request = ChatRequest("SSO redirect loop", options=ChatOptions(max_tokens=7))
    events = collect(kb, request)
    full = text_of(collect(kb, ChatRequest("SSO redirect loop")))
    assert len([e for e in events if isinstance(e, Token)]) == 7
    assert full.startswith(text_of(events))
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason == "length"


def test_tokens_are_words_with_their_leading_whitespace(kb: KnowledgeBase) -> None:
    tokens = [e.content for e in collect(kb, ChatRequest("OCR")) if isinstance(e, Token)]
    assert not tokens[0][0].isspace()
    assert all(t.strip() and not t.strip()[0].isspace() for t in tokens)
    assert all(t[0].isspace() for t in tokens[1:])


def test_pacing_never_runs_ahead_of_the_schedule(kb: KnowledgeBase) -> None:
    rate = 400.0
    think = THINK_TOKENS / rate

    async def run() -> tuple[float, list[tuple[float, WireEvent]]]:
        generation = await DemoBackend(kb, token_rate=rate).open(ChatRequest("OCR"))
        start = time.monotonic()
        return start, [(time.monotonic(), e) async for e in generation.events()]

    start, timed = asyncio.run(run())
    tokens = [(t, e) for t, e in timed if isinstance(e, Token)]
    # Lower bounds only: token i is never early, whatever the machine's load.
    for at, token in tokens:
        assert at - start >= think + token.index / rate - 0.002


def test_tokens_that_fell_behind_are_sent_without_waiting(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedule is absolute: after a stall the overdue tokens go out at once (no drift)."""
    waits: list[float] = []
    real_sleep = asyncio.sleep

    async def recording_sleep(delay: float) -> None:
        waits.append(delay)
        await real_sleep(delay)

    monkeypatch.setattr(demo_module.asyncio, "sleep", recording_sleep)
    rate = 200.0  # a token every 5 ms

    async def run() -> list[WireEvent]:
        generation = await DemoBackend(kb, token_rate=rate).open(ChatRequest("OCR"))
        events = []
        async for event in generation.events():
            events.append(event)
            if isinstance(event, Token) and event.index == 0:
                await real_sleep(0.2)  # the consumer stalls: tokens 1 to 39 fall due meanwhile
        return events

    events = asyncio.run(run())
    paced_waits = [w for w in waits if w > 0]
    assert len(events) - len(paced_waits) >= 39


def test_rate_zero_has_no_thinking_pause_and_lets_other_tasks_run(kb: KnowledgeBase) -> None:
    async def run() -> int:
        ticks = 0
        stop = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not stop.is_set():
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        generation = await DemoBackend(kb, token_rate=0).open(
            ChatRequest("Wie exportiere ich eine Unterhaltung?")
        )
        async for _ in generation.events():
            pass
        stop.set()
        await task
        return ticks

    assert asyncio.run(run()) >= 2


def test_a_generation_can_be_abandoned_midway(kb: KnowledgeBase) -> None:
    async def run() -> int:
        generation = await DemoBackend(kb, token_rate=1000).open(ChatRequest("OCR"))
        events = generation.events()
        seen = 0
        async for event in events:
            seen += 1
            if isinstance(event, Token):
                break
        await events.aclose()  # type: ignore[attr-defined]
        return seen

    assert asyncio.run(run()) > 1
