"""``python -m desktop ask`` as a user runs it: a subprocess against servers on 127.0.0.1.

Each test checks the exact bytes on stdout (the applied answer and nothing else) and the exit
code of ARCHITECTURE.md, and what the server saw.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers.fault_server import (
    FaultServerFactory,
    Raw,
    Reply,
    WaitDelete,
    answer_events,
    events_after,
    frames,
    json_error,
    sse_reply,
)

from desktop.protocol.events import Done, StreamError, StreamStarted, Token

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TOKENS = ["Ex", "port", " über", " das", " Menü", " „Datei“", " 🙂"]
ANSWER = "".join(TOKENS)


def ask(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    full_env = {k: v for k, v in os.environ.items() if k != "ASSIST_TOKEN"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "desktop", "ask", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_a_complete_answer_is_exactly_the_text_on_stdout(
    fault_server: FaultServerFactory,
) -> None:
    server = fault_server([sse_reply(frames(answer_events(TOKENS)))])
    result = ask("--url", server.url, "--token", "t0k", "Wie exportiere ich?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ANSWER.encode()
    (start,) = server.requests
    assert (start.method, start.path) == ("POST", "/api/v1/chat/stream")
    assert start.headers["authorization"] == "Bearer t0k"
    assert start.json() == {"message": "Wie exportiere ich?"}


def test_the_token_comes_from_the_environment_when_not_given(
    fault_server: FaultServerFactory,
) -> None:
    server = fault_server([sse_reply(frames(answer_events(["ok"])))])
    result = ask("--url", server.url, "hi", env={"ASSIST_TOKEN": "from-env"})
    assert result.returncode == 0, result.stderr
    assert server.requests[0].headers["authorization"] == "Bearer from-env"


def test_a_dropped_stream_resumes_and_the_text_is_exact(fault_server: FaultServerFactory) -> None:
    events = answer_events(TOKENS)
    cut = frames(events[:4])
    half = frames(events[4:5])[0][:9]
    server = fault_server(
        [
            sse_reply([*cut, Raw(b"%x\r\n%s" % (len(half) + 5, half))], end="close"),
            sse_reply(frames(events_after(events, 4))),
        ]
    )
    result = ask("--url", server.url, "hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ANSWER.encode()
    assert b"reconnecting" in result.stderr
    resume = server.requests[1]
    assert resume.method == "GET"
    assert resume.headers["last-event-id"] == "4"


def test_unauthorized_exits_3_with_nothing_on_stdout(fault_server: FaultServerFactory) -> None:
    server = fault_server([json_error(401, "invalid token")])
    result = ask("--url", server.url, "--token", "wrong", "hi")
    assert result.returncode == 3
    assert result.stdout == b""
    assert b"unauthorized" in result.stderr
    assert b"invalid token" in result.stderr
    assert len(server.requests) == 1


def test_a_lost_stream_that_cannot_resume_exits_3_keeping_the_text(
    fault_server: FaultServerFactory,
) -> None:
    events = answer_events(TOKENS)
    server = fault_server(
        [sse_reply(frames(events[:3]), end="close"), json_error(410, "stream expired")]
    )
    result = ask("--url", server.url, "hi")
    assert result.returncode == 3
    assert result.stdout == "".join(TOKENS[:2]).encode()
    assert b"not_resumable" in result.stderr


def unused_loopback_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # nothing listens once closed


def test_a_dead_server_exits_4_after_the_attempts() -> None:
    result = ask("--url", unused_loopback_url(), "--max-attempts", "2", "hi")
    assert result.returncode == 4
    assert result.stdout == b""
    assert b"gave up after 2 attempts" in result.stderr


def test_a_fatal_error_event_exits_5_keeping_the_text(fault_server: FaultServerFactory) -> None:
    events = [
        StreamStarted(1, "s-fatal"),
        Token(2, "Teil", 0),
        Token(3, "antwort", 1),
        StreamError(4, "token_limit", "context window exceeded", resumable=False),
    ]
    server = fault_server([sse_reply(frames(events), stream_id="s-fatal")])
    result = ask("--url", server.url, "hi")
    assert result.returncode == 5
    assert result.stdout == b"Teilantwort"
    assert b"context window exceeded" in result.stderr


def test_jsonl_has_one_object_per_applied_event_then_a_summary(
    fault_server: FaultServerFactory,
) -> None:
    events = answer_events(TOKENS)
    server = fault_server([sse_reply(frames([*events[:3], events[2], *events[3:]]))])  # replay
    result = ask("--url", server.url, "--output", "jsonl", "hi")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["type"] for line in lines] == ["stream"] + ["token"] * len(TOKENS) + [
        "done",
        "summary",
    ]
    assert [line["id"] for line in lines[:-1]] == list(range(1, len(TOKENS) + 3))
    assert "".join(line["content"] for line in lines if line["type"] == "token") == ANSWER
    summary = lines[-1]
    assert summary["tokens"] == len(TOKENS)
    assert summary["reconnects"] == 0
    assert summary["exit_code"] == 0
    assert summary["outcome"] == "done"
    assert summary["stream_id"] == "s-0123456789abcdef"
    assert summary["ttft_ms"] > 0
    assert summary["duration_ms"] >= summary["ttft_ms"]
    assert summary["bytes_received"] > len(ANSWER.encode())
    assert isinstance(summary["tokens_per_second"], float)


def read_until(proc: subprocess.Popen[bytes], expected: bytes, limit: float = 30.0) -> bytes:
    """Read stdout as it arrives until ``expected`` is in it (``limit`` only guards a hang)."""
    assert proc.stdout is not None
    out = b""
    deadline = time.monotonic() + limit
    while expected not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.1)
        if ready:
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            out += data
    return out


def test_ctrl_c_cancels_the_server_stream_and_exits_130(
    fault_server: FaultServerFactory,
) -> None:
    events = answer_events(TOKENS)
    first = frames(events[:6])  # stream + 5 tokens: one full batch, written before the end
    cancelled = frames([Done(7, "cancelled")])
    server = fault_server([sse_reply([*first, WaitDelete(30), *cancelled])])
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "ask", "--url", server.url, "hi"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        early = read_until(proc, "".join(TOKENS[:5]).encode())
        assert early == "".join(TOKENS[:5]).encode()  # progressive: before the stream ended
        proc.send_signal(signal.SIGINT)
        rest, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130, stderr
    assert early + rest == "".join(TOKENS[:5]).encode()
    deletes = [r for r in server.requests if r.method == "DELETE"]
    assert [r.path for r in deletes] == ["/api/v1/streams/s-0123456789abcdef"]
    assert b"interrupted" in stderr


def test_the_openai_protocol_streams_the_same_way(fault_server: FaultServerFactory) -> None:
    chunks = [
        b'data: {"choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}\n\n'
        % t.encode()
        for t in ("Hal", "lo")
    ]
    done = b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
    server = fault_server([Reply(200, (("Content-Type", "text/event-stream"),), [*chunks, done])])
    result = ask("--url", server.url, "--protocol", "openai", "--model", "tiny", "hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"Hallo"
    assert server.requests[0].path == "/v1/chat/completions"


@pytest.mark.parametrize(
    "args",
    [
        ["   "],
        ["--max-attempts", "0", "hi"],
        ["--idle-timeout", "-1", "hi"],
        ["--protocol", "ollama", "--url", "http://127.0.0.1:9", "hi"],
        ["--protocol", "openai", "hi"],
        ["--output", "xml", "hi"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = ask(*args)
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"error" in result.stderr


@pytest.mark.parametrize("url", ["not-a-url", "ftp://example.com"])
def test_an_address_that_names_no_server_is_a_usage_error_at_once(url: str) -> None:
    result = ask("--url", url, "hi")
    assert result.returncode == 2
    assert b"is not a server address" in result.stderr
    assert result.stdout == b""


def test_on_a_terminal_the_error_after_a_partial_answer_starts_on_its_own_line(
    fault_server: FaultServerFactory,
) -> None:
    import pty

    events = answer_events(TOKENS)
    server = fault_server(
        [sse_reply(frames(events[:3]), end="close"), json_error(410, "stream expired")]
    )
    leader, follower = pty.openpty()  # stdout and stderr on one real terminal
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop", "ask", "--no-cache", "--url", server.url, "hi"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
        )
        os.close(follower)
        seen = b""
        deadline = time.monotonic() + 60  # guards a hang only
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=30) == 3  # the server refused the resume (410)
    finally:
        os.close(leader)
    lines = seen.decode().replace("\r\n", "\n").split("\n")
    assert "".join(TOKENS[:2]) in lines
    error = next(line for line in lines if "not_resumable" in line)
    assert error.startswith("assist-desktop ask: ")
