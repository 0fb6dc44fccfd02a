"""What the cache keeps about servers: sessions, the working endpoint, imported history."""

from __future__ import annotations

from pathlib import Path

from desktop.protocol.request import ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.repository import CacheRepository
from desktop.store.server_records import (
    ImportedMessage,
    ImportedSession,
    import_session,
    remember_session,
    remember_transport,
    session_of,
    transport_of,
)
from desktop.store.writer import CacheWriter

URL = "https://assist.intern.example/"


def test_a_conversation_keeps_its_server_session_per_server(writer: CacheWriter) -> None:
    recorder = AnswerRecorder.start(
        writer, server_url=URL, protocol="nscale", request=ChatRequest("Frage")
    )
    conversation = recorder.conversation_id
    writer.submit(lambda c: remember_session(c, conversation, URL, "7")).result()
    assert writer.submit(lambda c: session_of(c, conversation, URL.rstrip("/"))).result() == "7"
    assert writer.submit(lambda c: session_of(c, conversation, "http://other")).result() is None
    writer.submit(lambda c: remember_session(c, conversation, URL, "8")).result()
    assert writer.submit(lambda c: session_of(c, conversation, URL)).result() == "8"
    recorder.close()


def test_the_endpoint_that_worked_is_remembered_per_server(writer: CacheWriter) -> None:
    assert writer.submit(lambda c: transport_of(c, URL)).result() is None
    writer.submit(lambda c: remember_transport(c, URL, "legacy", 1.0)).result()
    writer.submit(lambda c: remember_transport(c, URL, "whole", 2.0)).result()
    assert writer.submit(lambda c: transport_of(c, URL)).result() == "whole"


SESSION = ImportedSession(
    "3",
    "Anleitung: Akten",
    100.0,
    200.0,
    [
        ImportedMessage(True, "Wie lege ich eine Akte an?", 100.0),
        ImportedMessage(False, "Über Datei → Neu, dann speichern. Grüße 🙂", 101.0),
    ],
)


def test_an_imported_session_is_a_searchable_conversation_and_importing_twice_adds_nothing(
    writer: CacheWriter, db_path: Path
) -> None:
    first, new = writer.submit(lambda c: import_session(c, URL, SESSION, 5.0)).result()
    assert new
    grown = ImportedSession(
        "3",
        "Anleitung: Akten",
        100.0,
        300.0,
        [*SESSION.messages, ImportedMessage(True, "Und löschen?", 299.0)],
    )
    again, new = writer.submit(lambda c: import_session(c, URL, grown, 6.0)).result()
    assert (again, new) == (first, False)
    with CacheRepository.open(db_path) as repo:
        conversation = repo.get_conversation(first)
        assert conversation.summary.title == "Anleitung: Akten"
        assert [(m.role, m.text) for m in conversation.messages] == [
            ("user", "Wie lege ich eine Akte an?"),
            ("assistant", "Über Datei → Neu, dann speichern. Grüße 🙂"),
            ("user", "Und löschen?"),
        ]
        hits = repo.search("speichern")
        assert [hit.conversation_id for hit in hits] == [first]


def test_a_conversation_asked_in_the_app_is_not_overwritten_by_an_import(
    writer: CacheWriter, db_path: Path
) -> None:
    recorder = AnswerRecorder.start(
        writer, server_url=URL, protocol="nscale", request=ChatRequest("Wie lege ich eine Akte an?")
    )
    conversation = recorder.conversation_id
    writer.submit(lambda c: remember_session(c, conversation, URL, "3")).result()
    recorder.close()
    imported, new = writer.submit(lambda c: import_session(c, URL, SESSION, 5.0)).result()
    assert (imported, new) == (conversation, False)
    with CacheRepository.open(db_path) as repo:
        messages = repo.get_conversation(conversation).messages
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].stream is not None  # still the app's own recording
