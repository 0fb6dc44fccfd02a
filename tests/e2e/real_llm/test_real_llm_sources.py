"""The OpenAI and Ollama sources, and ``ask``, against a real llama.cpp server on loopback.

The tiny model talks word salad, but tokenizer, sampling, SSE framing and NDJSON are the real
thing. With ``temperature: 0`` the output is repeatable, so the streamed text can be compared
with a non-streamed completion of the same request, character for character.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.exit_codes import Exit
from desktop.protocol.backend_protocols import BackendProtocol
from desktop.protocol.events import (
    Done,
    Rejected,
    StreamEvent,
    StreamStarted,
    Token,
)
from desktop.protocol.request import ChatOptions, ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source
from desktop.streaming.session import AnswerSession, Outcome

pytestmark = [pytest.mark.real_llm, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[3]
QUESTION = "How do I export a conversation?"


def reference_text(llama_url: str, max_tokens: int) -> str:
    """The same request, not streamed: what the streamed answer must add up to."""
    body = {
        "model": "tiny",
        "messages": [{"role": "user", "content": QUESTION}],
        "max_tokens": max_tokens,
        "temperature": 0,
    }
    reply = httpx.post(f"{llama_url}/v1/chat/completions", json=body, timeout=60).json()
    content = reply["choices"][0]["message"]["content"]
    assert isinstance(content, str)
    return content


async def stream(
    url: str, protocol: BackendProtocol, model: str, max_tokens: int, **options: Any
) -> tuple[AnswerSession, Outcome, list[StreamEvent]]:
    config = ClientConfig(url)
    request = ChatRequest(QUESTION, options=ChatOptions(max_tokens=max_tokens, temperature=0))
    events: list[StreamEvent] = []
    async with make_client(config) as client:
        source = open_source(client, config, protocol, request, model=model, **options)
        session = AnswerSession(source, [lambda event, t: events.append(event)])
        outcome = await session.run()
    return session, outcome, events


def test_the_openai_stream_adds_up_to_the_non_streamed_answer(llama_url: str) -> None:
    expected = reference_text(llama_url, 80)
    session, outcome, events = asyncio.run(stream(llama_url, "openai", "tiny", 80))
    assert outcome.kind == "done"
    assert session.text == expected
    wire_ids = [e.id for e in events if hasattr(e, "id")]
    assert wire_ids == list(range(1, len(wire_ids) + 1))
    assert isinstance(events[2], StreamStarted)
    tokens = [e for e in events if isinstance(e, Token)]
    assert [t.index for t in tokens] == list(range(len(tokens)))
    assert isinstance(session.terminal, Done)
    assert session.terminal.finish_reason in ("stop", "length")


def test_a_long_forced_answer_arrives_whole(llama_url: str) -> None:
    no_end = {"logit_bias": {"2": -100}}  # token 2 is <|im_end|>: the model cannot stop early
    session, outcome, _ = asyncio.run(stream(llama_url, "openai", "tiny", 400, extra_body=no_end))
    assert outcome.kind == "done"
    assert isinstance(session.terminal, Done)
    assert session.terminal.finish_reason == "length"
    assert session.token_count == 400


def test_the_ollama_stream_gives_the_same_answer_with_usage(
    llama_url: str, ollama_url: str
) -> None:
    expected = reference_text(llama_url, 60)
    session, outcome, _ = asyncio.run(stream(ollama_url, "ollama", "local/tiny", 60))
    assert outcome.kind == "done"
    assert session.text == expected
    assert isinstance(session.terminal, Done)
    assert session.terminal.usage.completion_tokens is not None


def test_a_stream_cut_by_the_server_is_not_resumable_and_keeps_its_text(llama_url: str) -> None:
    """llama-cpp-python ends a running stream when a new request arrives: a real drop."""

    async def scenario() -> tuple[AnswerSession, Outcome]:
        config = ClientConfig(llama_url)
        request = ChatRequest(QUESTION, options=ChatOptions(max_tokens=2000, temperature=0))
        no_end = {"logit_bias": {"2": -100}}
        async with make_client(config) as client:
            source = open_source(client, config, "openai", request, extra_body=no_end)
            interloper: list[asyncio.Task[httpx.Response]] = []

            def cut_in(event: StreamEvent, t: float) -> None:
                if isinstance(event, Token) and event.index == 20 and not interloper:
                    body = {"messages": [{"role": "user", "content": "x"}], "max_tokens": 1}
                    post = client.post(f"{llama_url}/v1/chat/completions", json=body)
                    interloper.append(asyncio.ensure_future(post))

            session = AnswerSession(source, [cut_in])
            outcome = await session.run()
            await asyncio.gather(*interloper)
            return session, outcome

    session, outcome = asyncio.run(scenario())
    assert isinstance(session.terminal, Rejected)
    assert session.terminal.reason == "not_resumable"
    assert outcome.exit_code == Exit.INTERRUPTED  # a lost answer that cannot resume
    assert 20 < session.token_count < 2000
    assert "without a finish reason" in session.terminal.message


def test_cancel_ends_a_real_stream_and_frees_the_server(llama_url: str) -> None:
    async def scenario() -> tuple[AnswerSession, Outcome]:
        config = ClientConfig(llama_url)
        request = ChatRequest(QUESTION, options=ChatOptions(max_tokens=2000))
        async with make_client(config) as client:
            source: AnswerSource = open_source(
                client, config, "openai", request, extra_body={"logit_bias": {"2": -100}}
            )
            session = AnswerSession(source)

            def stop_at_ten(event: StreamEvent, t: float) -> None:
                if isinstance(event, Token) and session.token_count == 10:
                    session.stop()

            session.add_sink(stop_at_ten)
            return session, await session.run()

    session, outcome = asyncio.run(scenario())
    assert outcome.kind == "stopped"
    assert outcome.exit_code == 130
    assert 10 <= session.token_count < 2000
    expected = reference_text(llama_url, 30)  # the server answers again at once
    assert expected


def run_ask(llama_url: str, output: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "desktop", "ask", "--url", llama_url]
    command += ["--protocol", "openai", "--model", "tiny", "--output", output, QUESTION]
    return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=False)


def test_ask_streams_a_real_answer_as_text_and_as_json_lines(llama_url: str) -> None:
    """``ask`` sends no temperature, so the two runs differ; each must be whole and consistent."""
    text = run_ask(llama_url, "text")
    assert text.returncode == 0, text.stderr
    assert text.stdout.decode("utf-8").strip()
    lines = run_ask(llama_url, "jsonl")
    assert lines.returncode == 0, lines.stderr
    records = [json.loads(line) for line in lines.stdout.decode("utf-8").splitlines()]
    tokens = [r for r in records if r["type"] == "token"]
    assert records[0]["type"] == "stream"
    assert records[-2]["type"] == "done"
    assert records[-2]["finish_reason"] in ("stop", "length")
    assert records[-1]["type"] == "summary"
    assert records[-1]["tokens"] == len(tokens) > 0
    assert [r["index"] for r in tokens] == list(range(len(tokens)))
