"""``ask --protocol nscale`` and ``history import --server`` as a user runs them (subprocesses)
against the fake nscale-assist, with the cache in a temporary file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.streams import DEFAULT_ANSWER, AnswerScript, answer, timeout_then_answer
from servers.server_thread import ServerThread

from desktop.exit_codes import Exit
from desktop.server.settings import ServerSettings
from desktop.store.repository import CacheRepository

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[3]
ANSWER = "".join(DEFAULT_ANSWER)


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    with start_fake_nscale(token_delay=0.0) as running:
        yield running


def run(*args: str, token: str | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    if token is not None:
        env["ASSIST_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_ask_prints_exactly_the_answer_and_keeps_the_session_and_the_endpoint(
    nscale: RunningNscale, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    nscale.fake.missing.add("v1-post")  # an older server: the legacy stream answers
    question = "Wie öffne ich C++ 100% Akten?"
    result = run(
        "ask", "--url", nscale.url, "--protocol", "nscale", "--db", str(db), question,
        token=nscale.login_token(),
    )  # fmt: skip
    assert result.returncode == Exit.OK, result.stderr
    assert result.stdout == ANSWER.encode()
    assert nscale.fake.generations[-1].question == question
    with CacheRepository.open(db) as repo:
        (summary,) = repo.list_conversations()
        (row,) = repo._c.execute("SELECT session_id FROM server_sessions").fetchall()
        (transport,) = repo._c.execute("SELECT transport FROM server_transports").fetchone()
    assert row[0] == str(nscale.fake.generations[-1].session_id)
    assert transport == "legacy"
    again = run(
        "ask", "--url", nscale.url, "--protocol", "nscale", "--db", str(db), "Noch einmal",
        token=nscale.login_token(),
    )  # fmt: skip
    assert again.returncode == Exit.OK
    assert [g.endpoint for g in nscale.fake.generations] == ["legacy", "legacy"]
    assert summary.title


def test_ask_with_plain_language_and_a_restart_says_where_the_answer_begins(
    nscale: RunningNscale,
) -> None:
    nscale.fake.scripts.append(timeout_then_answer(after=2))
    result = run(
        "ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", "--simple-language",
        "Frage", token=nscale.login_token(),
    )  # fmt: skip
    assert result.returncode == Exit.OK, result.stderr
    abandoned = "".join(DEFAULT_ANSWER[:2])
    assert result.stdout == (abandoned + ANSWER).encode()
    assert f"the answer is the text after character {len(abandoned)}".encode() in result.stderr
    assert nscale.fake.generations[-1].simple_language


def test_a_connection_cut_exits_interrupted_with_exactly_the_text_applied(
    nscale: RunningNscale,
) -> None:
    nscale.fake.scripts.append(AnswerScript(DEFAULT_ANSWER, cut_after=4))
    result = run(
        "ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", "--output", "jsonl",
        "Frage", token=nscale.login_token(),
    )  # fmt: skip
    assert result.returncode == Exit.INTERRUPTED
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    text = "".join(line["content"] for line in lines if line["type"] == "token")
    assert text == "".join(DEFAULT_ANSWER[:4])
    assert lines[-1]["outcome"] == "interrupted"
    assert len(nscale.fake.generations) == 1


def test_ask_without_a_token_is_unauthorized(nscale: RunningNscale) -> None:
    result = run("ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", "Frage")
    assert result.returncode == Exit.REJECTED
    assert result.stdout == b""
    assert b"Nicht authentifiziert" in result.stderr


def test_ask_with_plain_language_through_a_gateway_that_offers_it(nscale: RunningNscale) -> None:
    gateway = ServerThread(ServerSettings(backend="nscale", upstream_url=nscale.url)).start()
    try:
        result = run(
            "ask", "--url", gateway.url, "--no-cache", "--simple-language", "Frage",
            token=nscale.login_token(),
        )  # fmt: skip
    finally:
        gateway.stop()
    assert result.returncode == Exit.OK, result.stderr
    assert result.stdout == ANSWER.encode()
    assert nscale.fake.generations[-1].simple_language


def test_plain_language_from_a_server_that_does_not_offer_it_is_a_clear_error() -> None:
    server = ServerThread().start()  # the demo backend: no plain language
    try:
        result = run("ask", "--url", server.url, "--no-cache", "--simple-language", "Frage")
    finally:
        server.stop()
    assert result.returncode == Exit.USAGE
    assert result.stdout == b""
    assert (
        f"--simple-language: the server at {server.url} does not offer plain language".encode()
        in result.stderr
    )


def test_plain_language_is_not_for_openai_or_ollama_servers() -> None:
    result = run(
        "ask", "--url", "http://127.0.0.1:9", "--protocol", "openai", "--simple-language", "Frage"
    )
    assert result.returncode == Exit.USAGE
    assert b"not --protocol openai" in result.stderr


def test_history_import_copies_the_server_sessions_and_they_are_searchable(
    nscale: RunningNscale, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    nscale.fake.scripts.append(answer("Klicken Sie auf Volltextsuche und geben Sie Förderung ein."))
    run(
        "ask", "--url", nscale.url, "--protocol", "nscale", "--no-cache", "Wo ist die Suche?",
        token=nscale.login_token(),
    )  # fmt: skip
    result = run("history", "--db", str(db), "import", "--server", nscale.url,
                 token=nscale.login_token())  # fmt: skip
    assert result.returncode == Exit.OK, result.stderr
    assert b"imported 2 conversations" in result.stdout  # the capture's session 1 and the new one
    again = run("history", "--db", str(db), "import", "--server", nscale.url,
                token=nscale.login_token())  # fmt: skip
    assert b"(0 new, 2 updated)" in again.stdout
    found = run("history", "--db", str(db), "search", "--json", "Förderung")
    (hit,) = json.loads(found.stdout)
    with CacheRepository.open(db) as repo:
        conversation = repo.get_conversation(hit["conversation_id"])
    assert [(m.role, m.text) for m in conversation.messages] == [
        ("user", "Wo ist die Suche?"),
        ("assistant", " Klicken Sie auf Volltextsuche und geben Sie Förderung ein."),
    ]


def test_history_import_with_a_bad_token_is_refused_clearly(
    nscale: RunningNscale, tmp_path: Path
) -> None:
    result = run("history", "--db", str(tmp_path / "c.sqlite3"), "import", "--server",
                 nscale.url, token="not.a.jwt")  # fmt: skip
    assert result.returncode == Exit.REJECTED
    assert "Ungültiges oder abgelaufenes Token".encode() in result.stderr
