"""The fake nscale-assist answers the captured requests with the captured bytes.

Each captured request is replayed over a raw socket; the fake is scripted with the tokens the
real server sent, so everything the server itself decides must be equal byte for byte: status
line, headers and their order, chunk sizes and framing, CRLF, the double SSE wrapping, JSON
escaping, the end frames, the error bodies. What differs by nature is normalised on both sides:
the ``date`` header, a login's token and ``created_at``, and the keepalive comments (timed;
their own format is checked below).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
from raw_http import exchange, retarget
from servers.nscale import RunningNscale, start_fake_nscale
from servers.nscale.recorded import Capture, capture, dechunk
from servers.nscale.streams import AnswerScript, sse_ping

pytestmark = pytest.mark.e2e

PING = re.compile(rb"^: ping - \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\r\n\r\n$")
LEGACY_TOKEN = re.compile(rb'^data: data: (\{"response": .*\})\r\ndata: \r\ndata: \r\n\r\n$')


@pytest.fixture
def nscale() -> Iterator[RunningNscale]:
    # One frozen second, as in the captures: sessions made in the same second list in creation
    # order, and a run that crossed a second boundary would list them the other way round.
    now = float(int(time.time()))
    with start_fake_nscale(token_delay=0.0, ping_interval=3600.0, clock=lambda: now) as running:
        yield running


def tokens_of(recorded: Capture) -> list[str]:
    """The answer tokens the real server sent, in order (markers and the final ``""`` too)."""
    tokens: list[str] = []
    for chunk in recorded.chunks:
        legacy = LEGACY_TOKEN.match(chunk)
        if legacy is not None:
            tokens.append(json.loads(legacy.group(1))["response"])
        elif chunk.startswith(b'{"content"'):
            tokens.append(json.loads(chunk)["content"])
    return tokens


def script_of(recorded: Capture) -> AnswerScript:
    tokens = tokens_of(recorded)
    final_empty = bool(tokens) and tokens[-1] == ""
    return AnswerScript(tuple(tokens[:-1] if final_empty else tokens), final_empty=final_empty)


def normalised(raw: bytes) -> bytes:
    """Without what differs by nature: the date, tokens, creation times, pings."""
    head, _, body = raw.partition(b"\r\n\r\n")
    head = re.sub(rb"(?m)^date: [^\r]*\r$", b"date: *\r", head + b"\r")[:-1]
    body = re.sub(rb"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+", b"<jwt>", body)
    body = re.sub(rb'"(created_at|updated_at)":\d+', rb'"\1":0', body)
    if re.search(rb"(?im)^transfer-encoding: chunked", head):
        complete = body.endswith(b"\r\n0\r\n\r\n")
        chunks = [c for c in dechunk(body) if not PING.match(c)]
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks)
        body += b"0\r\n\r\n" if complete else b""
    return head + b"\r\n\r\n" + body


def replay(nscale: RunningNscale, name: str, token: str | None = "valid") -> tuple[bytes, bytes]:
    """(what the fake answered, what the real server answered), both normalised."""
    recorded = capture(name)
    bearer = {"valid": nscale.login_token(), "expired": nscale.login_token(expires_in=-60)}
    request = retarget(recorded.request, nscale.thread.port, bearer.get(token or ""))
    got = exchange(nscale.thread.port, request)
    return normalised(got), normalised(recorded.raw)


@pytest.mark.parametrize(
    "name",
    [
        "01-get-api-question-stream",
        "02-get-v1-question-stream",
        "03-post-v1-question-stream",
        "05-long-answer-pings",
        "18c-non-ascii-answer-get-v1",
        "30-ollama-killed-mid-answer",
        "31-ollama-down-before-answer",
        "33-llama-down-before-answer",
        "34-llm-timeout-5s",
        "35-cors-and-plus-sign",
    ],
)
def test_every_answer_stream_is_byte_for_byte_the_captured_one(
    nscale: RunningNscale, name: str
) -> None:
    nscale.fake.scripts.append(script_of(capture(name)))
    got, expected = replay(nscale, name)
    if name.startswith("35-"):  # the capture stops mid-answer (the client left): a prefix
        got = got[: len(expected)]
    assert got == expected
    (generation,) = nscale.fake.generations
    assert generation.state == "complete"
    session = nscale.fake.history.sessions[generation.session_id]
    assert session.messages[-1].message == "".join(tokens_of(capture(name)))  # markers too


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("10-no-token-api-question-stream", None),
        ("10-no-token-post-v1", None),
        ("11-bad-token-get-v1", None),
        ("12-expired-token-post-v1", "expired"),
        ("13a-empty-question-api-question-stream", "valid"),
        ("13f-empty-question-post-v1", "valid"),
        ("00b-login-wrong-password", None),
        ("00a-login", None),
    ],
)
def test_every_refusal_and_the_login_are_the_captured_bytes(
    nscale: RunningNscale, name: str, token: str | None
) -> None:
    got, expected = replay(nscale, name, token)
    assert got == expected
    assert nscale.fake.generations == []


def test_the_unpatched_legacy_endpoint_answers_500_to_a_logged_in_user() -> None:
    with start_fake_nscale(unpatched=True) as nscale:
        got, expected = replay(nscale, "40-unpatched-api-question-stream")
    assert got == expected


def test_sessions_are_created_and_listed_as_captured(nscale: RunningNscale) -> None:
    got, expected = replay(nscale, "00e-create-session")
    assert got == expected
    got, expected = replay(nscale, "00f-sessions")
    assert got == expected


def test_a_140_kb_url_is_refused_by_the_http_parser_before_the_app(
    nscale: RunningNscale,
) -> None:
    recorded = capture("16-huge-question-100k-get")
    request = retarget(recorded.request, nscale.thread.port, nscale.login_token())
    # h11 refuses once 16 KiB arrive without the end of the head; sending only the first
    # 20 KB keeps the close clean (unread bytes would turn it into a reset that may swallow
    # the answer before it is read).
    got = normalised(exchange(nscale.thread.port, request[:20_000]))
    expected = normalised(recorded.raw)
    assert got == expected
    assert expected.startswith(b"HTTP/1.1 400 Bad Request\r\n")


def test_the_legacy_question_is_decoded_twice(nscale: RunningNscale) -> None:
    replay(nscale, "35-cors-and-plus-sign")  # sent: C%2B%2B%20100%2520%20Akte
    (generation,) = nscale.fake.generations
    assert generation.question == "C   100  Akte"
    assert generation.session_id == 2  # "new" is no session of the user's: one was made


def test_pings_have_the_captured_form() -> None:
    recorded = [c for c in capture("05-long-answer-pings").chunks if c.startswith(b": ping")]
    assert len(recorded) == 3
    assert all(PING.match(chunk) for chunk in recorded)
    assert PING.match(sse_ping())
    assert len(sse_ping()) == len(recorded[0])  # microseconds included, as str(datetime) does
