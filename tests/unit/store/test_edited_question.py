"""An edit of the last question in the cache: it takes the old exchange's place (regenerated
answers included), so reopening, search and every export show what the window showed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cache_builders import record_conversation, tool_events

from desktop.store.export import to_json, to_markdown
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter


def test_an_edited_last_question_replaces_the_exchange_with_its_alternatives_and_events(
    writer: CacheWriter, db_path: Path
) -> None:
    first = record_conversation(writer, "Erste Frage", ["Antwort eins."])
    cid = first.conversation_id
    typo = record_conversation(
        writer, "Zweite Frgae", ["Falsch verstanden."], conversation_id=cid, extra=tool_events()
    )
    record_conversation(writer, "Zweite Frgae", ["Noch einmal falsch."], conversation_id=cid,
                        alternative=True)  # fmt: skip
    edited = record_conversation(
        writer, "Zweite Frage", ["Richtig verstanden."], conversation_id=cid, replaces_last=True
    )
    writer.flush()
    with CacheRepository.open(db_path) as repository:
        record = repository.get_conversation(cid)
        assert repository.search("Frgae") == []
        assert repository.search("falsch") == []
        assert [hit.message_id for hit in repository.search("Richtig")] == [edited.message_id]
    assert [(m.role, m.text) for m in record.messages] == [
        ("user", "Erste Frage"),
        ("assistant", "Antwort eins."),
        ("user", "Zweite Frage"),
        ("assistant", "Richtig verstanden."),
    ]
    assert record.alternatives == {}
    for export in (to_markdown([record]), to_json([record])):
        assert "Frgae" not in export
        assert "falsch" not in export
    connection = sqlite3.connect(db_path)
    try:  # the replaced answer's stream and events went with it
        leftovers = connection.execute(
            "SELECT (SELECT count(*) FROM streams WHERE message_id = ?), "
            "(SELECT count(*) FROM events WHERE message_id = ?)",
            (typo.message_id, typo.message_id),
        ).fetchone()
    finally:
        connection.close()
    assert leftovers == (0, 0)


def test_an_edit_of_a_conversations_only_question_leaves_just_the_edit(
    writer: CacheWriter, db_path: Path
) -> None:
    typo = record_conversation(writer, "Wie exportiere ich?", ["Gar nicht."])
    edited = record_conversation(
        writer, "Wie importiere ich?", ["Über Datei, Import."],
        conversation_id=typo.conversation_id, replaces_last=True,
    )  # fmt: skip
    writer.flush()
    with CacheRepository.open(db_path) as repository:
        record = repository.get_conversation(typo.conversation_id)
    assert [m.text for m in record.messages] == ["Wie importiere ich?", "Über Datei, Import."]
    assert record.messages[1].id == edited.message_id


def _title(db_path: Path, conversation_id: str) -> str:
    with CacheRepository.open(db_path) as repository:
        return repository.get_conversation(conversation_id).title


def test_an_edit_of_the_only_question_retitles_the_conversation_after_the_edit(
    writer: CacheWriter, db_path: Path
) -> None:
    typo = record_conversation(writer, "Wie exportiere ich?", ["Gar nicht."])
    record_conversation(
        writer, "Wie importiere ich\nmeine Daten?", ["Über Datei, Import."],
        conversation_id=typo.conversation_id, replaces_last=True,
    )  # fmt: skip
    writer.flush()
    assert _title(db_path, typo.conversation_id) == "Wie importiere ich"


def test_an_edit_keeps_a_title_the_user_gave(writer: CacheWriter, db_path: Path) -> None:
    typo = record_conversation(writer, "Wie exportiere ich?", ["Gar nicht."])
    writer.flush()
    with CacheRepository.open(db_path) as repository:
        repository.rename(typo.conversation_id, "Export")
    record_conversation(
        writer, "Wie importiere ich?", ["Über Datei, Import."],
        conversation_id=typo.conversation_id, replaces_last=True,
    )  # fmt: skip
    writer.flush()
    assert _title(db_path, typo.conversation_id) == "Export"


def test_an_edit_of_a_later_question_keeps_the_title_of_the_first(
    writer: CacheWriter, db_path: Path
) -> None:
    first = record_conversation(writer, "Erste Frage", ["Antwort eins."])
    cid = first.conversation_id
    record_conversation(writer, "Zweite Frgae", ["Falsch."], conversation_id=cid)
    record_conversation(
        writer, "Zweite Frage", ["Richtig."], conversation_id=cid, replaces_last=True
    )
    writer.flush()
    assert _title(db_path, cid) == "Erste Frage"
