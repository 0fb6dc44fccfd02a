"""Exports: Markdown transcript, full JSON record, self-contained and escaped HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cache_builders import record_conversation, tool_events

from desktop.protocol.events import Rejected
from desktop.store.export import to_html, to_json, to_markdown
from desktop.store.records import ConversationRecord
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter

HOSTILE = '<script>alert("x")</script> & ![img](http://example.invalid/a.png) <b onload=x>'


@pytest.fixture
def conversations(writer: CacheWriter, db_path: Path) -> list[ConversationRecord]:
    record_conversation(writer, "Export?", ["Über ", "Datei."], extra=tool_events())
    record_conversation(
        writer,
        "Bitte " + HOSTILE,
        ["Antwort mit ", HOSTILE],
        final=Rejected("not_resumable", "stream expired", 410),
    )
    writer.flush()
    with CacheRepository.open(db_path) as repo:
        return list(repo.all_conversations())


def test_markdown_has_the_transcript_tools_and_states(
    conversations: list[ConversationRecord],
) -> None:
    md = to_markdown(conversations)
    assert md.startswith("# Export?\n")
    assert "## You\n\nExport?\n" in md
    assert "## Assistant\n" in md
    assert "> **Thinking:** Analysiere Ihre Anfrage..." in md
    assert "> **Tool document_search** (completed, 12 ms)" in md
    assert '"Export-Handbuch"' in md
    assert "> Warning: Das Modell ist gerade langsam." in md
    assert "Über Datei.\n" in md
    assert "*(interrupted: stream expired)*" in md
    assert "\n---\n" in md


def test_json_holds_the_full_event_record(conversations: list[ConversationRecord]) -> None:
    document = json.loads(to_json(conversations))
    assert document["format"] == "assist-desktop-export"
    first = document["conversations"][0]
    answer = first["messages"][1]
    assert answer["text"] == "Über Datei."
    assert answer["stream"]["state"] == "done"
    assert [e["type"] for e in answer["events"]] == [
        "stream",
        "thinking",
        "tool_use",
        "tool_use",
        "warning",
        "token",
        "token",
        "done",
    ]
    assert answer["events"][3]["data"]["output"]["hits"][0]["title"] == "Export-Handbuch"
    assert answer["events"][-1]["offset_ms"] == pytest.approx(70.0)
    second = document["conversations"][1]["messages"][1]
    assert second["state"] == "interrupted"
    assert second["events"][-1] == {
        "seq": 3,
        "id": None,
        "type": "rejected",
        "offset_ms": pytest.approx(30.0),
        "data": {"reason": "not_resumable", "message": "stream expired", "status": 410},
    }


def test_html_is_self_contained_and_escapes_every_text(
    conversations: list[ConversationRecord],
) -> None:
    page = to_html(conversations)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "<b onload" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    # no external resources: nothing is loaded from anywhere (the URL is text only)
    assert not re.search(r"""(src|href)\s*=""", page)
    assert "@import" not in page
    assert "url(" not in page
    assert "default-src 'none'" in page
    assert "<details><summary>Tool document_search (completed)</summary>" in page
    assert page.count("<section") == 2
    assert "interrupted: stream expired" in page
