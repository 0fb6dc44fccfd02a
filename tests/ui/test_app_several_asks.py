"""``--ask`` given several times: one conversation each, all streaming at once, the worst exit.

The window runs as its own process (``python -m desktop``) against the reference server on a
loopback socket. The scripted answers hold after their first word until every question has
reached the server, so the run can only end if the answers stream side by side; one of them
fails, and the process exits with the worse code. Both answers are then read from the cache file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers.scripted_backend import ScriptedBackend, Step, answer_words, expected_text
from servers.server_thread import ServerThread

from desktop.exit_codes import Exit
from desktop.protocol.events import Done, Token, Usage
from desktop.protocol.request import ChatRequest
from desktop.server.backend import UpstreamError
from desktop.store.repository import CacheRepository

pytestmark = pytest.mark.e2e

TOKEN = "several-asks-token"
FINE = "Wie exportiere ich eine Unterhaltung?"
BROKEN = "Wie drucke ich eine Unterhaltung?"
WORDS = 8
ROOT = Path(__file__).resolve().parents[2]


class AllAtOnce:
    """Each answer holds after its first word until both questions have been asked."""

    def __init__(self) -> None:
        self.both_asked = threading.Event()
        self._asked: set[str] = set()

    def script(self, request: ChatRequest, _attempt: int) -> list[Step]:
        self._asked.add(request.message)
        if self._asked >= {FINE, BROKEN}:
            self.both_asked.set()
        words = answer_words(request, WORDS)
        steps = [Step(Token(0, words[0], 0)), Step(Token(0, words[1], 0), gate=self.both_asked)]
        if request.message == BROKEN:
            return [*steps, Step(UpstreamError("upstream", "the model went away"))]
        steps += [Step(Token(0, w, 0)) for w in words[2:]]
        return [*steps, Step(Done(0, "stop", Usage(1, WORDS)))]


@pytest.fixture
def server() -> Iterator[ServerThread]:
    backend = AllAtOnce()
    with ServerThread(backend=ScriptedBackend(backend.script), token=TOKEN) as running:
        yield running
    backend.both_asked.set()


def test_two_asks_stream_at_once_and_the_run_exits_with_the_worse_outcome(
    tmp_path: Path, server: ServerThread
) -> None:
    db = tmp_path / "cache.sqlite3"
    command = [
        sys.executable, "-m", "desktop",
        "--server", server.url, "--token", TOKEN,
        "--ask", FINE, "--ask", BROKEN, "--quit-when-done",
        "--db", str(db), "--settings", str(tmp_path / "settings.json"),
    ]  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == Exit.FAILED, done.stderr
    with CacheRepository.open(db) as repository:
        summaries = repository.list_conversations()
        records = [repository.get_conversation(s.id, token_events=False) for s in summaries]
    answers = {
        r.messages[0].text: (r.messages[-1].text, r.messages[-1].stream.state)
        for r in records
        if r.messages[-1].stream is not None
    }
    assert len(records) == 2
    assert answers[FINE] == (expected_text(ChatRequest(message=FINE), WORDS), "done")
    assert answers[BROKEN][1] == "failed"
