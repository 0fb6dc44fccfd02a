"""nscale-assist's in-band failure markers, and what each one means for the answer.

The backend retries a failed or timed-out model request itself and reports it as ordinary
answer tokens (reference README §5):

* ``[STREAM_RETRY]`` and ``[TIMEOUT]``: this attempt is over and another one starts; if it
  produces text, that text is the answer from its start again (``34``: the whole answer is
  repeated). So a ``reset`` is due, but only just before the new attempt's first token: a
  retry that fails sends none, and the partial text stands.
* ``[CONN_ERROR] …``, ``[FINAL_TIMEOUT] …``, ``[ERROR] …``, ``[NO_TOKENS] …`` and
  ``[UNEXPECTED_ERROR] …``: the backend has given up. The answer ends with an ``error`` that
  carries the server's own (German) message.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

from desktop.protocol.events import ErrorType

EMPTY_ANSWER: Final = "the server sent an empty answer: its language model is probably not running"

_MARKER: Final = re.compile(
    r"\[(STREAM_RETRY|TIMEOUT|FINAL_TIMEOUT|CONN_ERROR|ERROR|NO_TOKENS|UNEXPECTED_ERROR)\]\s*",
)

#: Why the answer starts over, per marker (the ``reset`` event's message).
RESTARTS: Final[dict[str, str]] = {
    "STREAM_RETRY": "the connection to the language model failed; it started the answer again",
    "TIMEOUT": "the language model took too long; it started the answer again",
}

#: The error type of each marker that ends the answer, and a message when it brings none.
FAILURES: Final[dict[str, tuple[ErrorType, str]]] = {
    "CONN_ERROR": ("upstream", "Verbindungsfehler"),
    "FINAL_TIMEOUT": ("network_timeout", "Zeitüberschreitung bei der Anfrage"),
    "ERROR": ("upstream", "Fehler bei der Anfrage"),
    "NO_TOKENS": ("upstream", "Keine Antwort vom Sprachmodell"),
    "UNEXPECTED_ERROR": ("upstream", "Unerwarteter Fehler"),
}


@dataclass(frozen=True, slots=True)
class Restart:
    """A ``[STREAM_RETRY]`` or ``[TIMEOUT]`` token."""

    message: str


@dataclass(frozen=True, slots=True)
class Failure:
    """A marker token that ends the answer."""

    error_type: ErrorType
    message: str


def split_at_markers(text: str) -> list[str]:
    """A whole answer cut before each marker, as the tokens the engine yielded would be.

    The history (and a non-streamed answer) holds the tokens run together, markers included
    (``partial text[STREAM_RETRY][STREAM_RETRY][CONN_ERROR] Verbindungsfehler: …``).
    """
    cuts = {0, len(text)}
    for match in _MARKER.finditer(text):
        cuts.add(match.start())
        if match.group(1) in RESTARTS:  # a retry marker carries no message: text follows
            cuts.add(match.start() + len(match.group(1)) + 2)
    ordered = sorted(cuts)
    return [text[a:b] for a, b in itertools.pairwise(ordered) if b > a]


def read_marker(token: str) -> Restart | Failure | None:
    """What ``token`` means if it is a marker (it must start with one), else ``None``."""
    match = _MARKER.match(token)
    if match is None:
        return None
    name = match.group(1)
    if name in RESTARTS:
        return Restart(RESTARTS[name])
    error_type, fallback = FAILURES[name]
    return Failure(error_type, token[match.end() :].strip() or fallback)


class AnswerMarkers:
    """Tracks one answer's attempts: whether a restart is due before the next token.

    Attributes:
        attempt_tokens: answer tokens since the answer last (re)started.
    """

    def __init__(self) -> None:
        self.attempt_tokens = 0
        self._restart: Restart | None = None

    def restart_pending(self, restart: Restart) -> None:
        """A retry marker; the first since the last token names the cause (``[TIMEOUT]``
        comes before its ``[STREAM_RETRY]``)."""
        if self._restart is None:
            self._restart = restart

    def before_token(self) -> str | None:
        """Called before an answer token: the ``reset`` message if the answer starts over."""
        restart, self._restart = self._restart, None
        starts_over = restart is not None and self.attempt_tokens > 0
        self.attempt_tokens = 1 if starts_over else self.attempt_tokens + 1
        return restart.message if starts_over and restart is not None else None
