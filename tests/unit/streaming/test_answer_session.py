"""AnswerSession: applied state, sinks, outcomes and exit codes, stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

import pytest

from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Progress,
    Reconnecting,
    Rejected,
    Reset,
    StreamError,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
)
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.session import AnswerSession, Outcome, outcome_of
from desktop.streaming.stats import SourceStats


class ScriptedSource:
    """Yields a fixed list; after ``cancel`` it ends with a cancelled ``done``."""

    def __init__(self, events: Sequence[StreamEvent], *, hang_after: int | None = None) -> None:
        self._events = list(events)
        self._hang_after = hang_after
        self._cancelled = asyncio.Event()
        self.stream_id: str | None = "s-1"
        self.last_event_id = 0
        self.stats = SourceStats()
        self.drops = 0

    async def events(self) -> AsyncIterator[StreamEvent]:
        for n, event in enumerate(self._events):
            if n == self._hang_after:
                await self._cancelled.wait()
                yield Done(self.last_event_id + 1, "cancelled")
                return
            yield event
            await asyncio.sleep(0)

    async def cancel(self) -> None:
        self._cancelled.set()

    def drop_connection(self) -> None:
        self.drops += 1


def answer(*tokens: str) -> list[StreamEvent]:
    events: list[StreamEvent] = [
        Connecting("http://x", 0, resuming=False),
        Connected("http://x", resumed=False),
        StreamStarted(1, "s-1", model="m"),
    ]
    events += [Token(i + 2, text, i) for i, text in enumerate(tokens)]
    events.append(Done(len(tokens) + 2, "stop"))
    return events


def run(source: AnswerSource, **kwargs: object) -> tuple[AnswerSession, Outcome]:
    session = AnswerSession(source, **kwargs)  # type: ignore[arg-type]
    return session, asyncio.run(session.run())


def test_the_source_protocol_is_satisfied_by_a_plain_class() -> None:
    source: AnswerSource = ScriptedSource([])
    assert source.stream_id == "s-1"


def test_a_complete_answer_keeps_its_text_and_exits_zero() -> None:
    session, outcome = run(ScriptedSource(answer("Hal", "lo", " Welt")))
    assert session.text == "Hallo Welt"
    assert session.token_count == 3
    assert outcome.kind == "done"
    assert outcome.exit_code == 0
    assert isinstance(session.terminal, Done)
    assert session.started is not None
    assert session.started.model == "m"


def test_sinks_see_every_event_in_order_with_the_clock_stamp() -> None:
    ticks = iter(range(100))
    seen: list[tuple[str, float]] = []
    events = answer("a", "b")
    session, _ = run(
        ScriptedSource(events),
        sinks=[lambda event, t: seen.append((type(event).__name__, t))],
        clock=lambda: float(next(ticks)),
    )
    assert [name for name, _ in seen] == [type(e).__name__ for e in events]
    assert [t for _, t in seen] == [float(n) for n in range(1, len(events) + 1)]  # 0 = start
    assert session.started_at == 0.0


def test_thinking_tools_and_progress_are_kept_apart_from_the_answer() -> None:
    events: list[StreamEvent] = [
        StreamStarted(1, "s-1"),
        Thinking(2, message="Analysiere Ihre Anfrage..."),
        Thinking(3, content="Der Nutzer "),
        Thinking(4, content="fragt nach Export."),
        ToolUse(5, "c1", "document_search", "started", {"query": "export"}),
        ToolUse(6, "c1", "document_search", "completed", {"query": "export"}, {"hits": []}, 12.0),
        Token(7, "Ja", 0),
        Progress(8, tokens_sent=1, tokens_per_second=40.0),
        Done(9, "stop"),
    ]
    session, _ = run(ScriptedSource(events))
    assert session.text == "Ja"
    assert session.thinking_text == "Der Nutzer fragt nach Export."
    assert session.tool_calls["c1"].status == "completed"
    assert session.progress is not None
    assert session.progress.tokens_per_second == 40.0


@pytest.mark.parametrize(
    ("terminal", "kind", "code"),
    [
        (Done(3, "stop"), "done", 0),
        (Done(3, "length"), "done", 0),
        (Done(3, "cancelled"), "stopped", 130),
        (Done(3, "error"), "failed", 5),
        (StreamError(3, "upstream", "model crashed", resumable=False), "failed", 5),
        (Rejected("unauthorized", "bad token", 401), "rejected", 3),
        (Rejected("not_resumable", "gone", 410), "rejected", 3),
        (Rejected("not_event_stream", "text/html", 200), "rejected", 3),
        (GaveUp(8, "connection refused"), "gave_up", 4),
    ],
)
def test_each_terminal_event_maps_to_its_outcome_and_exit_code(
    terminal: StreamEvent, kind: str, code: int
) -> None:
    events = [StreamStarted(1, "s-1"), Token(2, "partial", 0), terminal]
    session, outcome = run(ScriptedSource(events))
    assert (outcome.kind, outcome.exit_code) == (kind, code)
    assert session.text == "partial"
    assert outcome.terminal == terminal


def test_a_rejection_message_names_the_reason_and_status() -> None:
    outcome = outcome_of(Rejected("unauthorized", "bad token", 401))
    assert outcome.message == "unauthorized (HTTP 401): bad token"


def test_a_resumable_error_does_not_end_the_session() -> None:
    events = [
        StreamStarted(1, "s-1"),
        Token(2, "a", 0),
        StreamError(3, "model_overload", "busy", resumable=True, retry_after=0.1),
        Reconnecting(1, 8, 0.1, "busy", 3),
        Token(4, "b", 1),
        Done(5, "stop"),
    ]
    session, outcome = run(ScriptedSource(events))
    assert session.text == "ab"
    assert outcome.kind == "done"


def test_a_source_that_ends_without_a_terminal_event_counts_as_given_up() -> None:
    _, outcome = run(ScriptedSource([StreamStarted(1, "s-1"), Token(2, "a", 0)]))
    assert outcome.kind == "gave_up"
    assert outcome.terminal is None


def test_events_after_the_terminal_one_are_not_applied() -> None:
    events = [StreamStarted(1, "s-1"), Done(2, "stop"), Token(3, "late", 0)]
    session, _ = run(ScriptedSource(events))
    assert session.text == ""


def test_stop_cancels_the_source_and_ends_stopped_with_the_text_so_far() -> None:
    source = ScriptedSource(answer("a", "b", "c", "d"), hang_after=5)

    async def scenario() -> tuple[AnswerSession, Outcome]:
        two_tokens = asyncio.Event()
        session = AnswerSession(source)
        session.add_sink(lambda event, t: session.token_count >= 2 and two_tokens.set())
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(two_tokens.wait(), 5)
        session.stop()
        session.stop()  # a second Ctrl-C changes nothing
        return session, await asyncio.wait_for(task, 5)

    session, outcome = asyncio.run(scenario())
    assert session.text == "ab"
    assert outcome.kind == "stopped"
    assert outcome.exit_code == 130


def test_a_long_answer_is_kept_exactly_while_its_pieces_are_joined() -> None:
    pieces = [f"{i}·" for i in range(2_000)]
    session, outcome = run(ScriptedSource(answer(*pieces)))
    assert session.text == "".join(pieces)
    assert session.token_count == 2_000
    assert outcome.exit_code == 0


class DeafSource(ScriptedSource):
    """A server that never confirms a cancel: the stream just goes quiet."""

    async def cancel(self) -> None:
        await asyncio.sleep(3600)


def test_an_unconfirmed_stop_is_cut_after_the_stop_timeout() -> None:
    source = DeafSource(answer("a", "b", "c"), hang_after=4)

    async def scenario() -> tuple[AnswerSession, Outcome]:
        one_token = asyncio.Event()
        session = AnswerSession(source, stop_timeout=0.05)
        session.add_sink(lambda event, t: session.token_count >= 1 and one_token.set())
        task = asyncio.create_task(session.run())
        await asyncio.wait_for(one_token.wait(), 5)
        session.stop("cut")
        return session, await asyncio.wait_for(task, 5)

    session, outcome = asyncio.run(scenario())
    assert (outcome.kind, outcome.message, outcome.exit_code) == ("stopped", "cut", 130)
    assert session.text == "a"
    assert not session.running


def test_an_outside_cancel_still_cancels_the_run() -> None:
    source = ScriptedSource(answer("a", "b"), hang_after=3)

    async def scenario() -> bool:
        session = AnswerSession(source)
        task = asyncio.create_task(session.run())
        await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.wait({task})
        return task.cancelled()

    assert asyncio.run(scenario())


def test_a_retry_continues_the_answer_and_skips_what_was_applied() -> None:
    first = answer("a", "b", "c")[:5]  # connecting, connected, stream, a, b
    first.append(GaveUp(8, "connection reset"))
    replay = [Token(3, "b", 1), Token(4, "c", 2), Done(5, "stop")]  # the resume replays "b"
    seen: list[StreamEvent] = []

    async def scenario() -> tuple[AnswerSession, Outcome, Outcome]:
        session = AnswerSession(ScriptedSource(first), [lambda e, t: seen.append(e)])
        cut = await session.run()
        session.continue_with(ScriptedSource(replay))
        return session, cut, await session.run()

    session, cut, outcome = asyncio.run(scenario())
    assert (cut.kind, cut.resumable, cut.stream_id, cut.last_event_id) == (
        "gave_up",
        True,
        "s-1",
        3,
    )
    assert (outcome.kind, outcome.last_event_id) == ("done", 4)
    assert session.text == "abc"
    assert sum(isinstance(e, Token) for e in seen) == 3


def test_a_faulty_sink_is_skipped_and_the_answer_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    def broken(event: StreamEvent, at: float) -> None:
        raise RuntimeError("disk on fire")

    seen: list[StreamEvent] = []
    events = answer("a", "b")
    session, outcome = run(ScriptedSource(events), sinks=[broken, lambda e, t: seen.append(e)])
    assert seen == events
    assert (session.text, outcome.kind) == ("ab", "done")
    assert "answer sink failed" in caplog.text


def test_a_source_that_raises_ends_rejected_with_its_message() -> None:
    class Broken(ScriptedSource):
        async def events(self) -> AsyncIterator[StreamEvent]:
            yield StreamStarted(1, "s-1")
            raise ValueError("boom")

    _, outcome = run(Broken([]))
    assert outcome.kind == "rejected"
    assert "ValueError: boom" in outcome.message
    assert outcome.stream_id == "s-1"


def test_the_answer_is_the_tokens_after_the_last_reset() -> None:
    events = answer("Erst", "er Versuch")
    done = events.pop()
    events += [Reset(90, "upstream_retry"), Token(91, "Zwei", 2), Reset(92, "upstream_retry")]
    events += [Token(93, "Dritter", 3), Token(94, " Versuch", 4), done]
    session, outcome = run(ScriptedSource(events))
    assert outcome.kind == "done"
    assert session.text == "Dritter Versuch"
    assert (session.resets, session.token_count) == (2, 5)
