"""How both upstream backends turn a refusal before the stream into an ``UpstreamError``.

The status mapping is shared (``HttpUpstream``); the cases are the error bodies each upstream
dialect really sends, against fake upstreams on loopback sockets.
"""

from __future__ import annotations

import pytest
from backend_fakes import run_backend
from servers.fault_server import Reply
from servers.upstream_bodies import JSON

from desktop.server.backend import UpstreamError
from desktop.server.backends.ollama import OllamaBackend
from desktop.server.backends.openai import OpenAIBackend
from desktop.server.backends.upstream import UpstreamBackend

pytestmark = pytest.mark.e2e


def _json(status: int, body: bytes, retry_after: str | None = None) -> Reply:
    headers = JSON if retry_after is None else (*JSON, ("Retry-After", retry_after))
    return Reply(status, headers, [body])


OPENAI_CONTEXT = (
    b'{"error": {"message": "Requested tokens (5000) exceed context window of 4096", "code": 400}}'
)


@pytest.mark.parametrize(
    ("backend", "reply", "error_type", "resumable", "retry_after"),
    [
        (
            OpenAIBackend,
            _json(429, b'{"error": {"message": "slow down"}}', "7"),
            "rate_limit",
            True,
            7.0,
        ),
        (
            OpenAIBackend,
            _json(503, b'{"error": {"message": "overloaded"}}'),
            "model_overload",
            True,
            None,
        ),
        (OpenAIBackend, _json(400, OPENAI_CONTEXT), "token_limit", False, None),
        (
            OpenAIBackend,
            _json(401, b'{"error": {"message": "invalid api key"}}'),
            "upstream",
            False,
            None,
        ),
        (
            OpenAIBackend,
            Reply(500, (("Content-Type", "text/plain"),), [b"Internal Server Error"]),
            "upstream",
            True,
            None,
        ),
        (
            OllamaBackend,
            _json(429, b'{"error": "too many requests"}', "3"),
            "rate_limit",
            True,
            3.0,
        ),
        (
            OllamaBackend,
            _json(503, b'{"error": "server busy, please try again."}'),
            "model_overload",
            True,
            None,
        ),
        (
            OllamaBackend,
            _json(404, b'{"error": "model \\"x\\" not found, try pulling it first"}'),
            "upstream",
            False,
            None,
        ),
        (
            OllamaBackend,
            _json(400, b'{"error": "input length exceeds the context length"}'),
            "token_limit",
            False,
            None,
        ),
    ],
)
def test_refusals_before_the_stream_raise_in_open(
    backend: type[UpstreamBackend],
    reply: Reply,
    error_type: str,
    resumable: bool,
    retry_after: float | None,
) -> None:
    error, requests = run_backend(backend, [reply])
    assert isinstance(error, UpstreamError)
    assert (error.error_type, error.resumable, error.retry_after) == (
        error_type,
        resumable,
        retry_after,
    )
    assert len(requests) == 1
