"""``assist-desktop metrics``: stream figures over the answer cache, judged against the targets.

Per cached stream and in aggregate: time to first token, tokens per second, reconnects, error
types, with p50/p95/p99, and the seed plan's four success targets as pass or fail (definitions
in ``desktop.metrics.analytics``). ``--since`` and ``--server`` narrow the streams; ``table``
is for people, ``csv`` (the per-stream rows) and ``json`` (everything) for scripts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop.commands.cache_access import (
    add_db_option,
    db_path_of,
    err,
    report_notice,
)
from desktop.exit_codes import Exit

if TYPE_CHECKING:
    from desktop.metrics.analytics import CachedStream
    from desktop.store.records import MessageRecord
    from desktop.store.repository import CacheRepository

FORMATS: Final = ("table", "csv", "json")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "metrics",
        help="stream figures over the cached answers, against the success targets",
        description="Time to first token, tokens per second, reconnects and error types of "
        "the cached streams, per stream and with p50/p95/p99, and the success targets "
        "(TTFT < 500 ms, > 50 tokens/s, reconnect success > 95%%, error recovery > 90%%) "
        "as pass or fail.",
    )
    parser.add_argument(
        "--since",
        type=parse_since,
        metavar="DATE",
        help="only streams started at or after DATE (ISO 8601, local time unless it has an "
        "offset: 2026-11-24 or 2026-11-24T09:30)",
    )
    parser.add_argument("--server", metavar="URL", help="only streams from this server URL")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output (table)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def parse_since(value: str) -> float:
    """An ISO date or date-time as Unix seconds (a naive value is local time)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date: {value!r}") from None
    return moment.astimezone().timestamp() if moment.tzinfo is None else moment.timestamp()


def run(args: argparse.Namespace) -> int:
    """Print the report; 0 on success (also for an empty cache), 2 for an unusable cache."""
    from desktop.metrics.analytics import aggregate, success_checks, summarize
    from desktop.metrics.report_format import format_csv, format_json, format_table
    from desktop.store.errors import CacheError
    from desktop.store.repository import CacheRepository

    path = db_path_of(args)
    summaries = []
    if path.exists():
        try:
            with CacheRepository.open(path) as repository:
                report_notice(repository.opened.notice)
                cached = iter_cached_streams(repository, since=args.since, server=args.server)
                summaries = [summarize(stream) for stream in cached]
        except CacheError as exc:
            err(f"assist-desktop: {exc}")
            return Exit.USAGE
    else:
        err(f"assist-desktop: no answer cache at {path} yet")
    summaries.sort(key=lambda s: (s.started, s.message_id))
    total = aggregate(summaries)
    checks = success_checks(total)
    if args.format == "csv":
        text = format_csv(summaries)
    elif args.format == "json":
        text = format_json(summaries, total, checks)
    else:
        text = format_table(summaries, total, checks)
    sys.stdout.write(text)
    return Exit.OK


def iter_cached_streams(
    repository: CacheRepository, *, since: float | None = None, server: str | None = None
) -> Iterator[CachedStream]:
    """Every cached assistant stream of the conversations not deleted, one conversation's
    events in memory at a time.

    Args:
        since: Unix seconds; streams started earlier are left out.
        server: a server URL; others are left out (a trailing ``/`` does not matter).
    """
    wanted = None if server is None else server.rstrip("/")
    for conversation in repository.all_conversations(with_events=True):
        for stream in _streams_of(conversation.messages):
            if since is not None and stream.started < since:
                continue
            if wanted is not None and stream.server_url.rstrip("/") != wanted:
                continue
            yield stream


def load_cached_streams(
    repository: CacheRepository, *, since: float | None = None, server: str | None = None
) -> list[CachedStream]:
    """:func:`iter_cached_streams` as a list, oldest first."""
    streams = list(iter_cached_streams(repository, since=since, server=server))
    streams.sort(key=lambda s: (s.started, s.message_id))
    return streams


def load_cached_streams_from(path: Path | None = None) -> list[CachedStream]:
    """:func:`load_cached_streams` of a cache file (the default one when ``None``)."""
    from desktop.store.repository import CacheRepository

    with CacheRepository.open(path) as repository:
        return load_cached_streams(repository)


def cached_stream(message: MessageRecord) -> CachedStream | None:
    """A cached assistant message as the metrics see it; ``None`` without a stream."""
    from desktop.metrics.analytics import CachedStream

    record = message.stream
    if record is None:
        return None
    events = []
    for row in message.events:
        try:
            event = row.to_event()
        except ValueError:  # a damaged row costs its own figures, not the report
            continue
        if event is not None:
            events.append((row.offset_ms, event))
    return CachedStream(
        message_id=record.message_id,
        server_url=record.server_url,
        state=record.state,
        started=record.started,
        events=tuple(events),
        protocol=record.protocol,
        error=record.error,
    )


def _streams_of(messages: tuple[MessageRecord, ...]) -> Iterator[CachedStream]:
    for message in messages:
        stream = cached_stream(message)
        if stream is not None:
            yield stream
