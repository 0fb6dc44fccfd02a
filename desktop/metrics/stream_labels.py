"""Short names for cached streams in lists and legends."""

from __future__ import annotations

from datetime import datetime

from desktop.metrics.analytics import CachedStream
from desktop.protocol.events import Token


def stream_label(stream: CachedStream) -> str:
    """``2026-11-24 09:30:12 · done · 412 tokens`` (local time)."""
    started = datetime.fromtimestamp(stream.started).strftime("%Y-%m-%d %H:%M:%S")
    tokens = sum(1 for _, event in stream.events if isinstance(event, Token))
    return f"{started} · {stream.state} · {tokens} tokens"
