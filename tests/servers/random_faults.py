"""Random fault scripts for FaultServer: one answer, a random series of faults, exact text due.

Each connection serves the events after the request's ``Last-Event-ID`` (now and then replaying
from further back), with random chunking, line ends and BOMs, and, until the run's fault budget is
spent, one random fault: a close mid-byte, a TCP reset, a chunk cut in half, a clean EOF before
``done``, bad JSON, an id gap, a 429/5xx, or a stall past the idle timeout. Used by the recovery
benchmark (many seeds) and by an e2e test (a few seeds).
"""

from __future__ import annotations

import asyncio
import collections
import random

from servers.fault_server import (
    FaultServer,
    Raw,
    RecordedRequest,
    Reply,
    events_after,
    frames,
    stream_headers,
)

from desktop.protocol.events import (
    Done,
    Progress,
    StreamEvent,
    StreamStarted,
    Thinking,
    Token,
    Usage,
    WireEvent,
)
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.source import ReconnectingEventSource

ALPHABET = 'abcdefghijklmnopqrstuvwxyzäöüßÄÖÜ ,.!?\n\t"\\/<>{}:;—–€🙂東京\u2028\u0000'
FAULTS = ["close", "reset", "cut_chunk", "eof_early", "bad_json", "gap", "status", "stall"]
FAULT_WEIGHTS = [20, 15, 15, 15, 12, 12, 9, 2]
IDLE_TIMEOUT = 0.25


def random_answer(rng: random.Random) -> tuple[list[WireEvent], str]:
    stream_id = f"s-{rng.getrandbits(64):016x}"
    events: list[WireEvent] = [StreamStarted(1, stream_id, model="bench")]
    pieces: list[str] = []
    for i in range(rng.randint(5, 60)):
        if rng.random() < 0.08:
            events.append(Thinking(len(events) + 1, message="…denke nach"))
        if i and i % 10 == 0:
            events.append(Progress(len(events) + 1, tokens_sent=i))
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8)))
        pieces.append(text)
        events.append(Token(len(events) + 1, text, i))
    events.append(Done(len(events) + 1, "stop", Usage(3, len(pieces))))
    return events, "".join(pieces)


def split(data: bytes, rng: random.Random) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        step = rng.choice([1, 2, 3, 7, 50, 400, 5000])
        out.append(data[i : i + step])
        i += step
    return out


class RunScript:
    """Decides, per connection, what the server sends; counts the faults it injected."""

    def __init__(self, rng: random.Random, events: list[WireEvent], faults: int) -> None:
        self.rng, self.events, self.faults_left = rng, events, faults
        self.injected: collections.Counter[str] = collections.Counter()

    def __call__(self, index: int, request: RecordedRequest) -> Reply:
        rng = self.rng
        last = int(request.headers.get("last-event-id", "0"))
        start = last if rng.random() < 0.7 else rng.randint(0, last)  # replays overlap
        send = frames(events_after(self.events, start))
        eol = rng.choice([b"\n", b"\n", b"\r\n", b"\r"])
        headers = stream_headers(self.events[0].stream_id)  # type: ignore[attr-defined]
        prefix = (b"\xef\xbb\xbf" if rng.random() < 0.2 else b"") + b"retry: 1" + eol + eol
        if self.faults_left <= 0:
            body = prefix + b"".join(send).replace(b"\n", eol)
            return Reply(200, headers, split(body, rng), chunked=rng.random() < 0.8)
        self.faults_left -= 1
        fault = rng.choices(FAULTS, FAULT_WEIGHTS)[0]
        self.injected[fault] += 1
        if fault == "status":
            status = rng.choice([429, 500, 502, 503, 504, 408])
            return Reply(status, (("Retry-After", "0"),), [b"busy"])
        k = rng.randrange(len(send))
        if fault == "bad_json":
            frame = send[k]
            send[k] = frame[: frame.rindex(b"}")] + b"\n\n"  # the object is never closed
        elif fault == "gap" and k + 1 < len(send):
            del send[k]
        body = prefix + b"".join(send).replace(b"\n", eol)
        cut = rng.randrange(len(prefix), len(body))
        if fault in ("bad_json", "gap"):
            return Reply(200, headers, split(body, rng), end="hang")
        if fault == "close":
            return Reply(200, headers, split(body[:cut], rng), end="close")
        if fault == "reset":
            return Reply(200, headers, split(body[:cut], rng), end="reset")
        if fault == "eof_early":
            return Reply(200, headers, split(body[:cut], rng), chunked=rng.random() < 0.5)
        if fault == "stall":
            return Reply(200, headers, split(body[:cut], rng), end="hang")
        # cut_chunk: a chunk header that promises more bytes than ever come
        pieces = split(body[:cut], rng)
        return Reply(200, headers, [*pieces, Raw(b"40\r\n" + body[cut : cut + 5])], end="close")


async def one_run(seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    events, text = random_answer(rng)
    script = RunScript(rng, events, faults=rng.randint(0, 4))

    async def no_wait(delay: float) -> None:
        await asyncio.sleep(0)

    async with FaultServer(script) as server:
        config = ClientConfig(server.url, idle_timeout=IDLE_TIMEOUT, connect_timeout=5)
        async with make_client(config) as client:
            source = ReconnectingEventSource(
                client, config, ChatRequest("bench"), sleep=no_wait, random=rng.random
            )
            seen: list[StreamEvent] = [event async for event in source.events()]
    got = "".join(e.content for e in seen if isinstance(e, Token))
    wire_ids = [e.id for e in seen if isinstance(e, (StreamStarted, Thinking, Progress, Token))]
    exact = got == text and seen[-1] == events[-1] and wire_ids == sorted(set(wire_ids))
    return {
        "seed": seed,
        "exact": exact,
        "connections": source.stats.connections,
        "faults": dict(script.injected),
        "terminal": type(seen[-1]).__name__,
    }
