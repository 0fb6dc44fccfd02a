"""The app as a process: ``--quit-when-done`` against a server that never comes back.

``--max-attempts 2`` bounds the wait (the first try queues the question, two failed health
probes end the run) instead of the default eight tries with a capped backoff (about 90 s).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from servers.keyrings import FileKeyring

from desktop.exit_codes import Exit
from desktop.store.repository import CacheRepository

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Wie exportiere ich eine Unterhaltung?"


def test_a_server_that_never_comes_back_ends_the_run_with_4_and_keeps_the_question(
    tmp_path: Path, file_keyring: FileKeyring
) -> None:
    db = tmp_path / "cache.sqlite3"
    with socket.socket() as down:  # bound, never listening: every connection is refused
        down.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{down.getsockname()[1]}"
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        command = [
            sys.executable, "-m", "desktop",
            "--settings", str(tmp_path / "settings.json"),
            "--server", url,
            "--token", "queue-token",
            "--db", str(db),
            "--ask", QUESTION,
            "--quit-when-done",
            "--max-attempts", "2",
        ]  # fmt: skip
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == Exit.GAVE_UP, done.stderr
    assert (
        "the server could not be reached (2 tries); 1 question(s) stay queued in the cache"
        in done.stderr
    )
    with CacheRepository.open(db) as repository:
        assert [q.text for q in repository.queued_questions()] == [QUESTION]
        (summary,) = repository.list_conversations()
        assert repository.get_conversation(summary.id).messages == ()
