"""The streaming client against a server that fails in every way the protocol anticipates.

Each test scripts what each connection gets, then asserts the exact answer text, the terminal
event, the number of requests and the resume headers sent. Backoff sleeps are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from client_harness import REQUEST, TOKEN, Run, consume, scenario
from servers.fault_server import (
    STREAM_ID,
    FaultServer,
    Raw,
    Reply,
    WaitDelete,
    answer_events,
    events_after,
    frames,
    json_error,
    sse_reply,
    stream_headers,
)

from desktop.protocol.events import (
    Connected,
    Connecting,
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    Resumed,
    StreamError,
    StreamEvent,
    StreamStarted,
    Token,
    Usage,
)
from desktop.protocol.wire import encode_event
from desktop.streaming import source as source_module
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource

pytestmark = pytest.mark.e2e

TOKENS = ["Hallo", " Welt", ", so", " exportieren", " Sie", " Ihre", " Unterhaltung."]
ANSWER = "".join(TOKENS)
EVENTS = answer_events(TOKENS)  # id 1 stream, ids 2..8 tokens, id 9 done
FRAMES = frames(EVENTS)
LAST_ID = EVENTS[-1].id
START_PATH = "/api/v1/chat/stream"
RESUME_PATH = f"/api/v1/streams/{STREAM_ID}/events"


def resume_from(last_id: int, **kwargs: object) -> Reply:
    return sse_reply(frames(events_after(EVENTS, last_id)), **kwargs)  # type: ignore[arg-type]


def assert_complete(run: Run, connections: int) -> None:
    assert run.text == ANSWER
    assert run.terminal == EVENTS[-1]
    assert len(run.stream_requests) == connections
    assert run.source.stats.connections == connections
    assert run.source.last_event_id == LAST_ID
    assert run.open_connections == 0
    token_ids = [event.id for event in run.of_type(Token)]
    assert token_ids == list(range(2, 2 + len(TOKENS)))


def assert_resumed_after(run: Run, *last_ids: int) -> None:
    """The start was a POST and every later request a resume from the given applied ids."""
    start, *resumes = run.stream_requests
    assert (start.method, start.path) == ("POST", START_PATH)
    assert [(r.method, r.path) for r in resumes] == [("GET", RESUME_PATH)] * len(resumes)
    assert [r.headers.get("last-event-id") for r in resumes] == [str(i) for i in last_ids]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in run.stream_requests)


# --- the happy path and what a start request carries -----------------------------------------


def test_a_clean_stream_yields_connection_events_then_every_event_once() -> None:
    run = scenario([sse_reply(FRAMES)])
    assert_complete(run, connections=1)
    assert isinstance(run.events[0], Connecting)
    assert isinstance(run.events[1], Connected)
    assert run.events[2:] == EVENTS
    start = run.stream_requests[0]
    assert start.json() == {"message": REQUEST.message}
    assert start.headers["accept"] == "text/event-stream"
    assert start.headers["cache-control"] == "no-cache"
    assert start.headers["authorization"] == f"Bearer {TOKEN}"
    assert uuid.UUID(start.headers["idempotency-key"]).version == 4
    assert "last-event-id" not in start.headers
    assert run.source.stream_id == STREAM_ID
    assert run.source.stats.events_applied == len(EVENTS)
    assert run.source.stats.bytes_received == sum(map(len, FRAMES)) + len(b"retry: 1\n\n")


def test_the_raw_tap_sees_every_parsed_message_including_replays() -> None:
    seen: list[tuple[str, int]] = []
    script = [sse_reply(FRAMES[:3], end="close"), resume_from(0)]
    run = scenario(script, source_kwargs={"on_message": lambda m, n: seen.append((m.id or "", n))})
    assert_complete(run, connections=2)
    assert [i for i, _ in seen] == [str(i) for i in [1, 2, 3, *range(1, LAST_ID + 1)]]
    assert all(size > 0 for _, size in seen)


# --- drops at every point of an event --------------------------------------------------------


def test_a_drop_mid_line_resumes_from_the_last_complete_event() -> None:
    script = [sse_reply([*FRAMES[:3], FRAMES[3][:12]], end="close"), resume_from(3)]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)
    assert len(run.of_type(Resumed)) == 1


def test_a_drop_mid_event_discards_the_half_received_event() -> None:
    half = FRAMES[3][: FRAMES[3].index(b"data:")]  # id and event lines, no data yet
    run = scenario([sse_reply([*FRAMES[:3], half], end="reset"), resume_from(3)])
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)
    assert run.reconnects[0].reason.startswith("connection lost")


def test_a_drop_right_after_an_id_line_resumes_from_the_previous_id() -> None:
    script = [sse_reply([*FRAMES[:4], b"id: 5\n"], chunked=False, end="close"), resume_from(4)]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 4)


def test_a_chunk_cut_in_half_by_the_server_is_a_drop() -> None:
    cut = Raw(b"%x\r\n" % len(FRAMES[2]) + FRAMES[2][:10])
    run = scenario([sse_reply([*FRAMES[:2], cut], end="close"), resume_from(2)])
    assert_complete(run, connections=2)
    assert_resumed_after(run, 2)
    assert "incomplete chunked read" in run.reconnects[0].reason


def test_a_clean_end_before_done_is_a_drop_for_chunked_and_close_delimited_bodies() -> None:
    script = [
        sse_reply(FRAMES[:3], end="eof"),
        sse_reply(frames(EVENTS[3:5]), chunked=False, end="eof"),
        resume_from(5),
    ]
    run = scenario(script)
    assert_complete(run, connections=3)
    assert_resumed_after(run, 3, 5)
    assert all("before done" in r.reason for r in run.reconnects)


def test_replayed_overlapping_events_are_applied_once() -> None:
    script = [sse_reply(FRAMES[:5], end="reset"), resume_from(0), resume_from(0)]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 5)
    assert run.of_type(StreamStarted) == [EVENTS[0]]


def test_an_event_id_gap_resumes_from_the_last_applied_id() -> None:
    script = [sse_reply([*FRAMES[:3], FRAMES[5], FRAMES[6]], end="hang"), resume_from(3)]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)
    assert "gap" in run.reconnects[0].reason


def test_a_cached_stream_starts_by_resuming() -> None:
    run = scenario(
        [resume_from(0)], request=None, source_kwargs={"stream_id": STREAM_ID, "last_event_id": 4}
    )
    assert run.text == ANSWER[len("".join(TOKENS[:3])) :]
    assert run.terminal == EVENTS[-1]
    assert [(r.method, r.path) for r in run.stream_requests] == [("GET", RESUME_PATH)]
    assert run.last_event_ids() == ["4"]


# --- line ends, encodings, BOM ---------------------------------------------------------------


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n"], ids=["cr", "crlf"])
def test_cr_and_crlf_line_ends_split_at_every_position(line_end: bytes) -> None:
    body = b"".join(FRAMES).replace(b"\n", line_end)
    for size in (1, 2, 3, 7):  # every split, incl. a CR ending one chunk and LF starting the next
        run = scenario([sse_reply(pieces(body, size))])
        assert_complete(run, connections=1)


def test_utf8_split_byte_by_byte_and_a_wrong_charset_are_decoded_as_utf8() -> None:
    tokens = ["Grüße", " aus", " Köln ", "🙂", " — 東京", "\u2028ok"]
    events = answer_events(tokens)
    body = pieces(b"".join(frames(events)), 1)
    headers = stream_headers(STREAM_ID, "Text/Event-Stream; charset=windows-1252")
    run = scenario([Reply(200, headers, body)])
    assert run.text == "".join(tokens)
    assert run.terminal == events[-1]
    assert len(run.stream_requests) == 1


def test_a_bom_is_stripped_once_per_response_even_when_split() -> None:
    bom = b"\xef\xbb\xbf"
    script = [
        sse_reply([bom[:1], bom[1:] + FRAMES[0], FRAMES[1], FRAMES[2]], end="close", retry_ms=None),
        sse_reply([bom + FRAMES[2], *FRAMES[3:]], retry_ms=None),
    ]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)


# --- statuses before the stream --------------------------------------------------------------


def test_429_and_503_wait_at_least_retry_after_and_retry_the_start_with_the_same_key() -> None:
    script = [
        json_error(429, "slow down", ("Retry-After", "7")),
        Reply(503, (("Content-Type", "text/html"), ("Retry-After", "3")), [b"<h1>busy</h1>"]),
        sse_reply(FRAMES),
    ]
    run = scenario(script)
    assert_complete(run, connections=3)
    assert run.delays == [7.0, 3.0]  # random=0.5: jitter factor 1; the floors win over 1 s / 2 s
    assert [r.delay for r in run.reconnects] == run.delays
    assert [r.reason for r in run.reconnects] == ["HTTP 429", "HTTP 503"]
    keys = {r.headers["idempotency-key"] for r in run.stream_requests}
    assert len(keys) == 1
    assert [r.method for r in run.stream_requests] == ["POST"] * 3


def test_a_503_on_resume_is_retried_as_a_resume() -> None:
    script = [
        sse_reply(FRAMES[:4], end="reset"),
        Reply(503, (("Retry-After", "2"),), [b"busy"]),
        resume_from(4),
    ]
    run = scenario(script)
    assert_complete(run, connections=3)
    assert_resumed_after(run, 4, 4)
    assert run.delays[1] == 2.0


def test_an_html_page_with_200_is_rejected_without_retry() -> None:
    page = Reply(200, (("Content-Type", "text/html; charset=utf-8"),), [b"<html>login</html>"])
    run = scenario([page])
    assert run.terminal == Rejected(
        "not_event_stream", "expected text/event-stream, got text/html; charset=utf-8", 200
    )
    assert run.text == ""
    assert len(run.stream_requests) == 1


def test_401_is_rejected_as_unauthorized_without_retry() -> None:
    run = scenario([json_error(401, "bad token")])
    assert run.terminal == Rejected("unauthorized", "bad token", 401)
    assert len(run.stream_requests) == 1


def test_422_is_rejected_with_the_servers_message() -> None:
    run = scenario([json_error(422, "'message' must not be empty")])
    assert run.terminal == Rejected("invalid_request", "'message' must not be empty", 422)
    assert len(run.stream_requests) == 1


@pytest.mark.parametrize("status", [404, 410, 204])
def test_a_stream_the_server_no_longer_holds_keeps_the_partial_text(status: int) -> None:
    gone = Reply(status, (("Content-Type", "application/json"),), [] if status == 204 else [b"{}"])
    run = scenario([sse_reply(FRAMES[:4], end="close"), gone])
    assert run.text == "".join(TOKENS[:3])
    assert isinstance(run.terminal, Rejected)
    assert (run.terminal.reason, run.terminal.status) == ("not_resumable", status)
    assert_resumed_after(run, 4)
    assert run.source.last_event_id == 4


# --- bad data, stalls, limits ----------------------------------------------------------------


def test_bad_json_once_is_not_applied_and_the_stream_resumes_before_it() -> None:
    bad = b'id: 4\nevent: token\ndata: {"content": " so", "ind\n\n'
    run = scenario([sse_reply([*FRAMES[:3], bad, *FRAMES[3:]]), resume_from(3)])
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)
    assert "malformed" in run.reconnects[0].reason


def test_a_stall_past_the_idle_timeout_is_a_drop() -> None:
    run = scenario([sse_reply(FRAMES[:4], end="hang"), resume_from(4)], idle_timeout=0.3)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 4)
    assert run.reconnects[0].reason.startswith("idle timeout")


def test_keepalive_comments_keep_a_quiet_stream_alive() -> None:
    pings: list[bytes | float] = [b": ping\n\n", 0.05] * 16  # 0.8 s of pings, idle limit 0.5 s
    run = scenario([sse_reply([*FRAMES[:4], *pings, *FRAMES[4:]])], idle_timeout=0.5)
    assert_complete(run, connections=1)


def test_nothing_after_done_is_read() -> None:
    extra = encode_event(Token(id=LAST_ID + 1, content=" NEIN", index=99))
    run = scenario([sse_reply([*FRAMES, extra, b"garbage\n\n"], end="hang")])
    assert_complete(run, connections=1)


def test_unknown_event_types_and_keys_are_ignored() -> None:
    body = [
        FRAMES[0],
        b'id: 2\nevent: token\ndata: {"content": "A", "index": 0, "new_key": {"x": 1}}\n\n',
        b'id: 3\nevent: citation\ndata: {"source": "doc.md"}\n\n',  # unknown, but its id counts
        b"event: citation\ndata: no id at all\n\n",
        b'id: 4\nevent: token\ndata: {"content": "B", "index": 1}\n\n',
        b'id: 5\nevent: done\ndata: {"finish_reason": "stop", "usage": {}, "later": 1}\n\n',
    ]
    run = scenario([sse_reply(body)])
    assert run.text == "AB"
    assert run.terminal == Done(id=5, finish_reason="stop", usage=Usage())
    assert len(run.stream_requests) == 1
    assert run.source.stats.events_applied == 5


def test_a_resumable_error_event_is_shown_then_resumed_after_its_retry_after() -> None:
    error = StreamError(4, "model_overload", "Modell überlastet", resumable=True, retry_after=2.5)
    tail = [Token(5, "B", 1), Done(6, "stop")]
    first = [*FRAMES[:3], encode_event(error)]
    run = scenario([sse_reply(first, end="hang"), sse_reply(frames([error, *tail]))])
    assert run.text == "Hallo WeltB"
    assert run.of_type(StreamError) == [error]
    assert run.terminal == tail[-1]
    assert run.delays == [2.5]
    assert run.last_event_ids() == [None, "4"]


def test_a_fatal_error_event_ends_the_stream_with_its_text() -> None:
    error = StreamError(4, "token_limit", "Kontext zu lang", resumable=False)
    run = scenario([sse_reply([*FRAMES[:3], encode_event(error), *FRAMES[3:]], end="hang")])
    assert run.text == "Hallo Welt"
    assert run.terminal == error
    assert len(run.stream_requests) == 1


def test_a_one_megabyte_event_arrives_whole() -> None:
    big = "x" * 1_000_000 + "ü"
    events = [EVENTS[0], Token(2, big, 0), Done(3, "stop")]
    run = scenario([sse_reply(pieces(b"".join(frames(events)), 65_536))])
    assert run.text == big
    assert run.terminal == events[-1]
    assert len(run.stream_requests) == 1


def test_an_event_over_the_size_cap_is_a_drop_until_the_client_gives_up() -> None:
    events = [EVENTS[0], Token(2, "y" * 20_000, 0), Done(3, "stop")]
    body = pieces(b"".join(frames(events)), 4096)
    script = [sse_reply(body, end="hang")] * 3
    run = scenario(script, max_event_bytes=8192, max_attempts=3)
    assert run.text == ""
    assert isinstance(run.terminal, GaveUp)
    assert run.terminal.attempts == 3
    assert "exceeds" in run.terminal.reason
    assert len(run.stream_requests) == 3
    assert run.last_event_ids() == [None, "1", "1"]


def test_the_client_gives_up_after_max_attempts_without_a_new_event() -> None:
    busy = Reply(503, (("Content-Type", "text/plain"),), [b"down"])
    run = scenario([busy] * 4, max_attempts=4)
    assert run.terminal == GaveUp(4, "HTTP 503")
    assert run.delays == [1.0, 2.0, 4.0]  # protocol default 1 s, doubling, jitter factor 1
    assert len(run.stream_requests) == 4
    assert run.text == ""


def test_a_new_event_resets_the_attempt_count() -> None:
    script = [sse_reply(FRAMES[: i + 1], end="reset") for i in range(1, len(FRAMES) - 1)]
    script.append(resume_from(LAST_ID - 1))
    run = scenario(script, max_attempts=2)
    assert_complete(run, connections=len(FRAMES) - 1)
    assert [r.attempt for r in run.reconnects] == [1] * (len(FRAMES) - 2)


def test_a_dead_server_is_given_up_on() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connection refused
        run = asyncio.run(consume(f"http://127.0.0.1:{port}", max_attempts=3))
    assert isinstance(run.terminal, GaveUp)
    assert run.terminal.attempts == 3
    assert "connect" in run.terminal.reason
    assert run.source.stats.connections == 3


def test_a_refused_connection_is_reported_as_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connection refused
        run = asyncio.run(consume(f"http://127.0.0.1:{port}", max_attempts=2))
    assert [r.unreachable for r in run.reconnects] + [run.terminal.unreachable] == [True, True]


def test_a_server_that_answers_503_is_reachable() -> None:
    busy = Reply(503, (("Content-Type", "text/plain"),), [b"down"])
    run = scenario([busy] * 2, max_attempts=2)
    assert [r.unreachable for r in run.reconnects] == [False]
    assert run.terminal == GaveUp(2, "HTTP 503", unreachable=False)


# --- the user's controls ---------------------------------------------------------------------


def test_cancel_deletes_the_stream_and_reads_on_to_the_servers_done() -> None:
    cancelled = Done(5, "cancelled", Usage(1, 3))

    async def stop_after_third_token(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Token) and event.id == 4:
            await source.cancel()

    body = [*FRAMES[:4], WaitDelete(), encode_event(cancelled)]
    run = scenario([sse_reply(body, end="hang")], on_event=stop_after_third_token)
    assert run.text == "".join(TOKENS[:3])
    assert run.terminal == cancelled
    deletes = [r for r in run.requests if r.method == "DELETE"]
    assert [d.path for d in deletes] == [f"/api/v1/streams/{STREAM_ID}"]
    assert deletes[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert len(run.stream_requests) == 1


def test_cancel_ends_with_a_local_done_when_the_server_sends_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(source_module, "CANCEL_GRACE", 0.2)

    async def stop_now(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Token) and event.id == 3:
            await source.cancel()

    run = scenario([sse_reply(FRAMES[:3], end="hang")], on_event=stop_now)
    assert run.text == "Hallo Welt"
    assert run.terminal == Done(3, "cancelled")
    assert [r.method for r in run.requests] == ["POST", "DELETE"]


def test_cancel_before_the_stream_id_is_known_just_stops() -> None:
    async def stop_on_connect(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Connected):
            await source.cancel()

    reply = sse_reply(FRAMES, stream_id=None, end="hang")
    run = scenario([reply], on_event=stop_on_connect)
    assert run.terminal == Done(0, "cancelled")
    assert run.text == ""
    assert [r.method for r in run.requests] == ["POST"]


def test_drop_connection_resumes_like_a_network_failure() -> None:
    async def drop_once(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Token) and event.id == 3:
            source.drop_connection()

    run = scenario([sse_reply(FRAMES[:3], end="hang"), resume_from(3)], on_event=drop_once)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 3)
    assert run.reconnects[0].reason == "connection dropped on request"


def test_a_start_that_fails_before_headers_is_sent_again_with_the_same_key() -> None:
    run = scenario([Reply(0, end="reset"), Reply(0, end="close"), sse_reply(FRAMES)])
    assert_complete(run, connections=3)
    assert [r.method for r in run.stream_requests] == ["POST"] * 3
    assert len({r.headers["idempotency-key"] for r in run.stream_requests}) == 1


# --- lifecycle -------------------------------------------------------------------------------


def test_without_x_stream_id_the_stream_event_names_the_resume_url() -> None:
    script = [sse_reply(FRAMES[:2], end="reset", stream_id=None), resume_from(2, stream_id=None)]
    run = scenario(script)
    assert_complete(run, connections=2)
    assert_resumed_after(run, 2)


def test_connection_events_number_the_attempts() -> None:
    busy = Reply(503, (), [b"busy"])
    run = scenario([busy, busy, sse_reply(FRAMES)])
    connecting = run.of_type(Connecting)
    assert [(c.attempt, c.resuming) for c in connecting] == [(0, False), (1, False), (2, False)]
    assert [(r.attempt, r.max_attempts, r.last_event_id) for r in run.reconnects] == [
        (1, 8, 0),
        (2, 8, 0),
    ]
    assert run.of_type(Resumed)[0].attempts == 2
    assert run.source.stats.reconnects == 2


def test_leaving_the_loop_early_closes_the_connection() -> None:
    async def main() -> tuple[int, bool]:
        async with FaultServer([sse_reply(FRAMES[:3], end="hang")]) as server:
            config = ClientConfig(server.url, idle_timeout=10)
            async with make_client(config) as client:
                source = ReconnectingEventSource(client, config, REQUEST)
                events = source.events()
                async for event in events:
                    if isinstance(event, Token):
                        break
                await events.aclose()  # type: ignore[attr-defined]
                assert source._connection is None
                handlers = server.open_connections
                for _ in range(200):  # the server sees the close and its handler ends
                    if not server.open_connections:
                        break
                    await asyncio.sleep(0.01)
                return handlers, not server.open_connections

    handlers, closed = asyncio.run(main())
    assert handlers == 1
    assert closed


def test_a_source_needs_a_request_or_a_stream_id_and_iterates_once() -> None:
    async def main() -> None:
        config = ClientConfig("http://127.0.0.1:9")
        async with make_client(config) as client:
            with pytest.raises(ValueError, match="stream_id"):
                ReconnectingEventSource(client, config)
            source = ReconnectingEventSource(
                client, ClientConfig(config.base_url, max_attempts=1), REQUEST
            )
            [event async for event in source.events()]
            with pytest.raises(RuntimeError):
                [event async for event in source.events()]

    asyncio.run(main())


def test_a_resume_follows_redirects() -> None:
    moved = Reply(302, (("Location", f"{RESUME_PATH}?replica=2"),), [])
    run = scenario([sse_reply(FRAMES[:3], end="reset"), moved, resume_from(3)])
    assert (run.text, run.terminal) == (ANSWER, EVENTS[-1])
    assert (len(run.stream_requests), run.source.stats.connections) == (3, 2)  # 2 tries
    assert run.stream_requests[2].path == f"{RESUME_PATH}?replica=2"
    assert run.stream_requests[2].headers["last-event-id"] == "3"


def test_a_start_follows_only_same_origin_307_and_308_keeping_method_body_and_key() -> None:
    script = [
        Reply(307, (("Location", "/v2/chat"),), []),
        Reply(308, (("Location", "/v3/chat"),), []),
        sse_reply(FRAMES),
    ]
    run = scenario(script)
    assert_complete(run, connections=3)
    assert [(r.method, r.path) for r in run.stream_requests] == [
        ("POST", START_PATH),
        ("POST", "/v2/chat"),
        ("POST", "/v3/chat"),
    ]
    assert len({r.body for r in run.stream_requests}) == 1
    assert len({r.headers["idempotency-key"] for r in run.stream_requests}) == 1
    assert run.reconnects == []


@pytest.mark.parametrize(
    "reply",
    [
        Reply(302, (("Location", "/elsewhere"),), []),  # would turn the POST into a GET
        Reply(307, (("Location", "https://127.0.0.1:9/chat"),), []),  # another origin
    ],
)
def test_a_start_redirect_that_is_not_safe_is_rejected(reply: Reply) -> None:
    run = scenario([reply])
    assert isinstance(run.terminal, Rejected)
    assert (run.terminal.reason, run.terminal.status) == ("invalid_request", reply.status)
    assert len(run.stream_requests) == 1


def test_a_400_on_resume_is_rejected_with_the_servers_message() -> None:
    bad = json_error(400, "Last-Event-ID is beyond the stream")
    run = scenario([sse_reply(FRAMES[:3], end="reset"), bad])
    assert run.terminal == Rejected("invalid_request", "Last-Event-ID is beyond the stream", 400)
    assert run.text == "Hallo Welt"


def test_cancel_during_a_backoff_resumes_to_read_the_servers_done() -> None:
    cancelled = Done(4, "cancelled")

    async def stop_while_reconnecting(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Reconnecting):
            await source.cancel()

    script = [sse_reply(FRAMES[:3], end="reset"), sse_reply(frames([cancelled]))]
    run = scenario(script, on_event=stop_while_reconnecting)
    assert run.text == "Hallo Welt"
    assert run.terminal == cancelled
    assert [r.method for r in run.requests] == ["POST", "DELETE", "GET"]


def test_stream_requests_decline_compression() -> None:
    run = scenario([sse_reply(FRAMES)])
    assert run.stream_requests[0].headers["accept-encoding"] == "identity"


def test_a_500_with_an_event_stream_body_is_not_read() -> None:
    poisoned = Reply(500, stream_headers(), [b"retry: 1\n\n", *frames(answer_events(["NEIN"]))])
    run = scenario([poisoned, sse_reply(FRAMES)])
    assert_complete(run, connections=2)
    assert run.reconnects[0].reason == "HTTP 500"
    assert run.source.stats.bytes_received == sum(map(len, FRAMES)) + len(b"retry: 1\n\n")


def test_cancel_on_the_connecting_event_sends_nothing() -> None:
    async def stop_at_once(source: ReconnectingEventSource, event: StreamEvent) -> None:
        if isinstance(event, Connecting):
            await source.cancel()

    run = scenario([sse_reply(FRAMES)], on_event=stop_at_once)
    assert run.terminal == Done(0, "cancelled")
    assert run.requests == []
    assert run.source.stats.connections == 0
