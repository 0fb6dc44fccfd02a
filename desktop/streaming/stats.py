"""Counters a source keeps about its own connection, for the status bar and the metrics recorder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SourceStats:
    """Running totals for one answer (mutable: the source updates them as it goes).

    Attributes:
        bytes_received: body bytes read from every response, keepalives and replays included.
        connections: tries made for the stream (the start, its retries and every resume; a
            followed redirect is part of its try).
        reconnects: times the source decided to try again after a failure.
        events_applied: wire events applied exactly once (unknown types included, which advance
            the id but are not yielded).
        downtime_s: seconds between a connection failing and the next new event arriving.
    """

    bytes_received: int = 0
    connections: int = 0
    reconnects: int = 0
    events_applied: int = 0
    downtime_s: float = 0.0
