"""Replaying a cached answer at its pace through the same session as a live one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from cache_builders import record_conversation, tool_events

from desktop.protocol.events import Done, GaveUp, StreamEvent, Token
from desktop.store.records import EventRecord
from desktop.store.replay import CachedAnswerSource
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter
from desktop.streaming.session import AnswerSession


def _recorded(
    writer: CacheWriter, db_path: Path, extra: list[StreamEvent] | None = None
) -> list[EventRecord]:
    rec = record_conversation(writer, "Export?", ["Über ", "Datei ", "Export."], extra=extra)
    writer.flush()
    with CacheRepository.open(db_path) as repo:
        return list(repo.get_conversation(rec.conversation_id).messages[1].events)


def test_a_replay_gives_the_same_events_at_the_recorded_pace(
    writer: CacheWriter, db_path: Path
) -> None:
    records = _recorded(writer, db_path, extra=tool_events())
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    async def run() -> tuple[AnswerSession, list[StreamEvent]]:
        seen: list[StreamEvent] = []
        source = CachedAnswerSource(records, speed=2.0, sleep=sleep)
        session = AnswerSession(source, [lambda e, _t: seen.append(e)])
        await session.run()
        return session, seen

    session, seen = asyncio.run(run())
    assert seen == [r.to_event() for r in records]
    assert session.text == "Über Datei Export."
    assert session.outcome is not None
    assert session.outcome.exit_code == 0
    assert pauses == pytest.approx([0.005] * (len(records) - 1))  # 10 ms apart, twice as fast


def test_a_replay_skips_a_give_up_that_a_resume_continued_past(
    writer: CacheWriter, db_path: Path
) -> None:
    gave_up = GaveUp(8, "connection refused")
    records = _recorded(writer, db_path, extra=[gave_up])

    async def run() -> list[StreamEvent]:
        return [e async for e in CachedAnswerSource(records, speed=0).events()]

    seen = asyncio.run(run())
    assert gave_up not in seen
    assert isinstance(seen[-1], Done)
    assert "".join(e.content for e in seen if isinstance(e, Token)) == "Über Datei Export."


def test_a_cancelled_replay_ends_like_a_stopped_answer(writer: CacheWriter, db_path: Path) -> None:
    records = _recorded(writer, db_path)

    async def run() -> list[StreamEvent]:
        source = CachedAnswerSource(records, speed=0)
        seen = []
        async for event in source.events():
            seen.append(event)
            if isinstance(event, Token):
                await source.cancel()
        return seen

    seen = asyncio.run(run())
    assert seen[-1] == Done(3, "cancelled")
    assert sum(isinstance(e, Token) for e in seen) == 1
