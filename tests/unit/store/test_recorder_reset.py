"""A ``reset`` in the cache: the checkpointed text starts over, the event record keeps it all."""

from __future__ import annotations

from pathlib import Path

from cache_builders import read_one

from desktop.protocol.events import Done, Reset, StreamEvent, StreamStarted, Token
from desktop.protocol.request import ChatRequest
from desktop.store.answer_rows import Checkpoint, write_checkpoint
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

REQUEST = ChatRequest("Wie öffne ich eine Akte?")

FIRST_TRY: list[StreamEvent] = [
    StreamStarted(1, "s-1"),
    Token(2, "Zuerst ", 0),
    Token(3, "abgebrochen", 1),
    Reset(4, "upstream_retry", "Zeitüberschreitung"),
    Token(5, "Öffnen ", 2),
]
REST: list[StreamEvent] = [Token(6, "Sie ", 3), Token(7, "die Akte.", 4), Done(8, "stop")]


def _start(writer: CacheWriter) -> AnswerRecorder:
    return AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:1", protocol="assist", request=REQUEST
    )


def test_the_text_after_a_reset_is_the_answer_and_every_event_is_kept(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = _start(writer)
    for n, event in enumerate([*FIRST_TRY, *REST]):
        recorder(event, n * 0.01)
    assert recorder.text == "Öffnen Sie die Akte."
    recorder.close()
    assert read_one(
        db_path, "SELECT text, state FROM messages WHERE id = ?", recorder.message_id
    ) == ("Öffnen Sie die Akte.", "done")
    with CacheRepository.open(db_path) as repo:
        (message,) = [
            m for m in repo.get_conversation(recorder.conversation_id).messages if m.events
        ]
    assert [e.type for e in message.events] == [
        "stream", "token", "token", "reset", "token", "token", "token", "done"
    ]  # fmt: skip
    assert message.events[1].data["content"] == "Zuerst "


def test_a_crash_after_a_reset_leaves_exactly_the_new_attempt_on_disk(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = _start(writer)
    for n, event in enumerate(FIRST_TRY):
        recorder(event, n * 0.01)
    recorder(Token(6, "Sie ", 3), 2.0)  # past the checkpoint interval: written as events only
    writer.flush()
    with CacheRepository.open(db_path) as other_process:  # what a restarted app would read
        stored = other_process.stream(str(recorder.message_id))
    assert (stored.text, stored.last_event_id) == ("Öffnen Sie ", 6)


def test_reading_applies_a_reset_recorded_after_the_last_folded_text(db_path: Path) -> None:
    """A checkpoint that carries only events (no fold) must still say the text started over."""
    with CacheWriter(db_path) as writer:
        recorder = _start(writer)
        for n, event in enumerate(FIRST_TRY[:3]):
            recorder(event, n * 0.01)
        recorder.close()  # "Zuerst abgebrochen" is folded, up to event 3
        events_only = Checkpoint(
            message_id=recorder.message_id,
            conversation_id=recorder.conversation_id,
            text=None,
            last_event_id=5,
            stream_id="s-1",
            state="streaming",
            error=None,
            tokens=3,
            ttft_ms=None,
            finished=None,
            updated=0.0,
            events=[(3, FIRST_TRY[3], 30.0), (4, FIRST_TRY[4], 40.0)],
        )
        writer.submit(lambda connection: write_checkpoint(connection, events_only)).result()
    with CacheRepository.open(db_path) as other_process:
        assert other_process.stream(str(recorder.message_id)).text == "Öffnen "


def test_resuming_after_a_reset_continues_the_new_attempt_exactly(db_path: Path) -> None:
    with CacheWriter(db_path) as writer:
        recorder = _start(writer)
        for n, event in enumerate(FIRST_TRY):
            recorder(event, n * 0.01)
        recorder.close()  # cut off: interrupted after the reset and one new token
    with CacheWriter(db_path) as writer:
        resumed = AnswerRecorder.attach(writer, recorder.message_id)
        assert (resumed.text, resumed.last_event_id) == ("Öffnen ", 5)
        for n, event in enumerate(REST):
            resumed(event, n * 0.01)
        resumed.close()
    assert read_one(
        db_path, "SELECT text, state FROM messages WHERE id = ?", recorder.message_id
    ) == ("Öffnen Sie die Akte.", "done")
