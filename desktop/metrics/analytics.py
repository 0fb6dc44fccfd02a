"""Figures over many cached streams: per stream, in aggregate, and against the success targets.

Pure functions over :class:`CachedStream` values (the cache's rows, already decoded by whoever
read them), so the command line, the window and the tests share one computation. Each stream's
events are replayed through :class:`~desktop.metrics.recorder.StreamMetricsRecorder`, so a
cached answer's figures are exactly the ones the live panel showed.

Definitions of the seed plan's success metrics, as measured here:

* time to first token: the median over streams that got a token, under 500 ms;
* tokens per second: the median over streams with at least two tokens, over 50;
* reconnect success: of all connection losses (a run of ``Reconnecting`` events), the share
  after which the stream delivered a new event again, over 95 %;
* error recovery: of all streams that met an error (a stream error, a lost connection, a
  refusal), the share that still completed (``done``), over 90 %.

A target with no data to judge (no stream ever lost its connection, say) is "no data", neither
pass nor fail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from desktop.metrics.percentiles import percentile
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.metrics.replay import TimedEvent, replay
from desktop.protocol.events import (
    EVENT_NAMES,
    Done,
    GaveUp,
    Reconnecting,
    Rejected,
    Resumed,
    StreamError,
)

Verdict: TypeAlias = Literal["pass", "fail", "no data"]

TTFT_TARGET_MS: Final = 500.0
RATE_TARGET: Final = 50.0
RECONNECT_TARGET: Final = 0.95
RECOVERY_TARGET: Final = 0.90
_WIRE_TYPES: Final = tuple(EVENT_NAMES)


@dataclass(frozen=True, slots=True)
class CachedStream:
    """One answer's stream as the cache keeps it (``started`` in Unix seconds)."""

    message_id: int
    server_url: str
    state: str
    started: float
    events: Sequence[TimedEvent] = ()
    protocol: str = "assist"
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StreamSummary:
    """The figures of one stream; ``None`` where the stream gives no value."""

    message_id: int
    server_url: str
    started: float
    state: str
    tokens: int
    ttft_ms: float | None
    tokens_per_second: float | None
    duration_ms: float
    reconnects: int
    drops: int
    drops_recovered: int
    downtime_ms: float
    error_types: tuple[str, ...]
    completed: bool

    @property
    def had_error(self) -> bool:
        return bool(self.error_types) or self.drops > 0


@dataclass(frozen=True, slots=True)
class Distribution:
    """Order statistics of one figure over streams."""

    count: int
    mean: float | None
    p50: float | None
    p95: float | None
    p99: float | None
    minimum: float | None
    maximum: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Distribution:
        ordered = sorted(values)
        if not ordered:
            return cls(0, None, None, None, None, None, None)
        return cls(
            count=len(ordered),
            mean=sum(ordered) / len(ordered),
            p50=percentile(ordered, 50),
            p95=percentile(ordered, 95),
            p99=percentile(ordered, 99),
            minimum=ordered[0],
            maximum=ordered[-1],
        )


