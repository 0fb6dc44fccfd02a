"""An incremental Server-Sent Events parser (bytes in, messages out), exact to WHATWG HTML §9.2.

Why not httpx-sse's decoder: it yields phantom empty events after every comment block (its
issue #35), keeps a leading BOM as part of the first field name, decodes with the charset
parameter instead of always UTF-8, holds a CR-terminated event until the next chunk arrives,
accepts ``retry: -3`` and has no bound on a pending event (see ``sse-client-notes.md``). This
parser is sans-I/O: feed it the body's bytes as they arrive and it returns every message whose
terminating blank line has been seen.

Each response gets its own parser (``SSEParser()``), because a BOM and a half-received event
belong to one response; the reconnection state that outlives a response (the last applied id)
is the client's, not the parser's.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

DEFAULT_MAX_EVENT_BYTES: Final = 8 * 1024 * 1024
_BOM: Final = "\ufeff"


class EventTooLarge(ValueError):
    """A pending event (or a single unterminated line) grew past the parser's cap."""


@dataclass(frozen=True, slots=True)
class SSEMessage:
    """One dispatched SSE message.

    Attributes:
        event: the event type (``"message"`` when the block had no or an empty ``event`` field).
        data: the data buffer with its one trailing LF removed.
        id: the last event id *string* at dispatch (sticky across messages, as in browsers);
            ``None`` until the stream has sent an ``id`` field.
        has_id: whether this very block carried an ``id`` field.
    """

    event: str
    data: str
    id: str | None
    has_id: bool = False


_new = object.__new__
_set_event, _set_data, _set_id, _set_has_id = (
    SSEMessage.__dict__[name].__set__ for name in ("event", "data", "id", "has_id")
)


def _message(event: str, data: str, id: str | None, has_id: bool) -> SSEMessage:
    """``SSEMessage(event, data, id, has_id)`` at about half the cost: a frozen dataclass's
    ``__init__`` calls ``object.__setattr__`` per field; the slot descriptors set the same slots
    directly. Only for the parser's hot loop; everyone else uses the constructor."""
    message: SSEMessage = _new(SSEMessage)
    _set_event(message, event)
    _set_data(message, data)
    _set_id(message, id)
    _set_has_id(message, has_id)
    return message


class SSEParser:
    """Parses one response body.

    Attributes:
        retry: the last valid ``retry`` field in milliseconds, or ``None``.
        last_event_id: the committed last event id string (``None`` before any ``id`` field).
    """

    __slots__ = (
        "_block_has_id",
        "_bom_done",
        "_data",
        "_data_size",
        "_decoder",
        "_event",
        "_line",
        "_max",
        "_pending_id",
        "_skip_lf",
        "last_event_id",
        "retry",
    )

    def __init__(self, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._max = max_event_bytes
        self._line = ""  # text after the last line end
        self._skip_lf = False  # the previous chunk ended with CR: drop one LF at the next start
        self._bom_done = False
        self._data: list[str] = []
        self._data_size = 0
        self._event = ""
        self._pending_id: str | None = None
        self._block_has_id = False
        self.last_event_id: str | None = None
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        """Parse ``chunk`` and return the messages it completed, in order.

        Raises:
            EventTooLarge: the pending event or line exceeds ``max_event_bytes``.
        """
        text = self._decoder.decode(chunk)
        if not text:
            return []
        if not self._bom_done:
            self._bom_done = True
            if text[0] == _BOM:
                text = text[1:]
                if not text:
                    return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
                if not text:
                    return []
        if "\r" in text:
            # A CR at the very end ends its line now; an LF starting the next chunk is its pair.
            self._skip_lf = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if self._line:
            text = self._line + text
        lines = text.split("\n")
        self._line = rest = lines.pop()
        if len(rest) > self._max:
            raise EventTooLarge(f"an SSE line exceeds {self._max} characters without a line end")
        return self._process(lines) if lines else []

    def close(self) -> None:
        """End of body: a pending event without its blank line is discarded (WHATWG)."""
        self._line = ""
        self._data = []
        self._data_size = 0
        self._event = ""
        self._pending_id = None
        self._block_has_id = False

    def _process(self, lines: list[str]) -> list[SSEMessage]:
        out: list[SSEMessage] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    if self._block_has_id:
                        self.last_event_id = self._pending_id
                    text = data[0] if len(data) == 1 else "\n".join(data)
                    event = self._event or "message"
                    out.append(_message(event, text, self.last_event_id, self._block_has_id))
                    data.clear()
                    self._data_size = 0
                elif self._block_has_id:
                    self.last_event_id = self._pending_id
                self._event = ""
                self._block_has_id = False
                continue
            colon = line.find(":")
            if colon == 0:
                continue  # comment
            if colon > 0:
                name = line[:colon]
                start = colon + 2 if line.startswith(" ", colon + 1) else colon + 1
                value = line[start:]
            else:
                name, value = line, ""
            if name == "data":
                self._data_size += len(value) + 1
                if self._data_size > self._max:
                    raise EventTooLarge(f"an SSE event exceeds {self._max} characters")
                data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                if "\0" not in value:
                    self._pending_id = value
                    self._block_has_id = True
            elif name == "retry" and value.isascii() and value.isdigit():
                self.retry = int(value)  # "".isdigit() is False, so an empty value is ignored
        return out


# --- encoding -------------------------------------------------------------------------------


def encode_message(data: str, *, event: str | None = None, id: str | int | None = None) -> bytes:
    """Frame one SSE message; ``data`` may hold newlines (one ``data:`` line each)."""
    parts: list[str] = []
    if id is not None:
        parts.append(f"id: {id}\n")
    if event is not None:
        parts.append(f"event: {event}\n")
    for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        parts.append(f"data: {line}\n")
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def encode_retry(milliseconds: int) -> bytes:
    """A ``retry`` field on its own (a block without data dispatches nothing)."""
    return f"retry: {int(milliseconds)}\n\n".encode()


def encode_comment(text: str = "") -> bytes:
    """A comment line, used as a keepalive that proxies and idle timers see as traffic."""
    clean = text.replace("\r", " ").replace("\n", " ")
    return f": {clean}\n\n".encode()
