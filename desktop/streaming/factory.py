"""One entry point that builds the right answer source for a backend protocol.

The ``ask`` command and the window choose a protocol by name (from a flag or a server
profile); this keeps the choice, and the check that it is a known one, in one place.
"""

from __future__ import annotations

from typing import Any

import httpx

from desktop.protocol.backend_protocols import PROTOCOLS, BackendProtocol
from desktop.protocol.request import ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.config import ClientConfig


def open_source(
    client: httpx.AsyncClient,
    config: ClientConfig,
    protocol: BackendProtocol,
    request: ChatRequest,
    *,
    model: str | None = None,
    **options: Any,
) -> AnswerSource:
    """Build the source for one answer; nothing is sent until its ``events()`` is iterated.

    Args:
        client: the shared HTTP client (see ``make_client``).
        config: where and how to connect.
        protocol: ``assist`` (resumable), ``openai``, ``ollama`` or ``nscale`` (no resume).
        request: what to ask.
        model: the model to ask for; required by Ollama, optional elsewhere.
        options: passed on to the source (e.g. ``sleep``, ``random``, ``extra_body``).

    Raises:
        ValueError: an unknown protocol, or Ollama without a model.
    """
    if protocol == "assist":
        from desktop.streaming.source import ReconnectingEventSource

        if model is not None and request.options.model is None:
            from dataclasses import replace

            request = replace(request, options=replace(request.options, model=model))
        source: AnswerSource = ReconnectingEventSource(client, config, request, **options)
        return source
    if protocol == "openai":
        from desktop.streaming.backends.openai import OpenAIChatSource

        return OpenAIChatSource(client, config, request, model=model, **options)
    if protocol == "ollama":
        from desktop.streaming.backends.ollama import OllamaChatSource

        if model is None and request.options.model is None:
            raise ValueError("Ollama needs a model name (--model)")
        return OllamaChatSource(client, config, request, model=model, **options)
    if protocol == "nscale":
        from desktop.streaming.backends.nscale import NscaleSource

        return NscaleSource(client, config, request, **options)
    raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
