"""What ``ask`` writes: batched answer text, JSON lines, the summary, notices, a closed pipe."""

from __future__ import annotations

import asyncio
import io
import json

from desktop.commands.ask_output import AnswerWriter, Notices, event_line, summary_record
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.protocol.events import (
    Connected,
    Done,
    Reconnecting,
    Reset,
    Resumed,
    StreamError,
    StreamStarted,
    StreamWarning,
    Token,
    Usage,
)
from desktop.streaming.session import outcome_of


class CountingStream(io.BytesIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


class ClosedPipe(io.BytesIO):
    def write(self, data: object) -> int:
        raise BrokenPipeError


def test_text_mode_writes_only_the_answer_in_batches() -> None:
    async def scenario() -> CountingStream:
        out = CountingStream()
        writer = AnswerWriter(out, "text", max_tokens=2, max_delay=60)
        writer(StreamStarted(1, "s"), 0.0)
        writer(Connected("u", resumed=False), 0.0)
        for i, piece in enumerate(["Grü", "ße", " aus", " Bonn", "!"]):
            writer(Token(i + 2, piece, i), 0.0)
        writer(Done(7, "stop"), 0.0)
        writer.write_summary({"type": "summary"})
        return out

    out = asyncio.run(scenario())
    assert out.getvalue() == "Grüße aus Bonn!".encode()
    assert out.flushes == 3  # two full batches, then the rest at the end


def test_jsonl_mode_writes_wire_events_then_the_summary() -> None:
    async def scenario() -> bytes:
        out = io.BytesIO()
        writer = AnswerWriter(out, "jsonl")
        writer(Connected("u", resumed=False), 0.0)  # connection events are not applied events
        writer(Token(2, "a", 0), 0.0)
        writer(Done(3, "length", Usage(1, 1)), 0.0)
        writer.write_summary({"type": "summary", "tokens": 1})
        return out.getvalue()

    lines = [json.loads(line) for line in asyncio.run(scenario()).decode().splitlines()]
    assert lines == [
        {"type": "token", "id": 2, "content": "a", "index": 0},
        {
            "type": "done",
            "id": 3,
            "finish_reason": "length",
            "usage": {"prompt_tokens": 1, "completion_tokens": 1},
            "duration_ms": None,
        },
        {"type": "summary", "tokens": 1},
    ]


def test_event_lines_keep_non_ascii_text_readable() -> None:
    assert event_line(Token(5, "日本", 3)) == '{"type":"token","id":5,"content":"日本","index":3}\n'


def test_a_closed_stdout_is_reported_once_and_nothing_more_is_written() -> None:
    async def scenario() -> int:
        calls = [0]

        def closed() -> None:
            calls[0] += 1

        writer = AnswerWriter(ClosedPipe(), "text", max_tokens=1, on_closed=closed)
        writer(Token(1, "a", 0), 0.0)
        writer(Token(2, "b", 1), 0.0)
        writer.flush()
        return calls[0]

    assert asyncio.run(scenario()) == 1


def test_the_summary_carries_the_figures_scripts_need() -> None:
    recorder = StreamMetricsRecorder(started_at=10.0, bytes_received=lambda: 999)
    recorder(StreamStarted(1, "s-9"), 10.05)
    for i in range(11):
        recorder(Token(i + 2, "x", i), 10.25 + i * 0.1)
    terminal = Done(13, "stop")
    recorder(terminal, 11.5)
    summary = summary_record(outcome_of(terminal), recorder.snapshot(), stream_id="s-9")
    assert summary == {
        "type": "summary",
        "outcome": "done",
        "exit_code": 0,
        "message": "",
        "finish_reason": "stop",
        "stream_id": "s-9",
        "tokens": 11,
        "reconnects": 0,
        "ttft_ms": 250.0,
        "duration_ms": 1500.0,
        "tokens_per_second": 10.0,
        "bytes_received": 999,
    }


def test_notices_describe_reconnects_warnings_and_resumable_errors() -> None:
    err = io.StringIO()
    notices = Notices(err)
    notices(Reconnecting(2, 8, 1.5, "ReadTimeout", 41), 0.0)
    notices(Resumed(41, 2, 3.25), 0.0)
    notices(StreamWarning(42, "slow_upstream", "Das Modell antwortet langsam"), 0.0)
    notices(StreamError(43, "model_overload", "busy", resumable=True), 0.0)
    notices(Token(44, "not a notice", 0), 0.0)
    assert err.getvalue().splitlines() == [
        "assist-desktop ask: connection lost (ReadTimeout); reconnecting in 1.5 s (attempt 2 of 8)",
        "assist-desktop ask: resumed after 3.2 s at event 41",
        "assist-desktop ask: warning: Das Modell antwortet langsam (slow_upstream)",
        "assist-desktop ask: server error, resuming: model_overload: busy",
    ]


def test_a_notice_after_a_partial_line_starts_a_line_of_its_own_on_a_shared_terminal() -> None:
    out, err = io.BytesIO(), io.StringIO()

    async def scenario() -> None:  # the writer batches on the running loop
        writer = AnswerWriter(out, "text")
        notices = Notices(err, mid_line=writer.flush_to_line_end)
        for sink in (writer, notices):
            sink(Token(1, "Teil einer Ant", 0), 0.0)
        notices.say("not_resumable (HTTP 410): stream expired")
        notices.say("again")

    asyncio.run(scenario())
    assert out.getvalue() == b"Teil einer Ant"  # flushed first, and exact
    assert err.getvalue().splitlines() == [
        "",
        "assist-desktop ask: not_resumable (HTTP 410): stream expired",
        "assist-desktop ask: again",
    ]


def test_without_a_shared_terminal_notices_add_no_line_break() -> None:
    err = io.StringIO()
    notices = Notices(err)
    notices(Token(1, "Teil", 0), 0.0)
    notices.say("stop")
    assert err.getvalue() == "assist-desktop ask: stop\n"


def test_a_reset_in_text_mode_keeps_stdout_and_names_where_the_answer_begins() -> None:
    async def scenario() -> tuple[bytes, str]:
        out, err = CountingStream(), io.StringIO()
        writer = AnswerWriter(out, "text", max_tokens=100, max_delay=60)
        notices = Notices(err, lambda: writer.text_chars)
        events = [
            Token(2, "Grüße", 0),
            Token(3, " aus", 1),
            Reset(4, "upstream_retry", "Zeitüberschreitung"),
            Token(5, "Hallo", 2),
            Done(6, "stop"),
        ]
        for event in events:
            writer(event, 0.0)
            notices(event, 0.0)
        writer.flush()
        return out.getvalue(), err.getvalue()

    stdout, stderr = asyncio.run(scenario())
    assert stdout == "Grüße ausHallo".encode()
    assert stderr == (
        "assist-desktop ask: the server started the answer over (upstream_retry: "
        "Zeitüberschreitung); stdout keeps the abandoned attempt, the answer is the text after "
        "character 9\n"
    )


def test_a_reset_is_a_line_of_its_own_in_jsonl() -> None:
    assert json.loads(event_line(Reset(4, "upstream_retry"))) == {
        "type": "reset",
        "id": 4,
        "reason": "upstream_retry",
    }
