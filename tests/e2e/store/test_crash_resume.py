"""Crash resume end to end: a client streaming into the cache is killed with SIGKILL mid-answer,
then ``python -m desktop resume`` finishes the answer from the reference server's stream log.
The final text must be exactly the uninterrupted answer, and the cache must hold every event
exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from servers.scripted_backend import ScriptedBackend, Step, answer_script
from servers.server_thread import ServerThread

from desktop.protocol.events import Reset, Token
from desktop.protocol.request import ChatRequest
from desktop.server.embedded import EmbeddedServer
from desktop.store.repository import CacheRepository
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("stream_into_cache.py")


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    # slow enough that the kill lands mid-answer, fast enough to keep the test short
    with EmbeddedServer(backend="demo", token_rate=40) as running:
        yield running


class Served(Protocol):
    """A server to stream from: the embedded one, or a scripted one in a thread."""

    @property
    def url(self) -> str: ...
    @property
    def token(self) -> str: ...


@dataclass(frozen=True)
class Scripted:
    url: str
    token: str


def _env(server: Served) -> dict[str, str]:
    return dict(os.environ, ASSIST_TOKEN=server.token, PYTHONPATH=str(ROOT))


def _row(db: Path, sql: str, *params: object) -> tuple[object, ...]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = connection.execute(sql, params).fetchone()
    finally:
        connection.close()
    return tuple(row) if row is not None else ()


def _stream_and_kill(server: Served, db: Path, message: str, min_event: int = 12) -> int:
    """Start a recording client, SIGKILL it once ``min_event`` is checkpointed; the message id."""
    client = subprocess.Popen(
        [sys.executable, str(SCRIPT), server.url, str(db), message],
        env=_env(server),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert client.stdout is not None
        line = client.stdout.readline()
        assert line.startswith("started "), line
        message_id = int(line.split()[1])
        for _ in range(600):  # bounded: at most about 30 s
            row = _row(db, "SELECT last_event_id FROM streams WHERE message_id = ?", message_id)
            if row and int(row[0]) >= min_event:  # type: ignore[call-overload]
                break
            assert client.poll() is None, "the client finished before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the client never checkpointed enough of the answer")
        os.kill(client.pid, signal.SIGKILL)
        client.wait(10)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait(10)
        if client.stdout is not None:
            client.stdout.close()
    assert client.returncode == -signal.SIGKILL
    return message_id


def _uninterrupted_text(server: EmbeddedServer, stream_id: str) -> str:
    """The whole answer as the server's log holds it: a replay from the first event."""

    async def read() -> str:
        config = ClientConfig(server.url, token=server.token)
        async with make_client(config) as client:
            source = ReconnectingEventSource(client, config, stream_id=stream_id)
            return "".join([e.content async for e in source.events() if isinstance(e, Token)])

    return asyncio.run(read())


def _resume(server: Served, db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "resume", *args, "--db", str(db)],
        env=_env(server),
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_resume_after_sigkill_gives_exactly_the_uninterrupted_answer(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    message_id = _stream_and_kill(server, db, "Wie exportiere ich eine Unterhaltung?")
    with CacheRepository.open(db) as cache:
        crashed = cache.stream(str(message_id))
    assert crashed.state == "streaming"  # the killed process never said otherwise
    stream_id, partial = crashed.stream_id, crashed.text
    assert stream_id is not None
    assert partial

    result = _resume(server, db, stream_id)
    full = _uninterrupted_text(server, stream_id)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == full
    assert full.startswith(partial)
    assert len(full) > len(partial)

    assert _row(
        db,
        "SELECT s.state, m.text FROM streams s JOIN messages m ON m.id = s.message_id "
        "WHERE s.message_id = ?",
        message_id,
    ) == ("done", full)
    # every wire event recorded exactly once, in id order, with no gap
    count, lowest, highest, distinct = _row(
        db,
        "SELECT count(*), min(event_id), max(event_id), count(DISTINCT event_id) FROM events "
        "WHERE message_id = ? AND event_id IS NOT NULL",
        message_id,
    )
    assert (count, lowest, distinct) == (highest, 1, highest)


def test_resume_all_finishes_every_interrupted_answer_in_start_order(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    first = _stream_and_kill(server, db, "Wie exportiere ich eine Unterhaltung?")
    second = _stream_and_kill(server, db, "How do I change the theme?")
    ids = [
        _row(db, "SELECT stream_id FROM streams WHERE message_id = ?", m)[0]
        for m in (first, second)
    ]
    result = _resume(server, db, "--all")
    assert result.returncode == 0, result.stderr.decode()
    texts = [_uninterrupted_text(server, str(stream_id)) for stream_id in ids]
    assert result.stdout.decode() == "\n\n".join(texts)
    again = _resume(server, db, "--all")
    assert (again.returncode, again.stdout) == (0, b"")
    assert b"nothing to resume" in again.stderr


def test_a_stream_the_server_no_longer_holds_keeps_its_partial_text_and_exits_3(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    message_id = _stream_and_kill(server, db, "Wie exportiere ich eine Unterhaltung?")
    with sqlite3.connect(db) as connection:  # as if the server had restarted without Redis
        connection.execute(
            "UPDATE streams SET stream_id = 'unknown-stream' WHERE message_id = ?", (message_id,)
        )
    connection.close()
    with CacheRepository.open(db) as cache:
        partial = cache.stream(str(message_id)).text
    assert partial
    result = _resume(server, db, str(message_id))
    assert result.returncode == 3
    assert result.stdout.decode() == partial
    assert b"not_resumable" in result.stderr
    assert _row(
        db, "SELECT s.state, m.text FROM streams s JOIN messages m ON m.id = s.message_id"
    ) == ("interrupted", partial)


def test_resume_says_on_stderr_where_the_answer_starts_over_after_a_reset(tmp_path: Path) -> None:
    """The reset comes after the crash: ``resume`` tells it as ``ask`` does, stdout stays exact."""
    gate = threading.Event()
    reset = Reset(0, "upstream_retry", "Zeitüberschreitung, neuer Versuch")

    def restarting(request: ChatRequest, _attempt: int) -> list[Step]:
        steps = answer_script(request)
        abandoned = [Step(Token(0, f"verworfen{i} ", 0)) for i in range(14)]
        return [*steps[:3], *abandoned, Step(reset, gate=gate), *steps[3:]]

    thread = ServerThread(backend=ScriptedBackend(restarting), token="t-resume").start()
    try:
        server = Scripted(thread.url, "t-resume")
        db = tmp_path / "cache.sqlite3"
        message_id = _stream_and_kill(server, db, "Wie öffne ich eine Akte?", min_event=17)
        with CacheRepository.open(db) as cache:
            crashed = cache.stream(str(message_id))
        assert crashed.text.startswith("verworfen0 ")
        gate.set()
        result = _resume(server, db, str(crashed.stream_id))
    finally:
        thread.stop()
    assert result.returncode == 0, result.stderr.decode()
    stdout, stderr = result.stdout.decode(), result.stderr.decode()
    abandoned = "".join(f"verworfen{i} " for i in range(14))
    assert stdout.startswith(abandoned)
    assert (
        "assist-desktop resume: the server started the answer over (upstream_retry: "
        "Zeitüberschreitung, neuer Versuch); stdout keeps the abandoned attempt, the answer is "
        f"the text after character {len(abandoned)}\n"
    ) in stderr
