"""A streaming splitter for JSON objects written back to back (``{…}{…}``), cut anywhere.

nscale-assist's v1 stream is ``json.dumps`` strings with nothing between them. Through a proxy
the HTTP chunks need not end where an object does, so bytes are decoded as UTF-8 incrementally
(a character may be split too), a scan that knows strings and escapes finds where each
top-level object closes, and ``json.JSONDecoder.raw_decode`` reads it. The scan resumes where
it stopped, so a value cut into a thousand pieces costs what it would cost whole.
"""

from __future__ import annotations

import codecs
import json
from typing import Any, Final

_WHITESPACE: Final = " \t\r\n"


class JSONSplitError(ValueError):
    """The bytes are not JSON objects back to back, or one grew past the size cap."""


class JSONObjectSplitter:
    """Bytes in, whole JSON objects (or arrays) out.

    Args:
        max_pending: characters an unfinished value may hold before it is refused.
    """

    def __init__(self, max_pending: int) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
        self._json = json.JSONDecoder()
        self._max = max_pending
        self._buffer = ""
        self._scan = 0  # where the scan of the current value resumes
        self._depth = 0
        self._in_string = False
        self._escaped = False

    def feed(self, data: bytes) -> list[Any]:
        """The values ``data`` completes, in order.

        Raises:
            JSONSplitError: not UTF-8, something that is not an object or array, a value
                that is not valid JSON, or one longer than ``max_pending``.
        """
        try:
            self._buffer += self._decoder.decode(data)
        except UnicodeDecodeError as exc:
            raise JSONSplitError(f"the body is not UTF-8 ({exc.reason})") from None
        return self._take()

    def close(self) -> list[Any]:
        """The end of the body.

        Raises:
            JSONSplitError: the body ends inside a value (or inside a character).
        """
        values = self.feed(b"")
        try:
            self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise JSONSplitError("the body ends inside a UTF-8 character") from None
        if self._buffer.strip(_WHITESPACE):
            raise JSONSplitError(f"the body ends inside a JSON value: {self._buffer[:80]!r}")
        return values

    def _take(self) -> list[Any]:
        values: list[Any] = []
        while True:
            end = self._find_end()
            if end is None:
                break
            text = self._buffer[:end]
            try:
                value, stop = self._json.raw_decode(text)
            except json.JSONDecodeError as exc:
                raise JSONSplitError(f"not JSON ({exc.msg}): {text[:80]!r}") from None
            if stop != end:  # pragma: no cover - the scan and the decoder agree on the end
                raise JSONSplitError(f"not JSON: {text[:80]!r}")
            values.append(value)
            self._buffer = self._buffer[end:]
            self._scan = 0
        if len(self._buffer) > self._max:
            raise JSONSplitError(f"a JSON value exceeds {self._max} characters")
        return values

    def _find_end(self) -> int | None:
        """The index just past the first whole value, or ``None`` if it is not all here."""
        buffer = self._buffer
        if self._scan == 0:
            stripped = buffer.lstrip(_WHITESPACE)
            buffer = self._buffer = stripped
            if not buffer:
                return None
            if buffer[0] not in "{[":
                raise JSONSplitError(f"not a JSON object: {buffer[:80]!r}")
        depth, in_string, escaped = self._depth, self._in_string, self._escaped
        for index in range(self._scan, len(buffer)):
            char = buffer[index]
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    self._depth, self._in_string, self._escaped = 0, False, False
                    return index + 1
        self._scan, self._depth = len(buffer), depth
        self._in_string, self._escaped = in_string, escaped
        return None
