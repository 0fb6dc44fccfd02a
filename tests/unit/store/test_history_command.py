"""``assist-desktop history``: list, show, search and export from the command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cache_builders import record_conversation, tool_events

from desktop.cli import main
from desktop.store.writer import CacheWriter


@pytest.fixture
def filled(writer: CacheWriter, db_path: Path) -> tuple[str, str, int]:
    a = record_conversation(
        writer, "Wie exportiere ich?", ["Menü ", "Datei, dann Export."], extra=tool_events()
    )
    b = record_conversation(writer, "Kalender?", ["Der Kalender synchronisiert."])
    writer.flush()
    return a.conversation_id, b.conversation_id, a.message_id


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_short_ids_and_titles_newest_first(
    filled: tuple[str, str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, _ = filled
    code, out, _ = _run(capsys, "history", "list", "--db", str(db_path))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(second[:8])
    assert lines[0].endswith("Kalender?")
    assert lines[1].startswith(first[:8])
    assert "   2 " in lines[1]


def test_list_json_is_for_scripts(
    filled: tuple[str, str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "history", "--db", str(db_path), "list", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [c["id"] for c in listed] == [filled[1], filled[0]]
    assert listed[1] == {
        "id": filled[0],
        "title": "Wie exportiere ich?",
        "created": listed[1]["created"],
        "updated": listed[1]["updated"],
        "pinned": False,
        "deleted": False,
        "messages": 2,
    }


def test_show_prints_the_transcript_by_prefix_and_json_with_events(
    filled: tuple[str, str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "history", "show", filled[0][:6], "--db", str(db_path))
    assert code == 0
    assert out.startswith("# Wie exportiere ich?")
    assert "Menü Datei, dann Export." in out
    assert "**Tool document_search**" in out
    code, out, _ = _run(capsys, "history", "show", filled[0], "--json", "--db", str(db_path))
    document = json.loads(out)
    assert document["id"] == filled[0]
    assert len(document["messages"][1]["events"]) == 8


def test_search_prints_hits_with_message_ids(
    filled: tuple[str, str, int], db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "history", "search", "export", "--db", str(db_path))
    assert code == 0
    assert f"#{filled[2]}" in out
    assert "[Export]" in out
    code, out, _ = _run(capsys, "history", "search", "kalender", "--json", "--db", str(db_path))
    hits = json.loads(out)
    assert {h["conversation_id"] for h in hits} == {filled[1]}
    assert all("[Kalender]" in h["snippet"] for h in hits)


def test_export_writes_each_format_to_stdout_or_a_file(
    filled: tuple[str, str, int],
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, "history", "export", filled[0], "--db", str(db_path))
    assert code == 0
    assert out.startswith("# Wie exportiere ich?")
    target = tmp_path / "all.html"
    code, out, err = _run(
        capsys,
        "history",
        "export",
        "--all",
        "--format",
        "html",
        "--output",
        str(target),
        "--db",
        str(db_path),
    )
    assert code == 0
    assert out == ""
    assert "2 conversation(s)" in err
    assert target.read_text(encoding="utf-8").count("<section") == 2
    code, out, _ = _run(
        capsys, "history", "export", "--all", "--format", "json", "--db", str(db_path)
    )
    assert len(json.loads(out)["conversations"]) == 2


def test_mistakes_give_exit_code_2_and_a_message(
    filled: tuple[str, str, int], db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "history", "show", "nope", "--db", str(db_path))
    assert code == 2
    assert "No conversation matches 'nope'" in err
    code, _, err = _run(capsys, "history", "export", "--db", str(db_path))
    assert code == 2
    code, out, err = _run(capsys, "history", "list", "--json", "--db", str(tmp_path / "none.db"))
    assert (code, json.loads(out)) == (0, [])
    assert "no answer cache" in err
    assert not (tmp_path / "none.db").exists()


def test_the_default_cache_follows_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    with CacheWriter() as writer:
        record_conversation(writer, "Standardpfad", ["ja"])
    code, out, _ = _run(capsys, "history", "list")
    assert code == 0
    assert out.rstrip().endswith("Standardpfad")


def test_a_cache_from_a_newer_version_is_refused_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "future.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 999")
    connection.close()
    code, out, err = _run(capsys, "history", "list", "--db", str(db))
    assert (code, out) == (2, "")
    assert "newer version" in err