@dataclass(frozen=True, slots=True)
class SuccessCheck:
    """One of the seed plan's targets, judged against the data."""

    name: str
    target: str
    measured: float | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Everything over a set of streams."""

    streams: int
    completed: int
    ttft_ms: Distribution
    tokens_per_second: Distribution
    reconnects: int
    drops: int
    drops_recovered: int
    streams_with_errors: int
    streams_recovered: int
    error_types: Mapping[str, int] = field(default_factory=dict)

    @property
    def reconnect_success_rate(self) -> float | None:
        return self.drops_recovered / self.drops if self.drops else None

    @property
    def error_recovery_rate(self) -> float | None:
        if not self.streams_with_errors:
            return None
        return self.streams_recovered / self.streams_with_errors


def summarize(stream: CachedStream) -> StreamSummary:
    """The figures of one cached stream."""
    recorder = StreamMetricsRecorder(started_at=0.0)
    replay(stream.events, recorder)
    snapshot = recorder.snapshot()
    drops, recovered = _drops(stream.events)
    ttft = snapshot.ttft_s
    return StreamSummary(
        message_id=stream.message_id,
        server_url=stream.server_url,
        started=stream.started,
        state=stream.state,
        tokens=snapshot.tokens,
        ttft_ms=None if ttft is None else ttft * 1000.0,
        tokens_per_second=snapshot.tokens_per_second,
        duration_ms=snapshot.elapsed_s * 1000.0,
        reconnects=snapshot.reconnects,
        drops=drops,
        drops_recovered=recovered,
        downtime_ms=snapshot.downtime_s * 1000.0,
        error_types=error_types(stream.events),
        completed=_completed(stream),
    )


def aggregate(summaries: Sequence[StreamSummary]) -> Aggregate:
    """Totals and distributions over ``summaries``."""
    types: Counter[str] = Counter()
    for summary in summaries:
        types.update(summary.error_types)
    with_errors = [s for s in summaries if s.had_error]
    return Aggregate(
        streams=len(summaries),
        completed=sum(s.completed for s in summaries),
        ttft_ms=Distribution.of(s.ttft_ms for s in summaries if s.ttft_ms is not None),
        tokens_per_second=Distribution.of(
            s.tokens_per_second for s in summaries if s.tokens_per_second is not None
        ),
        reconnects=sum(s.reconnects for s in summaries),
        drops=sum(s.drops for s in summaries),
        drops_recovered=sum(s.drops_recovered for s in summaries),
        streams_with_errors=len(with_errors),
        streams_recovered=sum(s.completed for s in with_errors),
        error_types=dict(types.most_common()),
    )


def success_checks(total: Aggregate) -> list[SuccessCheck]:
    """The seed plan's four performance targets, each judged (see the module docstring)."""
    return [
        _check(
            "time to first token (p50)",
            f"< {TTFT_TARGET_MS:g} ms",
            total.ttft_ms.p50,
            lambda v: v < TTFT_TARGET_MS,
        ),
        _check(
            "tokens per second (p50)",
            f"> {RATE_TARGET:g}",
            total.tokens_per_second.p50,
            lambda v: v > RATE_TARGET,
        ),
        _check(
            "reconnect success",
            f"> {RECONNECT_TARGET:.0%}",
            total.reconnect_success_rate,
            lambda v: v > RECONNECT_TARGET,
        ),
        _check(
            "error recovery",
            f"> {RECOVERY_TARGET:.0%}",
            total.error_recovery_rate,
            lambda v: v > RECOVERY_TARGET,
        ),
    ]


def error_types(events: Iterable[TimedEvent]) -> tuple[str, ...]:
    """The kinds of trouble a stream met, in order of first appearance, each once.

    Stream errors keep the protocol's ``error_type``; a lost connection is ``http_<status>``
    when the server answered with an error status, else ``connection``; the terminal refusals
    are ``rejected_<reason>`` and ``gave_up``.
    """
    seen: dict[str, None] = {}
    for _, event in events:
        match event:
            case StreamError():
                seen[event.error_type] = None
            case Reconnecting():
                seen[_drop_kind(event.reason)] = None
            case Rejected():
                seen[f"rejected_{event.reason}"] = None
            case GaveUp():
                seen["gave_up"] = None
    return tuple(seen)


def _drop_kind(reason: str) -> str:
    if reason.startswith("HTTP "):
        status = reason[5:8]
        if status.isdigit():
            return f"http_{status}"
    if reason.startswith("server error"):
        return "server_error"
    return "connection"


def _drops(events: Iterable[TimedEvent]) -> tuple[int, int]:
    """``(connection losses, losses after which a new event arrived)``."""
    drops = recovered = 0
    down = False
    for _, event in events:
        if isinstance(event, Reconnecting):
            if not down:
                drops += 1
                down = True
        elif down and isinstance(event, (Resumed, *_WIRE_TYPES)):
            recovered += 1
            down = False
    return drops, recovered


def _completed(stream: CachedStream) -> bool:
    last = stream.events[-1][1] if stream.events else None
    if isinstance(last, Done):
        return last.finish_reason in ("stop", "length")
    return stream.state == "done"


def _check(
    name: str, target: str, measured: float | None, passes: Callable[[float], bool]
) -> SuccessCheck:
    if measured is None:
        return SuccessCheck(name, target, None, "no data")
    return SuccessCheck(name, target, measured, "pass" if passes(measured) else "fail")
