"""The bridge: events become signals in order; runs are exclusive; close cancels everything."""

from __future__ import annotations

import asyncio
from typing import Any

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import GaveUp, Reconnecting, StreamEvent, Token
from desktop.protocol.request import ChatRequest
from desktop.streaming.session import AnswerSession, EventSink, Outcome
from desktop.ui.bridge import StreamBridge
from tests.helpers.qt import next_emission, wait_until
from tests.helpers.scripted import answer_events
from tests.helpers.scripted_sources import ScriptedFactory, ScriptedSource


def test_every_event_is_emitted_in_order_and_reaches_the_sinks(run_async: Any) -> None:
    script = answer_events()
    bridge = StreamBridge(ScriptedFactory(lambda r: ScriptedSource(script)))
    seen: list[StreamEvent] = []
    sunk: list[StreamEvent] = []
    bridge.event_received.connect(seen.append)
    sessions: list[tuple[AnswerSession, ChatRequest | None]] = []

    def observer(session: AnswerSession, request: ChatRequest | None) -> list[EventSink]:
        sessions.append((session, request))
        return [lambda event, at: sunk.append(event)]

    bridge.observe(observer)

    async def scenario() -> Outcome:
        bridge.start(ChatRequest("q"))
        (outcome,) = await next_emission(bridge.finished)
        return outcome

    outcome = run_async(scenario())
    assert seen == script
    assert sunk == script
    assert [request.message for _, request in sessions if request is not None] == ["q"]
    assert outcome.status is AnswerStatus.DONE
    assert outcome.exit_code == 0
    assert bridge.task_count == 0


def test_a_new_run_cancels_the_previous_one_on_the_server(run_async: Any) -> None:
    factory = ScriptedFactory(lambda r: ScriptedSource(answer_events(), delay=0.01))
    bridge = StreamBridge(factory)
    finished: list[Outcome] = []
    bridge.finished.connect(finished.append)

    async def scenario() -> None:
        bridge.start(ChatRequest("first"))
        await asyncio.sleep(0.05)
        bridge.start(ChatRequest("second"))
        await next_emission(bridge.finished)
        await bridge.aclose()

    run_async(scenario())
    assert factory.sources[0].cancelled
    assert [r.message for r in factory.requests] == ["first", "second"]
    assert len(finished) == 1  # only the second run reports an end


def test_stop_ends_the_run_stopped_and_keeps_what_arrived(run_async: Any) -> None:
    factory = ScriptedFactory(lambda r: ScriptedSource(answer_events(), delay=0.005))
    bridge = StreamBridge(factory)
    tokens: list[str] = []
    bridge.event_received.connect(
        lambda e: tokens.append(e.content) if isinstance(e, Token) else None
    )

    async def scenario() -> Outcome:
        bridge.start(ChatRequest("q"))
        await wait_until(lambda: len(tokens) >= 5)
        bridge.stop()
        (outcome,) = await next_emission(bridge.finished)
        return outcome

    outcome = run_async(scenario())
    assert outcome.status is AnswerStatus.STOPPED
    assert outcome.exit_code == 130
    assert factory.sources[0].cancelled
    assert len(tokens) >= 5


def test_retry_resumes_from_the_last_applied_event(run_async: Any) -> None:
    events = answer_events(finish="")
    head = events[:12]
    gave_up = [*head, Reconnecting(1, 8, 1.0, "reset", head[-1].id), GaveUp(8, "reset")]  # type: ignore[union-attr]
    factory = ScriptedFactory(lambda r: ScriptedSource(gave_up))
    rest = [e for e in answer_events() if getattr(e, "id", 0) > head[-1].id]  # type: ignore[union-attr]
    factory.resume_script = lambda stream, last: ScriptedSource(rest)
    bridge = StreamBridge(factory)

    async def scenario() -> tuple[Outcome, Outcome]:
        bridge.start(ChatRequest("q"))
        (first,) = await next_emission(bridge.finished)
        assert bridge.retry()
        (second,) = await next_emission(bridge.finished)
        return first, second

    first, second = run_async(scenario())
    assert first.status is AnswerStatus.INTERRUPTED
    assert first.resumable
    assert second.status is AnswerStatus.DONE
    assert factory.resumes == [("s-1", head[-1].id)]  # type: ignore[union-attr]


def test_close_cancels_every_task(run_async: Any) -> None:
    slow = ScriptedSource(answer_events(), delay=0.05)
    bridge = StreamBridge(ScriptedFactory(lambda r: slow))

    async def scenario() -> int:
        bridge.start(ChatRequest("q"))
        await asyncio.sleep(0.1)
        assert bridge.task_count == 1
        await bridge.aclose()
        return bridge.task_count

    assert run_async(scenario()) == 0
    assert not bridge.running


def test_a_source_that_raises_ends_the_run_failed(run_async: Any) -> None:
    class Broken(ScriptedSource):
        async def events(self):  # type: ignore[no-untyped-def,override]
            yield answer_events()[0]
            raise ValueError("boom")

    bridge = StreamBridge(ScriptedFactory(lambda r: Broken([])))

    async def scenario() -> Outcome:
        bridge.start(ChatRequest("q"))
        (outcome,) = await next_emission(bridge.finished)
        return outcome

    outcome = run_async(scenario())
    assert outcome.status is AnswerStatus.FAILED
    assert "boom" in outcome.message


def test_bridges_of_one_pool_share_the_factory_and_observers_and_run_side_by_side(
    run_async: Any,
) -> None:
    first = StreamBridge(None)
    followed: list[str] = []
    own: list[str] = []

    def observer(session: AnswerSession, request: ChatRequest | None) -> list[EventSink]:
        followed.append(request.message if request is not None else "")
        return []

    first.observe(observer)  # registered once, before the second bridge exists
    second = first.runners.bridge()
    second.observe_own(lambda s, r: own.append(r.message if r is not None else "") or [])
    factory = ScriptedFactory(lambda r: ScriptedSource(answer_events(), delay=0.005))
    first.factory = factory  # connects every bridge of the pool

    async def scenario() -> tuple[Outcome, Outcome]:
        first.start(ChatRequest("one"))
        second.start(ChatRequest("two"))
        assert len(first.runners.running) == 2  # neither cancelled the other
        done = await asyncio.gather(next_emission(first.finished), next_emission(second.finished))
        return done[0][0], done[1][0]

    one, two = run_async(scenario())
    assert (one.status, two.status) == (AnswerStatus.DONE, AnswerStatus.DONE)
    assert second.factory is factory
    assert followed == ["one", "two"]
    assert own == ["two"]
    assert not any(source.cancelled for source in factory.sources)
    assert first.runners.task_count == 0
