"""request.py: the start body round-trips and invalid bodies get the protocol's status."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.protocol.request import (
    MAX_HISTORY_ITEMS,
    MAX_MESSAGE_CHARS,
    MAX_SEED,
    ChatOptions,
    ChatRequest,
    HistoryItem,
    InvalidRequest,
)


def test_a_minimal_request_is_just_the_message() -> None:
    assert ChatRequest("Hallo").to_json() == {"message": "Hallo"}


def test_a_full_request_round_trips() -> None:
    request = ChatRequest(
        "Wie exportiere ich?",
        conversation_id="c-1",
        history=(HistoryItem("user", "Hi"), HistoryItem("assistant", "Hallo!")),
        options=ChatOptions(
            model="demo", max_tokens=1024, temperature=0.2, simple_language=True, seed=7
        ),
    )
    body = request.to_json()
    assert body == {
        "message": "Wie exportiere ich?",
        "conversation_id": "c-1",
        "history": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hallo!"}],
        "options": {
            "model": "demo",
            "max_tokens": 1024,
            "temperature": 0.2,
            "simple_language": True,
            "seed": 7,
        },
    }
    assert ChatRequest.from_json(body) == request


def test_unknown_keys_are_ignored_and_integer_temperatures_become_floats() -> None:
    parsed = ChatRequest.from_json({"message": "x", "extra": 1, "options": {"temperature": 1}})
    assert parsed.options.temperature == 1.0
    assert isinstance(parsed.options.temperature, float)


def test_the_longest_message_is_accepted() -> None:
    assert ChatRequest.from_json({"message": "x" * MAX_MESSAGE_CHARS}).message


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ([], 400),
        ("message", 400),
        (None, 400),
        ({}, 422),
        ({"message": 5}, 422),
        ({"message": ""}, 422),
        ({"message": "   \n"}, 422),
        ({"message": "x" * (MAX_MESSAGE_CHARS + 1)}, 413),
        ({"message": "x", "conversation_id": 3}, 422),
        ({"message": "x", "history": {}}, 422),
        ({"message": "x", "history": ["hi"]}, 422),
        ({"message": "x", "history": [{"role": "robot", "content": "a"}]}, 422),
        ({"message": "x", "history": [{"role": "user", "content": None}]}, 422),
        ({"message": "x", "history": [{"role": "user", "content": "x" * 32_001}]}, 413),
        ({"message": "x", "history": [{"role": "user", "content": "a"}] * 201}, 413),
        ({"message": "x", "options": []}, 422),
        ({"message": "x", "options": {"model": 1}}, 422),
        ({"message": "x", "options": {"max_tokens": 0}}, 422),
        ({"message": "x", "options": {"max_tokens": 32_769}}, 422),
        ({"message": "x", "options": {"max_tokens": True}}, 422),
        ({"message": "x", "options": {"max_tokens": 10.0}}, 422),
        ({"message": "x", "options": {"temperature": -0.1}}, 422),
        ({"message": "x", "options": {"temperature": 2.5}}, 422),
        ({"message": "x", "options": {"temperature": float("nan")}}, 422),
        ({"message": "x", "options": {"temperature": "hot"}}, 422),
        ({"message": "x", "options": {"simple_language": "yes"}}, 422),
        ({"message": "x", "options": {"seed": -1}}, 422),
        ({"message": "x", "options": {"seed": MAX_SEED + 1}}, 422),
        ({"message": "x", "options": {"seed": 3.0}}, 422),
        ({"message": "x", "options": {"seed": True}}, 422),
    ],
)
def test_invalid_bodies_are_refused_with_the_protocols_status(body: Any, status: int) -> None:
    with pytest.raises(InvalidRequest) as info:
        ChatRequest.from_json(body)
    assert info.value.status == status
    assert info.value.message


def test_the_history_limit_is_inclusive() -> None:
    history = [{"role": "user", "content": "a"}] * MAX_HISTORY_ITEMS
    assert len(ChatRequest.from_json({"message": "x", "history": history}).history) == 200


def test_the_seed_range_is_inclusive() -> None:
    for seed in (0, MAX_SEED):
        assert (
            ChatRequest.from_json({"message": "x", "options": {"seed": seed}}).options.seed == seed
        )
