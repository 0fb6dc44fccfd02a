"""``ask`` keeps every answer in the local cache (unless ``--no-cache``), and a broken cache
never costs the answer."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "How do I reset my password?"


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(token_rate=0) as running:
        yield running


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_an_answer_lands_in_the_cache_with_its_text_and_events(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    answer = run("ask", "--url", server.url, f"--token={server.token}", "--db", str(db), QUESTION)
    assert answer.returncode == 0, answer.stderr
    listed = json.loads(run("history", "list", "--json", "--db", str(db)).stdout)
    assert len(listed) == 1
    shown = run("history", "show", listed[0]["id"], "--json", "--db", str(db))
    conversation = json.loads(shown.stdout)
    texts = [m["text"] for m in conversation["messages"]]
    assert texts == [QUESTION, answer.stdout]
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_no_cache_leaves_no_file(server: EmbeddedServer, tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    answer = run(
        "ask",
        "--url",
        server.url,
        f"--token={server.token}",
        "--db",
        str(db),
        "--no-cache",
        QUESTION,
    )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout
    assert not db.exists()


def test_a_cache_from_a_newer_version_is_left_alone_and_the_answer_still_comes(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    plain = run("ask", "--url", server.url, f"--token={server.token}", "--no-cache", QUESTION)
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as connection:
        connection.execute("PRAGMA user_version = 999")
    before = newer.read_bytes()
    answer = run(
        "ask", "--url", server.url, f"--token={server.token}", "--db", str(newer), QUESTION
    )
    assert answer.returncode == 0
    assert answer.stdout == plain.stdout
    assert "without the cache" in answer.stderr
    assert newer.read_bytes() == before
