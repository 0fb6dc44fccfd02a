"""``python -m desktop ask`` against the reference server: embedded, with a token, interrupted."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.server.embedded import EmbeddedServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Wie exportiere ich eine Unterhaltung?"


def ask(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "ask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=90,
        check=False,
    )


@pytest.fixture
def slow_server() -> Iterator[EmbeddedServer]:
    """The demo backend at 40 tokens/s: time enough to interrupt an answer."""
    with EmbeddedServer(token_rate=40.0) as server:
        yield server


def test_without_url_the_embedded_demo_answers_and_text_matches_the_events() -> None:
    text = ask(QUESTION)
    assert text.returncode == 0, text.stderr
    lines = ask("--output", "jsonl", QUESTION)
    assert lines.returncode == 0, lines.stderr
    records = [json.loads(line) for line in lines.stdout.decode().splitlines()]
    tokens = "".join(r["content"] for r in records if r["type"] == "token")
    assert text.stdout.decode() == tokens  # the demo answers a question the same way each time
    kinds = {r["type"] for r in records}
    assert {"stream", "thinking", "tool_use", "token", "progress", "done", "summary"} <= kinds
    summary = records[-1]
    assert summary["outcome"] == "done"
    assert summary["tokens"] == sum(r["type"] == "token" for r in records)


def test_a_wrong_token_is_rejected_with_exit_3(slow_server: EmbeddedServer) -> None:
    result = ask("--url", slow_server.url, "--token", "wrong", QUESTION)
    assert result.returncode == 3
    assert result.stdout == b""
    assert b"unauthorized (HTTP 401)" in result.stderr


def test_ctrl_c_cancels_the_answer_on_the_server_and_keeps_the_text(
    slow_server: EmbeddedServer,
) -> None:
    command = [sys.executable, "-m", "desktop", "ask", "--url", slow_server.url]
    command += [f"--token={slow_server.token}", "--output", "jsonl", QUESTION]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    out = b""
    deadline = time.monotonic() + 60  # guards a hang only
    while out.count(b'"type":"token"') < 5 and time.monotonic() < deadline:
        if select.select([proc.stdout], [], [], 0.1)[0]:
            out += os.read(proc.stdout.fileno(), 65536)
    proc.send_signal(signal.SIGINT)
    rest, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    records = [json.loads(line) for line in (out + rest).decode().splitlines()]
    done = [r for r in records if r["type"] == "done"]
    assert [d["finish_reason"] for d in done] == ["cancelled"]  # the server's own done
    summary = records[-1]
    assert summary["type"] == "summary"
    assert summary["outcome"] == "stopped"
    assert summary["exit_code"] == 130
    assert 5 <= summary["tokens"] == sum(r["type"] == "token" for r in records)
