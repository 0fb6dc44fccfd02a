"""What the fake nscale-assist streams: the answer scripts and their exact bytes per endpoint.

An :class:`AnswerScript` is what the backend's engine yields for one question: the tokens in
order, markers included (the real backend sends ``[STREAM_RETRY]``, ``[CONN_ERROR] …`` and the
rest as ordinary tokens), and whether Ollama's final empty token closes the answer. The
scenario builders below reproduce the captured LLM failures (reference README §5); tests state
the tokens they expect, and the fake sends exactly those.

The framing functions give one HTTP chunk each, as the real server writes them:

* ``GET /api/question/stream``: every yielded ``data: {json}\\n\\n`` string wrapped once more by
  sse-starlette 1.6.5 (each inner line becomes a ``data:`` line, CRLF), the end a wrapped
  ``event: done`` block, pings as bare comments;
* ``/api/v1/question/stream``: bare ``json.dumps`` objects, no separator.

``json.dumps`` with its defaults, as the backend uses it: ``\\uXXXX`` escapes, surrogate pairs for
emoji, ``", "`` and ``": "`` separators.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

STREAM_RETRY: Final = "[STREAM_RETRY]"
TIMEOUT: Final = "[TIMEOUT]"
FINAL_TIMEOUT: Final = "[FINAL_TIMEOUT] Zeit\u00fcberschreitung bei der Anfrage"
CONN_ERROR_PORT: Final = 40047


def conn_error(port: int = CONN_ERROR_PORT) -> str:
    """The ``[CONN_ERROR]`` token of ``31``: aiohttp's message for a refused connection."""
    return (
        f"[CONN_ERROR] Verbindungsfehler: Cannot connect to host 127.0.0.1:{port} ssl:default "
        f"[Connect call failed ('127.0.0.1', {port})]"
    )


def words(text: str) -> tuple[str, ...]:
    """Tokens the way the model sends them: each word with its leading space."""
    return tuple(f" {word}" for word in text.split())


#: The default answer (German, with umlauts and an emoji, as support staff get them).
DEFAULT_ANSWER: Final = words(
    "Öffnen Sie die Akte über Datei → Neu. Tragen Sie das Aktenzeichen ein und "
    "speichern Sie. Fertig 🙂"
)


@dataclass(frozen=True)
class AnswerScript:
    """One answer as the engine yields it.

    Attributes:
        tokens: every token, markers included, in order.
        final_empty: Ollama's last, empty token closes the answer (``{"response": ""}``); the
            backend sends none after a marker that ends a failed answer.
        first_token_delay: seconds before the first token (retrieval and prompt evaluation).
        pauses: extra seconds before the token at that index (a stall, a retry's wait).
        sources: what ``POST /api/question`` lists as its sources.
        cut_after: the connection is dropped (no chunked terminator) before this token index;
            a network failure, not something the backend does by itself.
    """

    tokens: tuple[str, ...] = DEFAULT_ANSWER
    final_empty: bool = True
    first_token_delay: float = 0.0
    pauses: dict[int, float] = field(default_factory=dict)
    sources: tuple[str, ...] = ("Akten_anlegen.md", "Handbuch_Kapitel_3.pdf")
    cut_after: int | None = None

    @property
    def text(self) -> str:
        """What the backend saves as the answer when the stream runs to its end."""
        return "".join(self.tokens)


def answer(text_or_tokens: str | Sequence[str] = DEFAULT_ANSWER) -> AnswerScript:
    """A normal answer: the tokens, then the empty final token."""
    tokens = words(text_or_tokens) if isinstance(text_or_tokens, str) else tuple(text_or_tokens)
    return AnswerScript(tokens)


def empty_answer() -> AnswerScript:
    """llama.cpp down behind a running Ollama (``33``): only the empty final token."""
    return AnswerScript(())


def ollama_down(port: int = CONN_ERROR_PORT) -> AnswerScript:
    """Ollama not running (``31``): two retries, the connection error, no final token."""
    return AnswerScript((STREAM_RETRY, STREAM_RETRY, conn_error(port)), final_empty=False)


def ollama_killed(tokens: Sequence[str] = DEFAULT_ANSWER, after: int = 5) -> AnswerScript:
    """Ollama killed mid-answer (``30``): the partial answer, then the same three markers."""
    head = tuple(tokens[:after])
    return AnswerScript((*head, STREAM_RETRY, STREAM_RETRY, conn_error()), final_empty=False)


def llm_killed(tokens: Sequence[str] = DEFAULT_ANSWER, after: int = 5) -> AnswerScript:
    """llama.cpp killed mid-answer (``32``): the answer simply ends, like a complete one."""
    return AnswerScript(tuple(tokens[:after]))


def timeout_then_answer(tokens: Sequence[str] = DEFAULT_ANSWER, after: int = 4) -> AnswerScript:
    """An attempt that hits the LLM timeout, then a retry that answers in full (``34``)."""
    return AnswerScript((*tokens[:after], TIMEOUT, STREAM_RETRY, *tokens))


def final_timeout(
    tokens: Sequence[str] = DEFAULT_ANSWER, after: int = 4, attempts: int = 3
) -> AnswerScript:
    """Every attempt times out (``34``): each restarts the answer; the last gives up."""
    parts: list[str] = []
    for attempt in range(attempts):
        parts += [*tokens[:after], TIMEOUT]
        parts.append(STREAM_RETRY if attempt < attempts - 1 else FINAL_TIMEOUT)
    return AnswerScript(tuple(parts), final_empty=False)


def failing(marker: str, message: str, tokens: Sequence[str] = ()) -> AnswerScript:
    """``[ERROR]``, ``[NO_TOKENS]``, ``[UNEXPECTED_ERROR]`` (read in the code, not seen)."""
    return AnswerScript((*tokens, f"{marker} {message}"), final_empty=False)


# --- GET /api/question/stream --------------------------------------------------------------

_LINES = re.compile(r"\r\n|\r|\n")


def sse_wrap(inner: str) -> bytes:
    """What sse-starlette 1.6.5 makes of one yielded string: a ``data:`` line per inner line."""
    lines = "".join(f"data: {line}\r\n" for line in _LINES.split(inner))
    return f"{lines}\r\n".encode()


def sse_token(token: str) -> bytes:
    return sse_wrap(f"data: {json.dumps({'response': token})}\n\n")


SSE_DONE: Final = sse_wrap("event: done\ndata: \n\n")


def sse_ping(now: datetime | None = None) -> bytes:
    """The keepalive comment, ``datetime.utcnow()`` as ``str`` (naive, microseconds)."""
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    return f": ping - {moment}\r\n\r\n".encode()


# --- /api/v1/question/stream ---------------------------------------------------------------


def v1_token(token: str) -> bytes:
    return json.dumps({"content": token}).encode()


V1_DONE: Final = json.dumps({"done": True}).encode()
