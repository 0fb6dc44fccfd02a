"""Feeding a chat decoder a body in pieces, as a network would deliver it."""

from __future__ import annotations

from desktop.protocol.upstream.chat_stream import ChatFact, ChatStreamDecoder


def decode_all(decoder: ChatStreamDecoder, *pieces: bytes) -> list[ChatFact]:
    """Everything ``decoder`` makes of ``pieces`` fed in turn, then of the body's clean end."""
    facts: list[ChatFact] = []
    for piece in pieces:
        facts += decoder.feed(piece)
    return facts + decoder.close()


def cut(raw: bytes, cuts: list[int], *, crlf: bool = False) -> list[bytes]:
    """``raw`` cut at the offsets ``cuts`` (wrapped into range), with CRLF line ends if asked."""
    if crlf:
        raw = raw.replace(b"\n", b"\r\n")
    points = sorted({c % (len(raw) + 1) for c in cuts})
    return [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
