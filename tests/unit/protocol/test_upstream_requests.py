"""What the OpenAI-compatible and Ollama requests look like, and where they go."""

from __future__ import annotations

import pytest

from desktop.protocol.request import ChatOptions, ChatRequest, HistoryItem
from desktop.protocol.upstream.chat_stream import chat_messages
from desktop.protocol.upstream.ollama_chat import chat_body, chat_url
from desktop.protocol.upstream.openai_chat import chat_completions_body, chat_completions_url

ASK = ChatRequest(
    "third",
    history=(
        HistoryItem("system", "be brief"),
        HistoryItem("user", "first"),
        HistoryItem("assistant", "second"),
    ),
)


def test_the_conversation_is_sent_in_order_with_the_message_last() -> None:
    assert chat_messages(ASK) == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "second"},
        {"role": "user", "content": "third"},
    ]


def test_an_openai_request_streams_with_usage_and_leaves_the_model_to_the_server() -> None:
    assert chat_completions_body(ChatRequest("hi"), None) == {
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }


def test_openai_options_and_extras_are_top_level() -> None:
    ask = ChatRequest("hi", options=ChatOptions(max_tokens=5, temperature=0.0))
    body = chat_completions_body(ask, "tiny", {"seed": 3})
    assert (body["model"], body["max_tokens"], body["temperature"], body["seed"]) == (
        "tiny",
        5,
        0.0,
        3,
    )


def test_a_seed_goes_with_the_temperature_top_level_for_openai_and_in_options_for_ollama() -> None:
    ask = ChatRequest("hi", options=ChatOptions(temperature=0.0, seed=42))
    openai = chat_completions_body(ask, "tiny")
    assert (openai["temperature"], openai["seed"]) == (0.0, 42)
    assert chat_body(ask, "llama3")["options"] == {"temperature": 0.0, "seed": 42}


def test_ollama_options_go_under_their_own_names() -> None:
    ask = ChatRequest("hi", options=ChatOptions(max_tokens=9, temperature=0.5))
    assert chat_body(ask, "llama3", {"keep_alive": "5m"}) == {
        "model": "llama3",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "options": {"num_predict": 9, "temperature": 0.5},
        "keep_alive": "5m",
    }
    assert "options" not in chat_body(ChatRequest("hi"), "llama3")


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://h:1", "http://h:1/v1/chat/completions"),
        ("http://h:1/", "http://h:1/v1/chat/completions"),
        ("http://h:1/v1/", "http://h:1/v1/chat/completions"),
        ("http://h:1/api/v1/chat/completions", "http://h:1/api/v1/chat/completions"),
    ],
)
def test_the_openai_endpoint_is_found_from_any_usual_base_url(base: str, url: str) -> None:
    assert chat_completions_url(base) == url


@pytest.mark.parametrize("base", ["http://127.0.0.1:11434", "http://127.0.0.1:11434/api/chat/"])
def test_the_ollama_endpoint_is_found_from_the_base_url(base: str) -> None:
    assert chat_url(base) == "http://127.0.0.1:11434/api/chat"
