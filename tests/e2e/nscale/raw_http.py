"""One HTTP/1.1 exchange over a raw loopback socket, every byte of the response kept.

The fake nscale-assist is compared with the captures byte for byte, chunk framing included,
which no HTTP client library shows; so requests are replayed as the captures' own bytes.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading


def exchange(port: int, request: bytes, *, timeout: float = 30.0) -> bytes:
    """Send ``request`` and read the response to its end (length, chunk terminator or close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # Sent from a thread while this one reads: a server that refuses a huge request answers
        # and closes before it has all of it.
        sender = threading.Thread(target=_send, args=(sock, request), daemon=True)
        sender.start()
        data = b""
        while True:
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = re.search(rb"(?im)^content-length:\s*(\d+)\r$", head + b"\r")
                if length is not None and len(body) >= int(length.group(1)):
                    return data
                if re.search(rb"(?im)^transfer-encoding:\s*chunked", head) and (
                    body.endswith(b"\r\n0\r\n\r\n") or body == b"0\r\n\r\n"
                ):
                    return data
            try:
                piece = sock.recv(65536)
            except ConnectionResetError:
                piece = b""
            if not piece:
                return data
            data += piece


def _send(sock: socket.socket, request: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(request)


def retarget(request: bytes, port: int, token: str | None) -> bytes:
    """The captured request sent to ``port``, with ``token`` as its bearer (``None``: as is)."""
    out = re.sub(rb"(?m)^Host: [^\r]*\r$", f"Host: 127.0.0.1:{port}\r".encode(), request)
    if token is not None:
        out = re.sub(
            rb"(?m)^Authorization: Bearer [^\r]*\r$",
            f"Authorization: Bearer {token}\r".encode(),
            out,
        )
    return out
