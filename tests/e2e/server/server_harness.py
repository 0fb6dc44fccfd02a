"""Reading the reference server's responses in end-to-end tests: SSE bodies, starts, resumes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from servers.server_thread import ServerThread

from desktop.protocol.sse import SSEMessage, SSEParser

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = "/api/v1/chat/stream"
ServerFactory = Callable[..., ServerThread]


def events_url(stream_id: str) -> str:
    return f"/api/v1/streams/{stream_id}/events"


@dataclass
class Received:
    """One response, read to its end."""

    status: int
    headers: httpx.Headers
    raw: bytes
    messages: list[SSEMessage]
    retry: int | None

    @property
    def ids(self) -> list[int]:
        return [int(m.id) for m in self.messages if m.has_id and m.id is not None]

    @property
    def names(self) -> list[str]:
        return [m.event for m in self.messages]

    @property
    def text(self) -> str:
        return token_text(self.messages)

    @property
    def stream_id(self) -> str:
        return self.headers["x-stream-id"]

    def data(self, index: int) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.messages[index].data)
        return parsed


def token_text(messages: list[SSEMessage]) -> str:
    return "".join(json.loads(m.data)["content"] for m in messages if m.event == "token")


def read(response: httpx.Response) -> Received:
    parser = SSEParser()
    raw = bytearray()
    messages: list[SSEMessage] = []
    for chunk in response.iter_bytes():
        raw += chunk
        messages += parser.feed(chunk)
    return Received(response.status_code, response.headers, bytes(raw), messages, parser.retry)


def request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> Received:
    kwargs.setdefault("headers", AUTH)
    with client.stream(method, url, **kwargs) as response:
        return read(response)


def start(
    client: httpx.Client,
    message: str = "Wie exportiere ich?",
    *,
    headers: dict[str, str] | None = None,
    **body: Any,
) -> Received:
    return request(
        client,
        "POST",
        START,
        json={"message": message, **body},
        headers={**AUTH, **(headers or {})},
    )


def resume(
    client: httpx.Client,
    stream_id: str,
    last: int | str | None,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> Received:
    extra = {"Last-Event-ID": str(last)} if last is not None else {}
    return request(
        client,
        "GET",
        events_url(stream_id),
        headers={**AUTH, **extra, **(headers or {})},
        params=params,
    )
