"""CacheRepository: listing, loading exactly, search, edits with undo, crash detection."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cache_builders import record_conversation, tool_events

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import (
    Done,
    GaveUp,
    Rejected,
    StreamError,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    ToolUse,
)
from desktop.protocol.request import ChatRequest
from desktop.store.answer_rows import new_message_id
from desktop.store.errors import NotFound
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository, fts_query
from desktop.store.writer import CacheWriter


@pytest.fixture
def repo(db_path: Path) -> CacheRepository:
    return CacheRepository.open(db_path)


def test_conversations_are_listed_pinned_first_then_newest(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    a = record_conversation(writer, "Erste Frage", ["eins"])
    b = record_conversation(writer, "Zweite Frage", ["zwei"])
    c = record_conversation(writer, "Dritte Frage", ["drei"])
    writer.flush()
    assert [s.title for s in repo.list_conversations()] == [
        "Dritte Frage",
        "Zweite Frage",
        "Erste Frage",
    ]
    repo.set_pinned(a.conversation_id, True)
    listed = repo.list_conversations()
    assert [s.id for s in listed] == [a.conversation_id, c.conversation_id, b.conversation_id]
    assert listed[0].pinned
    assert listed[0].message_count == 2


def test_a_conversation_loads_exactly_as_it_streamed(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    rec = record_conversation(writer, "Export?", ["Über ", "Datei."], extra=tool_events())
    follow = record_conversation(writer, "Und PDF?", ["Ja."], conversation_id=rec.conversation_id)
    writer.flush()
    conversation = repo.get_conversation(rec.conversation_id)
    assert [(m.role, m.text) for m in conversation.messages] == [
        ("user", "Export?"),
        ("assistant", "Über Datei."),
        ("user", "Und PDF?"),
        ("assistant", "Ja."),
    ]
    answer = conversation.messages[1]
    assert answer.id == rec.message_id
    assert answer.stream is not None
    assert answer.stream.state == "done"
    assert answer.stream.stream_id == f"stream-{rec.message_id}"
    replayed = [e.to_event() for e in answer.events]
    assert isinstance(replayed[0], StreamStarted)
    assert replayed[1] == Thinking(2, message="Analysiere Ihre Anfrage...")
    tool = replayed[3]
    assert isinstance(tool, ToolUse)
    assert tool.output == {
        "hits": [{"title": "Export-Handbuch", "score": 0.9, "snippet": "Datei > Export"}]
    }
    offsets = [e.offset_ms for e in answer.events]
    assert offsets == sorted(offsets)
    assert offsets[-1] == pytest.approx(7 * 10.0)  # 8 events, 10 ms apart
    assert conversation.messages[3].id == follow.message_id
    for_display = repo.get_conversation(rec.conversation_id, token_events=False)
    assert [e.type for e in for_display.messages[1].events] == [
        "stream",
        "thinking",
        "tool_use",
        "tool_use",
        "warning",
        "done",
    ]


def test_search_finds_words_with_highlighted_snippets_and_message_ids(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    rec = record_conversation(
        writer, "Wie exportiere ich?", ["Öffnen Sie das Menü ", "Datei und wählen Sie Export."]
    )
    record_conversation(writer, "Kalender?", ["Der Kalender synchronisiert stündlich."])
    writer.flush()
    hits = repo.search("menu datei")  # accents and case do not matter
    assert [h.message_id for h in hits] == [rec.message_id]
    assert hits[0].snippet == "Öffnen Sie das [Menü] [Datei] und wählen Sie Export."
    assert hits[0].conversation_id == rec.conversation_id
    assert sorted(h.role for h in repo.search("kalend*")) == ["assistant", "user"]
    assert repo.search("") == []
    assert repo.search('" OR NEAR( *') == []  # operators are taken literally, never an error


def test_search_ranks_only_the_newest_matches_and_can_list_newest_first(
    writer: CacheWriter, repo: CacheRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = record_conversation(writer, "Drucker alt", ["Drucker Drucker Drucker Drucker"])
    middle = record_conversation(writer, "Drucker mittel", ["kein Treffer"])
    new = record_conversation(writer, "Drucker neu", ["Der Drucker"])
    writer.flush()
    newest = repo.search("drucker", newest_first=True)
    assert [h.conversation_id for h in newest] == [
        new.conversation_id,  # the answer, then its question
        new.conversation_id,
        middle.conversation_id,  # only the question matches
        old.conversation_id,
        old.conversation_id,
    ]
    assert newest[0].message_id == new.message_id
    best = repo.search("drucker")
    assert best[0].message_id == old.message_id  # four occurrences rank first
    monkeypatch.setattr("desktop.store.repository.RANK_WINDOW", 2)
    windowed = repo.search("drucker")
    assert {h.conversation_id for h in windowed} == {new.conversation_id}


def test_message_ids_grow_with_time_and_fit_in_json_numbers() -> None:
    ids = [new_message_id() for _ in range(1000)]
    assert ids == sorted(set(ids))
    assert 0 < ids[0] < ids[-1] < 2**53


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('menü "datei" exp*') == '"menü" """datei""" "exp"*'


def test_delete_hides_a_conversation_until_undone_and_purge_removes_it_for_good(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    rec = record_conversation(writer, "Geheim", ["nur kurz"])
    writer.flush()
    repo.delete(rec.conversation_id)
    assert repo.list_conversations() == []
    assert repo.search("kurz") == []
    assert len(repo.list_conversations(include_deleted=True)) == 1
    repo.undo_delete(rec.conversation_id)
    assert [h.message_id for h in repo.search("kurz")] == [rec.message_id]
    repo.rename(rec.conversation_id, "  Umbenannt ")
    assert repo.list_conversations()[0].title == "Umbenannt"
    repo.delete(rec.conversation_id)
    assert repo.purge_deleted() == 1
    with pytest.raises(NotFound):
        repo.get_conversation(rec.conversation_id)
    assert repo.search("kurz") == []
    with pytest.raises(NotFound):
        repo.rename(rec.conversation_id, "x")


def test_ids_resolve_from_unique_prefixes(writer: CacheWriter, repo: CacheRepository) -> None:
    record_conversation(writer, "a", ["x"], conversation_id="abc111")
    record_conversation(writer, "b", ["y"], conversation_id="abd222")
    writer.flush()
    assert repo.resolve_conversation_id("abc") == "abc111"
    with pytest.raises(NotFound, match="More than one"):
        repo.resolve_conversation_id("ab")
    with pytest.raises(NotFound, match="No conversation"):
        repo.resolve_conversation_id("zz")
    with pytest.raises(NotFound):
        repo.resolve_conversation_id("%")


def test_streams_of_a_dead_process_are_marked_interrupted_but_live_ones_are_not(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(dead.stdout)
    crashed = AnswerRecorder.start(
        writer,
        server_url="http://127.0.0.1:1",
        protocol="assist",
        request=ChatRequest("q"),
    )
    crashed(StreamStarted(1, "gone"), 0.0)
    live = record_conversation(writer, "live", ["x"])
    writer.flush()
    writer.submit(
        lambda c: c.execute(
            "UPDATE streams SET state = 'streaming', owner_pid = ? WHERE message_id = ?",
            (dead_pid, crashed.message_id),
        )
    ).result()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        writer.submit(
            lambda c: c.execute(
                "UPDATE streams SET state = 'streaming', owner_pid = ? WHERE message_id = ?",
                (sleeper.pid, live.message_id),
            )
        ).result()
        assert repo.mark_orphans_interrupted() == 1
        resumable = repo.resumable_streams()
        assert [s.message_id for s in resumable] == [crashed.message_id]
        assert resumable[0].stream_id == "gone"
        assert repo.stream("gone").message_id == crashed.message_id
        assert repo.stream(str(crashed.message_id)).stream_id == "gone"
    finally:
        sleeper.kill()
        sleeper.wait()
    assert repo.mark_orphans_interrupted() == 1  # the sleeper is gone now
    crashed.close()


def test_a_crashed_answer_is_folded_into_plain_text_when_marked_interrupted(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    recorder = AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:1", protocol="assist", request=ChatRequest("q")
    )
    writer.remove_ticker(recorder.flush_if_due)  # only the events' stamps decide here
    recorder(StreamStarted(1, "s"), 0.0)
    for i in range(30):
        recorder(Token(2 + i, f"teil{i} ", i), 0.1 * (i + 1))  # checkpoints without the text
    writer.flush()  # ... and the process dies here, before closing the recorder
    on_disk = repo.stream(str(recorder.message_id))
    assert on_disk.last_event_id == 25  # checkpoints at 0.8, 1.6 and 2.4 s
    expected = "".join(f"teil{i} " for i in range(24))
    assert on_disk.text == expected
    assert repo.search("teil3") == []  # not indexed while streaming

    assert repo.mark_orphans_interrupted() == 1
    (stored,) = repo.resumable_streams()
    assert stored.text == expected
    conversation = repo.get_conversation(recorder.conversation_id)
    assert conversation.messages[-1].text == expected
    assert conversation.messages[-1].state == "interrupted"
    assert [h.message_id for h in repo.search("teil3")] == [recorder.message_id]


@pytest.mark.parametrize(
    ("final", "status"),
    [
        (Done(3, "stop"), AnswerStatus.DONE),
        (Done(3, "length"), AnswerStatus.DONE),
        (Done(3, "cancelled"), AnswerStatus.STOPPED),
        (
            StreamError(3, "upstream_error", "Das Modell ist abgestürzt.", False),
            AnswerStatus.FAILED,
        ),
        (Rejected("unauthorized", "Token abgelaufen", 401), AnswerStatus.FAILED),
        (GaveUp(8, "cannot connect"), AnswerStatus.INTERRUPTED),
    ],
)
def test_the_list_says_how_each_conversations_latest_answer_ended(
    writer: CacheWriter, repo: CacheRepository, final: StreamEvent, status: AnswerStatus
) -> None:
    recorder = record_conversation(writer, "Wie exportiere ich?", ["Über "], final=final)
    writer.flush()
    (summary,) = repo.list_conversations()
    assert (summary.id, summary.answer_status) == (recorder.conversation_id, status)
    assert repo.get_conversation(summary.id).summary.answer_status is status


def test_an_answer_still_streaming_lists_as_streaming_then_as_what_ended_it(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    recorder = AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:9", protocol="assist", request=ChatRequest("Frage")
    )
    recorder(StreamStarted(1, "s-1"), 0.0)
    recorder(Token(2, "Ers", 0), 0.01)
    writer.flush()
    assert [s.answer_status for s in repo.list_conversations()] == [AnswerStatus.STREAMING]
    recorder.close("stopped")
    assert [s.answer_status for s in repo.list_conversations()] == [AnswerStatus.STOPPED]


def test_only_the_latest_answer_of_a_conversation_counts(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    first = record_conversation(writer, "Eins", ["a"], final=GaveUp(8, "cannot connect"))
    cid = first.conversation_id
    record_conversation(writer, "Zwei", ["b"], conversation_id=cid)
    other = record_conversation(writer, "Drei", ["c"])
    record_conversation(
        writer, "Vier", ["d"], conversation_id=other.conversation_id, final=Done(3, "cancelled")
    )
    writer.flush()
    listed = {s.id: s.answer_status for s in repo.list_conversations()}
    assert listed == {cid: AnswerStatus.DONE, other.conversation_id: AnswerStatus.STOPPED}


def test_a_crashed_answer_lists_as_interrupted_once_orphans_are_marked(
    writer: CacheWriter, repo: CacheRepository
) -> None:
    recorder = AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:9", protocol="assist", request=ChatRequest("Frage")
    )
    recorder(StreamStarted(1, "s-1"), 0.0)
    writer.flush()
    assert repo.mark_orphans_interrupted() == 1
    assert [s.answer_status for s in repo.list_conversations()] == [AnswerStatus.INTERRUPTED]


def test_a_conversation_without_an_answer_has_no_status(db_path: Path) -> None:
    with CacheRepository.open(db_path) as repository:
        repository.opened.connection.execute(
            "INSERT INTO conversations (id, title, created, updated) VALUES ('c-1', 't', 0, 0)"
        )
        assert [s.answer_status for s in repository.list_conversations()] == [None]
