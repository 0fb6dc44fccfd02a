"""The server's generation backends, chosen by name.

* ``demo``: offline; answers from the help articles under ``resources/knowledge`` (:mod:`.demo`).
* ``ollama``: Ollama's native ``/api/chat`` (:mod:`.ollama`).
* ``openai``: any OpenAI-compatible ``/v1/chat/completions`` (:mod:`.openai`).
* ``nscale``: a gateway in front of nscale-assist, asking as the user who started each stream
  (:mod:`.nscale`).

Each module is imported only when its backend is asked for, so the demo does not load httpx
and the upstream backends do not build a search index.
"""

from __future__ import annotations

from typing import Final

from desktop.server.backend import GenerationBackend
from desktop.server.conversation_sessions import ConversationSessions
from desktop.server.metrics import UpstreamMetrics

BACKEND_NAMES: Final = ("demo", "ollama", "openai", "nscale")


def create_backend(
    name: str,
    *,
    upstream_url: str | None = None,
    model: str | None = None,
    token_rate: float = 40.0,
    api_key: str | None = None,
    upstream_metrics: UpstreamMetrics | None = None,
    upstream_ca: str | None = None,
    conversations: ConversationSessions | None = None,
) -> GenerationBackend:
    """The backend called ``name``.

    Args:
        name: ``demo``, ``ollama``, ``openai`` or ``nscale``.
        upstream_url: the upstream's base URL (ollama and openai: a local default otherwise;
            nscale: required).
        model: the upstream model, unless a request names one (ollama and openai).
        token_rate: the demo's tokens per second; 0 = as fast as possible.
        api_key: sent as a bearer token to the upstream (ollama and openai).
        upstream_metrics: where the nscale gateway reports its upstream's TTFT and failures.
        upstream_ca: a CA file the nscale gateway trusts besides the operating system's store.
        conversations: where the nscale gateway keeps each conversation's server session.

    Raises:
        ValueError: an unknown name, a negative token rate, nscale without a URL, or an
            unusable ``upstream_ca``.
    """
    if name == "demo":
        from desktop.server.backends.demo import DemoBackend

        return DemoBackend(token_rate=token_rate)
    if name == "ollama":
        from desktop.server.backends.ollama import OllamaBackend

        return OllamaBackend(upstream_url, model=model, api_key=api_key)
    if name == "openai":
        from desktop.server.backends.openai import OpenAIBackend

        return OpenAIBackend(upstream_url, model=model, api_key=api_key)
    if name == "nscale":
        from desktop.server.backends.nscale import NscaleBackend
        from desktop.tls import tls_context

        if not upstream_url:
            raise ValueError("the nscale backend needs the nscale-assist URL (--upstream-url)")
        return NscaleBackend(
            upstream_url,
            metrics=upstream_metrics,
            verify=tls_context(upstream_ca),
            conversations=conversations,
        )
    raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKEND_NAMES)}")
