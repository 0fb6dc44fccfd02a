"""What the gateway adds to nscale-assist: drops between app and gateway lose nothing, a resume
works on any replica (Redis), and a cancel reaches nscale-assist, which stops generating."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest
from gateway_client import START, GatewayFactory, read, saved_answer
from servers.nscale import RunningNscale
from servers.nscale.streams import AnswerScript, answer, timeout_then_answer, words

from desktop.protocol.events import Done, StreamEvent, Token
from desktop.protocol.request import ChatRequest
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.session import AnswerSession
from desktop.streaming.source import ReconnectingEventSource

pytestmark = pytest.mark.e2e
ANSWER = words(" ".join(f"Abschnitt {i}: Akte öffnen, prüfen, schließen 🙂." for i in range(12)))
QUESTION = ChatRequest("Wie bearbeite ich eine Akte?")
DROPS_AT = (5, 30, 55)  # answer tokens applied when the app's connection is cut


async def instant(_delay: float) -> None:
    await asyncio.sleep(0)


def answer_with_cuts(url: str, token: str) -> tuple[AnswerSession, ReconnectingEventSource]:
    """One answer through the real client, its connection cut at each of ``DROPS_AT``."""

    async def main() -> tuple[AnswerSession, ReconnectingEventSource]:
        config = ClientConfig(url, token=token, idle_timeout=10.0, max_attempts=8)
        async with make_client(config) as http:
            source = ReconnectingEventSource(http, config, QUESTION, sleep=instant)
            seen = 0

            def cut(event: StreamEvent, _now: float) -> None:
                nonlocal seen
                if isinstance(event, Token):
                    seen += 1
                    if seen in DROPS_AT:
                        source.drop_connection()

            session = AnswerSession(source, [cut])
            await session.run()
            return session, source

    return asyncio.run(asyncio.wait_for(main(), 60))


@pytest.mark.parametrize(
    "script",
    [answer(ANSWER), timeout_then_answer(ANSWER, after=20)],
    ids=["plain", "restarted-upstream"],
)
def test_three_cuts_mid_answer_give_exactly_what_nscale_saved(
    nscale: RunningNscale, make_gateway: GatewayFactory, script: AnswerScript
) -> None:
    nscale.fake.token_delay = 0.01  # the real backend's pace: the cuts land mid-answer
    nscale.fake.scripts.append(script)
    gateway = make_gateway()
    session, source = answer_with_cuts(gateway.url, nscale.login_token())
    assert isinstance(session.terminal, Done)
    assert session.terminal.finish_reason == "stop"
    assert source.stats.reconnects == len(DROPS_AT)
    (generation,) = nscale.fake.generations  # one question upstream, whatever the app did
    assert generation.state == "complete"
    saved = saved_answer(nscale, generation.session_id)
    assert saved == script.text  # every attempt, markers included, as nscale-assist keeps it
    # The answer is what the last attempt said: the saved text after its last retry marker.
    assert session.text == saved.rsplit("[STREAM_RETRY]", 1)[-1] == "".join(ANSWER)
    assert session.resets == script.tokens.count("[STREAM_RETRY]")


@pytest.fixture
def replicas(
    nscale: RunningNscale, make_gateway: GatewayFactory, redis_url: str
) -> tuple[str, str]:
    """Two gateways in front of one nscale-assist, sharing a real Redis."""
    prefix = f"gw-{secrets.token_hex(4)}"
    one, two = (
        make_gateway(redis_url=redis_url, key_prefix=prefix, allow_faults=True) for _ in range(2)
    )
    return one.url, two.url


@pytest.mark.redis
def test_a_stream_started_on_one_replica_resumes_live_on_the_other(
    nscale: RunningNscale, replicas: tuple[str, str]
) -> None:
    nscale.fake.token_delay = 0.01
    nscale.fake.scripts.append(answer(ANSWER))
    one, two = replicas
    auth = nscale.auth()
    with httpx.Client(timeout=30, headers=auth) as http:
        cut = {"X-Fault-Drop-After": "12"}
        body = {"message": QUESTION.message}
        with http.stream("POST", one + START, json=body, headers=cut) as response:
            first = read(response)
        assert first.ids == list(range(1, 13))
        stream_id = first.headers["x-stream-id"]
        assert nscale.fake.generations[0].state == "running"  # still being generated on one
        events = f"{two}/api/v1/streams/{stream_id}/events"
        with http.stream("GET", events, headers={"Last-Event-ID": "12"}) as response:
            rest = read(response)
    assert rest.ids[0] == 13
    assert rest.names[-1] == "done"
    text = "".join(d["content"] for d in first.data("token") + rest.data("token"))
    (generation,) = nscale.fake.generations
    assert generation.state == "complete"
    assert text == "".join(ANSWER) == saved_answer(nscale, generation.session_id)


@pytest.mark.parametrize("where", ["same-replica", "other-replica"])
@pytest.mark.redis
def test_a_cancel_closes_the_upstream_request_and_nscale_stops(
    nscale: RunningNscale, replicas: tuple[str, str], where: str
) -> None:
    nscale.fake.token_delay = 0.01
    long = words("Akte " * 2000)
    nscale.fake.scripts.append(answer(long))
    one, two = replicas
    cancel_on = one if where == "same-replica" else two
    with httpx.Client(timeout=30, headers=nscale.auth()) as http:
        body = {"message": QUESTION.message}
        with http.stream("POST", one + START, json=body) as response:
            stream_id = response.headers["x-stream-id"]
            chunks = response.iter_bytes()
            while b"event: token" not in next(chunks):
                pass
            assert http.delete(f"{cancel_on}/api/v1/streams/{stream_id}").status_code == 204
            rest = b"".join(chunks)
    assert b'"finish_reason":"cancelled"' in rest
    (generation,) = nscale.fake.generations
    assert generation.ended.wait(10)
    assert generation.state == "disconnected"
    assert len(generation.sent) < len(long)
    assert saved_answer(nscale, generation.session_id) is None  # only the question is kept


def test_a_start_sent_again_with_its_idempotency_key_asks_nscale_only_once(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    nscale.fake.scripts.append(answer(ANSWER))
    gateway = make_gateway()
    key = {"Idempotency-Key": secrets.token_hex(8)}
    body = {"message": QUESTION.message}
    with httpx.Client(base_url=gateway.url, timeout=30, headers=nscale.auth()) as http:
        with http.stream("POST", START, json=body, headers=key) as response:
            first = read(response)
        with http.stream("POST", START, json=body, headers=key) as response:
            again = read(response)
    assert again.headers["x-stream-id"] == first.headers["x-stream-id"]
    assert again.answer == first.answer == "".join(ANSWER)
    assert len(nscale.fake.generations) == 1
