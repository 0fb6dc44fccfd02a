"""Follow-up questions through the gateway stay in one nscale-assist session per conversation,
whichever replica takes them, and a session is never shared across users."""

from __future__ import annotations

import secrets

import pytest
from gateway_client import GatewayFactory, ask
from servers.nscale import RunningNscale
from servers.nscale.history import Session

pytestmark = pytest.mark.e2e
FIRST, FOLLOW_UP = "Wie lege ich eine Akte an?", "Und wie lösche ich sie wieder?"


def sessions_of(nscale: RunningNscale, user_id: int) -> list[Session]:
    """The user's sessions that hold a question (the fake starts with an empty one)."""
    sessions = nscale.fake.history.sessions.values()
    return [s for s in sessions if s.user_id == user_id and questions_in(s)]


def questions_in(session: Session) -> list[str]:
    return [m.message for m in session.messages if m.is_user]


def test_a_follow_up_lands_in_the_conversations_session(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    gateway, token = make_gateway(), nscale.login_token()
    for question in (FIRST, FOLLOW_UP):
        received = ask(gateway.url, token, question, conversation_id="lokal-7f3a")
        assert received.status == 200
        assert received.names[-1] == "done"
    (session,) = sessions_of(nscale, nscale.user.id)
    assert questions_in(session) == [FIRST, FOLLOW_UP]
    assert len([m for m in session.messages if not m.is_user]) == 2


@pytest.mark.redis
def test_replicas_over_redis_agree_on_the_session(
    nscale: RunningNscale, make_gateway: GatewayFactory, redis_url: str
) -> None:
    prefix = f"t{secrets.token_hex(4)}"
    one, two = (make_gateway(redis_url=redis_url, key_prefix=prefix) for _ in range(2))
    token = nscale.login_token()
    ask(one.url, token, FIRST, conversation_id="lokal-geteilt")
    ask(two.url, token, FOLLOW_UP, conversation_id="lokal-geteilt")
    (session,) = sessions_of(nscale, nscale.user.id)
    assert questions_in(session) == [FIRST, FOLLOW_UP]


def test_another_conversation_gets_its_own_session(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    gateway, token = make_gateway(), nscale.login_token()
    ask(gateway.url, token, FIRST, conversation_id="lokal-a")
    ask(gateway.url, token, FOLLOW_UP, conversation_id="lokal-b")
    ask(gateway.url, token, FOLLOW_UP, conversation_id="lokal-a")
    by_first = {questions_in(s)[0]: questions_in(s) for s in sessions_of(nscale, nscale.user.id)}
    assert by_first == {FIRST: [FIRST, FOLLOW_UP], FOLLOW_UP: [FOLLOW_UP]}


def test_another_users_token_never_reaches_the_session(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    gateway = make_gateway()
    other = nscale.fake.accounts.add("zweite@example.com", "geheim-2")
    ask(gateway.url, nscale.login_token(), FIRST, conversation_id="lokal-gleich")
    ask(
        gateway.url,
        nscale.fake.accounts.token_for(other),
        FOLLOW_UP,
        conversation_id="lokal-gleich",
    )
    (mine,), (theirs,) = sessions_of(nscale, nscale.user.id), sessions_of(nscale, other.id)
    assert questions_in(mine) == [FIRST]
    assert questions_in(theirs) == [FOLLOW_UP]


def test_a_session_number_the_client_holds_is_used_as_it_is(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    gateway, token = make_gateway(), nscale.login_token()
    held = nscale.fake.history.create(nscale.user.id, "Vom Web-Frontend")
    ask(gateway.url, token, FIRST, conversation_id=str(held.id))
    assert sessions_of(nscale, nscale.user.id) == [held]
    assert questions_in(held) == [FIRST]


def test_an_expired_token_is_refused_before_a_session_is_made(
    nscale: RunningNscale, make_gateway: GatewayFactory
) -> None:
    expired, before = nscale.login_token(expires_in=-60), set(nscale.fake.history.sessions)
    received = ask(make_gateway().url, expired, FIRST, conversation_id="lokal-abgelaufen")
    assert received.status == 401
    assert set(nscale.fake.history.sessions) == before
    assert nscale.fake.generations == []
