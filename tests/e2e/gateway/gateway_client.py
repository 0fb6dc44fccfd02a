"""Reading the gateway's event streams in tests: starts, resumes, and what the fake saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from servers.nscale import RunningNscale
from servers.server_thread import ServerThread

from desktop.protocol.sse import SSEMessage, SSEParser

START = "/api/v1/chat/stream"
#: Starts a gateway in front of the test's fake nscale-assist (``ServerSettings`` overrides).
GatewayFactory = Callable[..., ServerThread]


@dataclass
class Received:
    """One event-stream response, read to its end."""

    status: int
    headers: httpx.Headers
    messages: list[SSEMessage]

    @property
    def names(self) -> list[str]:
        return [m.event for m in self.messages]

    @property
    def ids(self) -> list[int]:
        return [int(m.id) for m in self.messages if m.id]

    def data(self, name: str) -> list[dict[str, Any]]:
        return [json.loads(m.data) for m in self.messages if m.event == name]

    @property
    def answer(self) -> str:
        """The answer text: the tokens after the last ``reset``."""
        text: list[str] = []
        for message in self.messages:
            if message.event == "reset":
                text.clear()
            elif message.event == "token":
                text.append(json.loads(message.data)["content"])
        return "".join(text)


def read(response: httpx.Response) -> Received:
    parser = SSEParser()
    messages: list[SSEMessage] = []
    for chunk in response.iter_bytes():
        messages += parser.feed(chunk)
    return Received(response.status_code, response.headers, messages)


def ask(url: str, token: str, message: str = "Wie lege ich eine Akte an?", **body: Any) -> Received:
    """A start on the gateway at ``url``, read to its end."""
    headers = {"Authorization": f"Bearer {token}"}
    with (
        httpx.Client(base_url=url, timeout=30) as http,
        http.stream("POST", START, json={"message": message, **body}, headers=headers) as r,
    ):
        return read(r)


def saved_answer(nscale: RunningNscale, session_id: int) -> str | None:
    """What nscale-assist stored last in ``session_id`` (``None``: nothing after the question)."""
    session = nscale.fake.history.sessions[session_id]
    last = session.messages[-1]
    return None if last.is_user else last.message
