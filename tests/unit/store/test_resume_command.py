"""``assist-desktop resume`` where no server is needed: what it refuses and why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cache_builders import record_conversation

from desktop.cli import main
from desktop.protocol.events import StreamStarted, Token
from desktop.protocol.request import ChatRequest
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter


def _run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def _cut_off(writer: CacheWriter, protocol: str = "assist", started: bool = True) -> int:
    recorder = AnswerRecorder.start(
        writer, server_url="http://127.0.0.1:9", protocol=protocol, request=ChatRequest("q")
    )
    if started:
        recorder(StreamStarted(1, "s-cut"), 0.0)
        recorder(Token(2, "halbe Antwort", 0), 0.1)
    recorder.close()  # no terminal event: interrupted
    return recorder.message_id


def test_a_finished_answer_is_printed_and_needs_no_server(
    writer: CacheWriter, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    rec = record_conversation(writer, "Export?", ["Über ", "Datei."])
    writer.flush()
    code, out, _ = _run(capsysbinary, "resume", str(rec.message_id), "--db", str(db_path))
    assert (code, out) == (0, "Über Datei.".encode())


def test_an_answer_from_a_backend_without_resume_keeps_its_text_and_exits_3(
    writer: CacheWriter, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    message_id = _cut_off(writer, protocol="openai")
    writer.flush()
    code, out, err = _run(capsysbinary, "resume", str(message_id), "--db", str(db_path))
    assert (code, out) == (3, b"halbe Antwort")
    assert "no resume" in err


def test_an_answer_cut_off_before_its_stream_started_cannot_be_resumed(
    writer: CacheWriter, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    message_id = _cut_off(writer, started=False)
    writer.flush()
    code, out, err = _run(capsysbinary, "resume", "--all", "--db", str(db_path))
    assert (code, out) == (3, b"")
    assert "never started" in err
    assert str(message_id) in err


def test_a_stream_another_live_process_is_recording_is_not_resumed_twice(
    writer: CacheWriter, db_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    message_id = _cut_off(writer)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        writer.submit(
            lambda c: c.execute(
                "UPDATE streams SET state = 'streaming', owner_pid = ? WHERE message_id = ?",
                (sleeper.pid, message_id),
            )
        ).result()
        code, out, err = _run(capsysbinary, "resume", "s-cut", "--db", str(db_path))
        assert code == 2
        assert f"process {sleeper.pid}" in err
        code, out, err = _run(capsysbinary, "resume", "--all", "--db", str(db_path))
        assert (code, out) == (0, b"")
        assert "nothing to resume" in err
    finally:
        sleeper.kill()
        sleeper.wait()


def test_unknown_streams_and_missing_caches_are_usage_errors(
    db_path: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    CacheWriter(db_path).close()
    code, _, err = _run(capsysbinary, "resume", "nope", "--db", str(db_path))
    assert code == 2
    assert "No stream 'nope'" in err
    code, _, err = _run(capsysbinary, "resume", "--all", "--db", str(tmp_path / "none.db"))
    assert code == 0
    assert "no answer cache" in err
    with pytest.raises(SystemExit) as exited:
        main(["resume", "--db", str(db_path)])  # neither --all nor a stream
    assert exited.value.code == 2
