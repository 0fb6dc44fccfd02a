"""A regenerated answer in the cache: the next alternative of its question, chosen, searchable,
exported, and older files migrated so their answers read the same way."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cache_builders import record_conversation, tool_events

from desktop.cli import main
from desktop.conversation.cached import conversation_of
from desktop.store.database import open_database
from desktop.store.errors import NotFound
from desktop.store.export import to_html, to_json, to_markdown
from desktop.store.records import Alternative, ConversationRecord
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

QUESTION = "Wie exportiere ich?"
FIRST, SECOND, THIRD = "Über das Menü Datei.", "Mit Strg+E.", "Über den Kalenderexport."


@pytest.fixture
def regenerated(writer: CacheWriter, db_path: Path) -> tuple[str, list[int]]:
    """One question answered three times (two regenerates), then a follow-up question."""
    first = record_conversation(writer, QUESTION, [FIRST], extra=tool_events())
    cid = first.conversation_id
    ids = [first.message_id]
    for text in (SECOND, THIRD):
        again = record_conversation(writer, QUESTION, [text], conversation_id=cid, alternative=True)
        ids.append(again.message_id)
    writer.flush()
    return cid, ids


def _conversation(db_path: Path, cid: str) -> ConversationRecord:
    with CacheRepository.open(db_path) as repository:
        return repository.get_conversation(cid)


def test_a_regenerate_is_the_next_alternative_of_the_same_question_not_a_new_exchange(
    regenerated: tuple[str, list[int]], db_path: Path
) -> None:
    cid, ids = regenerated
    record = _conversation(db_path, cid)
    assert [(m.role, m.text) for m in record.messages] == [
        ("user", QUESTION),
        ("assistant", FIRST),
        ("assistant", SECOND),
        ("assistant", THIRD),
    ]
    assert [m.chosen for m in record.messages[1:]] == [False, False, True]
    assert record.alternatives == {
        ids[0]: Alternative(1, 3),
        ids[1]: Alternative(2, 3),
        ids[2]: Alternative(3, 3),
    }


def test_a_follow_up_after_alternatives_is_a_new_question_without_alternatives(
    regenerated: tuple[str, list[int]], writer: CacheWriter, db_path: Path
) -> None:
    cid, ids = regenerated
    follow = record_conversation(writer, "Und als HTML?", ["Ebenso."], conversation_id=cid)
    writer.flush()
    record = _conversation(db_path, cid)
    assert [m.role for m in record.messages] == ["user"] + ["assistant"] * 3 + ["user", "assistant"]
    assert follow.message_id not in record.alternatives
    assert set(record.alternatives) == set(ids)


def test_choosing_an_alternative_is_remembered_and_the_model_shows_it(
    regenerated: tuple[str, list[int]], db_path: Path
) -> None:
    cid, ids = regenerated
    with CacheRepository.open(db_path) as repository:
        repository.choose_alternative(ids[0])
        with pytest.raises(NotFound):
            repository.choose_alternative(123)
    record = _conversation(db_path, cid)
    assert [m.chosen for m in record.messages[1:]] == [True, False, False]
    conversation, answers = conversation_of(record)
    (turn,) = conversation.turns
    assert len(turn.answers) == 3
    assert turn.answer is answers[ids[0]]
    assert (turn.answer.text, turn.answer.cache_id) == (FIRST, ids[0])
    assert [t.tool for t in turn.answer.tools.values()] == ["document_search"]
    request, _ = conversation.ask("Und weiter?")
    assert [h.content for h in request.history] == [QUESTION, FIRST]


def test_search_finds_text_in_every_alternative(
    regenerated: tuple[str, list[int]], db_path: Path
) -> None:
    _, ids = regenerated
    with CacheRepository.open(db_path) as repository:
        assert [h.message_id for h in repository.search("Strg")] == [ids[1]]
        assert [h.message_id for h in repository.search("Kalenderexport")] == [ids[2]]
        assert [h.message_id for h in repository.search("Menü")] == [ids[0]]


def test_every_export_holds_every_alternative_marked_as_such(
    regenerated: tuple[str, list[int]], db_path: Path
) -> None:
    cid, _ = regenerated
    record = _conversation(db_path, cid)
    md = to_markdown([record])
    for n, text in enumerate((FIRST, SECOND, THIRD), 1):
        shown = ", shown" if n == 3 else ""
        assert f"## Assistant (alternative {n} of 3{shown})\n\n" in md
        assert text in md
    messages = json.loads(to_json([record]))["conversations"][0]["messages"]
    assert "alternative" not in messages[0]
    assert [m["alternative"] for m in messages[1:]] == [
        {"index": n, "count": 3, "chosen": n == 3} for n in (1, 2, 3)
    ]
    html = to_html([record])
    assert html.count('class="assistant alternative"') == 3
    assert "Assistant (alternative 2 of 3)" in html


def test_history_export_includes_the_alternatives(
    regenerated: tuple[str, list[int]], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cid, _ = regenerated
    code = main(["history", "export", cid[:8], "--db", str(db_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("## Assistant (alternative ") == 3
    assert SECOND in out


#: The version that added ``messages.chosen``: files from before it knew no alternatives.
CHOSEN_ADDED = 5


@pytest.mark.parametrize("start", range(1, CHOSEN_ADDED))
def test_answers_in_an_older_file_read_as_one_per_question_the_last_of_a_run_chosen(
    tmp_path: Path, start: int
) -> None:
    path = tmp_path / "old.sqlite3"
    old = open_database(path, migrate_to=start).connection
    old.execute("INSERT INTO conversations (id, title, created, updated) VALUES ('c', 't', 1, 1)")
    old.executemany(
        "INSERT INTO messages (id, conversation_id, position, role, text, created, state) "
        "VALUES (?, 'c', ?, ?, ?, 1, 'done')",
        [
            (1, 0, "user", "eins"),
            (2, 1, "assistant", "A"),
            (3, 2, "user", "zwei"),
            (4, 3, "assistant", "B alt"),
            (5, 4, "assistant", "B neu"),
        ],
    )
    old.close()
    migrated = open_database(path).connection
    chosen = dict(migrated.execute("SELECT id, chosen FROM messages").fetchall())
    migrated.close()
    assert chosen == {1: 1, 2: 1, 3: 1, 4: 0, 5: 1}
    with CacheRepository.open(path) as repository:
        conversation, _ = conversation_of(repository.get_conversation("c"))
    assert [(t.question, t.answer.text if t.answer else None) for t in conversation.turns] == [
        ("eins", "A"),
        ("zwei", "B neu"),
    ]


def test_the_chosen_flag_is_checked_by_the_file(db_path: Path) -> None:
    c = open_database(db_path).connection
    c.execute("INSERT INTO conversations (id, title, created, updated) VALUES ('c', 't', 1, 1)")
    with pytest.raises(sqlite3.IntegrityError):
        c.execute(
            "INSERT INTO messages (id, conversation_id, position, role, created, chosen) "
            "VALUES (1, 'c', 0, 'assistant', 1, 2)"
        )
    c.close()
