"""The upstream backends against a real llama.cpp server (and its Ollama proxy) on loopback."""

from __future__ import annotations

import asyncio

import pytest
from backend_fakes import generate

from desktop.protocol.events import Done, Token, WireEvent
from desktop.protocol.request import ChatOptions, ChatRequest, HistoryItem
from desktop.server.backend import UpstreamError
from desktop.server.backends import create_backend

pytestmark = [pytest.mark.e2e, pytest.mark.real_llm]

GREEDY = ChatOptions(max_tokens=24, temperature=0)


def ask(backend_name: str, url: str, request: ChatRequest, model: str) -> list[WireEvent]:
    backend = create_backend(backend_name, upstream_url=url, model=model)
    return asyncio.run(generate(backend, request))


def check_answer(events: list[WireEvent], max_tokens: int) -> str:
    tokens = [e for e in events if isinstance(e, Token)]
    done = events[-1]
    assert isinstance(done, Done)
    assert sum(isinstance(e, Done) for e in events) == 1
    assert done.finish_reason in ("stop", "length")
    assert 1 <= len(tokens) <= max_tokens
    assert [t.index for t in tokens] == list(range(len(tokens)))
    return "".join(t.content for t in tokens)


def test_openai_backend_streams_a_real_answer(real_llama_url: str) -> None:
    request = ChatRequest(
        "Tell me about the archive.",
        history=(HistoryItem("user", "hi"), HistoryItem("assistant", "hello")),
        options=GREEDY,
    )
    first = check_answer(ask("openai", real_llama_url, request, "tiny"), 24)
    again = check_answer(ask("openai", real_llama_url, request, "tiny"), 24)
    assert first.strip()
    assert first == again  # temperature 0 is greedy: the same prompt, the same answer


def test_openai_backend_reports_length_when_max_tokens_cuts(real_llama_url: str) -> None:
    # Greedy decoding of the tiny model loops instead of ending, so 3 tokens is always a cut.
    events = ask(
        "openai",
        real_llama_url,
        ChatRequest("hi", options=ChatOptions(max_tokens=3, temperature=0)),
        "tiny",
    )
    done = events[-1]
    assert isinstance(done, Done)
    assert done.finish_reason == "length"
    assert check_answer(events, 3)


def test_an_over_long_prompt_fails_as_an_upstream_error_not_a_hang(real_llama_url: str) -> None:
    # llama-cpp-python answers 200, then finds the prompt exceeds n_ctx and closes the stream
    # without a word (the reason is only in its log), so no token_limit can be told apart here.
    request = ChatRequest("archive " * 3900, options=ChatOptions(max_tokens=8))
    with pytest.raises(UpstreamError) as caught:
        ask("openai", real_llama_url, request, "tiny")
    assert caught.value.error_type == "upstream"
    assert "closed the stream" in caught.value.message


def test_an_upstream_validation_error_reaches_the_client_without_its_traceback(
    real_llama_url: str,
) -> None:
    # A number where the model name belongs: llama-cpp-python answers 500 with a traceback.
    with pytest.raises(UpstreamError) as caught:
        ask("openai", real_llama_url, ChatRequest("hi", options=GREEDY), 3)  # type: ignore[arg-type]
    message = caught.value.message
    assert "500" in message
    assert "validation error" in message
    assert "File " not in message
    assert "Traceback" not in message


def test_ollama_backend_streams_a_real_answer_through_the_proxy(real_ollama_url: str) -> None:
    events = ask("ollama", real_ollama_url, ChatRequest("hi", options=GREEDY), "local/tiny")
    assert check_answer(events, 24).strip()
