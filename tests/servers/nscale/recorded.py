"""The captured exchanges with the real nscale-assist, as test data.

``captures/NN-name.req.gz`` is what was sent and ``NN-name.raw.gz`` every byte read off the
socket, HTTP chunk framing included (copied, gzip-compressed, from the shared reference's
``nscale/captures``; see its README for how they were taken). :class:`Capture` splits a
response into its status line, headers and body chunks, so tests can compare the fake with the
real server and feed the real bodies to the decoders.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

CAPTURES: Final = Path(__file__).with_name("captures")


def dechunk(body: bytes) -> list[bytes]:
    """The chunks of a chunked body, in order (the terminator not included).

    Raises:
        ValueError: the body is not well-formed chunked encoding (a cut-off capture ends
            where it ends: its chunks so far are returned).
    """
    chunks: list[bytes] = []
    rest = body
    while rest:
        size_line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            break
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return chunks
        if len(rest) < size + 2:
            chunks.append(rest[:size])
            break
        if rest[size : size + 2] != b"\r\n":
            raise ValueError("a chunk is not followed by CRLF")
        chunks.append(rest[:size])
        rest = rest[size + 2 :]
    return chunks


@dataclass(frozen=True)
class Capture:
    name: str
    request: bytes
    raw: bytes

    @property
    def head(self) -> bytes:
        return self.raw.partition(b"\r\n\r\n")[0]

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1])

    @property
    def headers(self) -> list[tuple[str, str]]:
        lines = self.head.decode("latin-1").split("\r\n")[1:]
        return [(k.lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines)]

    @property
    def raw_body(self) -> bytes:
        return self.raw.partition(b"\r\n\r\n")[2]

    @property
    def chunked(self) -> bool:
        return ("transfer-encoding", "chunked") in self.headers

    @property
    def chunks(self) -> list[bytes]:
        """The body's HTTP chunks (a non-chunked body is one chunk)."""
        return dechunk(self.raw_body) if self.chunked else [self.raw_body]

    @property
    def body(self) -> bytes:
        """The body as a client reads it, without the chunk framing."""
        return b"".join(self.chunks)


@cache
def capture(name: str) -> Capture:
    """The capture ``name`` (``"01-get-api-question-stream"``)."""
    request = gzip.decompress((CAPTURES / f"{name}.req.gz").read_bytes())
    raw = gzip.decompress((CAPTURES / f"{name}.raw.gz").read_bytes())
    return Capture(name, request, raw)


def names() -> list[str]:
    return sorted(p.name.removesuffix(".raw.gz") for p in CAPTURES.glob("*.raw.gz"))
