"""How upstream failures become the protocol's error types, and the backend registry."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from desktop.protocol.events import ERROR_TYPES
from desktop.server.backends import BACKEND_NAMES, create_backend
from desktop.server.backends.demo import DemoBackend
from desktop.server.backends.ollama import OllamaBackend
from desktop.server.backends.openai import OpenAIBackend
from desktop.server.backends.upstream import (
    error_for_exception,
    error_for_message,
    error_for_status,
    retry_after_seconds,
)


@pytest.mark.parametrize(
    ("status", "detail", "error_type", "resumable"),
    [
        (429, "slow down", "rate_limit", True),
        (503, "model is loading", "model_overload", True),
        (529, "overloaded", "model_overload", True),
        (504, "", "network_timeout", True),
        (408, "", "network_timeout", True),
        (500, "boom", "upstream", True),
        (502, "bad gateway", "upstream", True),
        (400, "This model's maximum context length is 4096 tokens", "token_limit", False),
        (400, "Requested tokens (5000) exceed context window of 4096", "token_limit", False),
        (413, "prompt is too long", "token_limit", False),
        (400, "bad request", "upstream", False),
        (401, "invalid api key", "upstream", False),
        (403, "", "upstream", False),
        (404, 'model "x" not found, try pulling it first', "upstream", False),
    ],
)
def test_statuses_map_to_honest_error_types(
    status: int, detail: str, error_type: str, resumable: bool
) -> None:
    error = error_for_status(status, detail, retry_after=None)
    assert error.error_type == error_type
    assert error.error_type in ERROR_TYPES
    assert error.resumable is resumable
    assert str(status) in error.message


def test_retry_after_is_kept_for_rate_limits_and_overload() -> None:
    assert error_for_status(429, "", 7.0).retry_after == 7.0
    assert error_for_status(503, "", 2.5).retry_after == 2.5


def test_long_upstream_messages_are_clipped() -> None:
    assert len(error_for_status(400, "x" * 5000, None).message) <= 300


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 24, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("1.5") == 1.5
    assert retry_after_seconds("Tue, 24 Nov 2026 08:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 24 Nov 2026 07:00:00 GMT", now) == 0.0
    assert retry_after_seconds("-5") == 0.0
    for bad in (None, "", "soon", "nan", "inf"):
        assert retry_after_seconds(bad) is None


@pytest.mark.parametrize(
    ("message", "error_type", "resumable"),
    [
        ("Rate limit reached for requests", "rate_limit", True),
        ("The server is overloaded", "model_overload", True),
        (
            "server busy, please try again. maximum pending requests exceeded",
            "model_overload",
            True,
        ),
        ("context_length_exceeded", "token_limit", False),
        ("something else broke", "upstream", False),
    ],
)
def test_in_stream_errors_map_by_their_message(
    message: str, error_type: str, resumable: bool
) -> None:
    error = error_for_message(message)
    assert (error.error_type, error.resumable) == (error_type, resumable)


def test_transport_failures_map_to_timeouts_or_resumable_upstream_errors() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:1/")
    timeout = error_for_exception(httpx.ReadTimeout("slow", request=request))
    assert (timeout.error_type, timeout.resumable) == ("network_timeout", True)
    refused = error_for_exception(httpx.ConnectError("refused", request=request))
    assert (refused.error_type, refused.resumable) == ("upstream", True)


async def _close_all(*backends: object) -> None:
    for backend in backends:
        await backend.aclose()  # type: ignore[attr-defined]


def test_create_backend_knows_every_backend_by_name() -> None:
    import asyncio

    from desktop.server.backends.nscale import NscaleBackend

    demo = create_backend("demo", token_rate=0)
    ollama = create_backend("ollama", upstream_url="http://127.0.0.1:9", model="m")
    openai = create_backend("openai", upstream_url="http://127.0.0.1:9", api_key="k")
    nscale = create_backend("nscale", upstream_url="http://127.0.0.1:9")
    assert isinstance(demo, DemoBackend)
    assert demo.token_rate == 0
    assert isinstance(ollama, OllamaBackend)
    assert ollama.model == "m"
    assert isinstance(openai, OpenAIBackend)
    assert isinstance(nscale, NscaleBackend)
    assert nscale.base_url == "http://127.0.0.1:9"
    assert [b.name for b in (demo, ollama, openai, nscale)] == list(BACKEND_NAMES)
    asyncio.run(_close_all(demo, ollama, openai, nscale))


def test_the_nscale_gateway_needs_its_upstream() -> None:
    with pytest.raises(ValueError, match="--upstream-url"):
        create_backend("nscale")


def test_create_backend_rejects_unknown_names_and_negative_rates() -> None:
    with pytest.raises(ValueError, match=r"unknown backend 'gpt'.*demo, ollama, openai"):
        create_backend("gpt")
    with pytest.raises(ValueError, match="token_rate"):
        create_backend("demo", token_rate=-1)


def test_upstream_tracebacks_never_reach_the_message() -> None:
    detail = (
        "1 validation error:\n  {'msg': 'Input should be a valid string'}\n\n"
        '  File "/srv/app.py", line 376, in create\n    raise Error()\n'
    )
    message = error_for_status(500, detail, None).message
    assert message == (
        "the upstream answered 500: 1 validation error: {'msg': 'Input should be a valid string'}"
    )
    assert (
        "Traceback" not in error_for_message("boom\nTraceback (most recent call last):\n x").message
    )
