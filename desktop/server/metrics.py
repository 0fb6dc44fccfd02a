"""The server's Prometheus metrics, in a registry of its own per app.

A per-app :class:`CollectorRegistry` (not the process-global default) lets several apps live in
one process (tests, two replicas, the embedded server inside the desktop app) without
"duplicated timeseries" errors, and keeps each app's ``/metrics`` about that app alone.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

TTFT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
RATE_BUCKETS = (1, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 5000, 20_000)


class UpstreamMetrics:
    """What a backend that relays another server measures of it (the nscale gateway).

    Its own time to first token, beside ``assist_time_to_first_token_seconds`` (which includes
    the gateway), shows where a slow answer comes from; failures are counted by ``kind``:
    ``unauthorized``, ``refused`` (any other status before the stream), ``unreachable``,
    ``broken`` (the body broke off or could not be read), ``marker`` (an error the upstream sent
    as answer text), ``retry`` (it started the answer over), ``empty`` (an answer without text).
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.ttft = Histogram(
            "assist_upstream_time_to_first_token_seconds",
            "From the upstream request to the first answer token it sent",
            buckets=TTFT_BUCKETS,
            registry=registry,
        )
        self.failures = Counter(
            "assist_upstream_failures",
            "Upstream failures by kind",
            ["kind"],
            registry=registry,
        )


class ServerMetrics:
    """Every metric the server exposes at ``/metrics``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.streams_started = Counter(
            "assist_streams_started", "Streams started (new generations)", registry=r
        )
        self.streams_active = Gauge(
            "assist_streams_active", "Generations running in this process", registry=r
        )
        self.connections_active = Gauge(
            "assist_event_stream_responses_active", "Event-stream responses open", registry=r
        )
        self.events_sent = Counter(
            "assist_events_sent", "Events written to clients (replays included)", registry=r
        )
        self.resumes = Counter(
            "assist_resumes", "Resume requests answered with a stream or 204", registry=r
        )
        self.errors = Counter(
            "assist_errors",
            "Errors by type (stream errors and refused requests)",
            ["error_type"],
            registry=r,
        )
        self.ttft = Histogram(
            "assist_time_to_first_token_seconds",
            "From the start request to the first token event written to the log",
            buckets=TTFT_BUCKETS,
            registry=r,
        )
        self.tokens_per_second = Histogram(
            "assist_tokens_per_second",
            "Generation rate of each finished stream",
            buckets=RATE_BUCKETS,
            registry=r,
        )
        self.finished = Counter(
            "assist_streams_finished", "Finished streams by final state", ["state"], registry=r
        )
        # Scale-out: who generates what, and what happened when an owner went away.
        self.takeovers = Counter(
            "assist_stream_takeovers",
            "Streams of a dead owner taken over here: continued, ended with an error, or"
            " diverged (continued, but the regenerated text differed, so ended with the error)",
            ["outcome"],
            registry=r,
        )
        self.lease_losses = Counter(
            "assist_lease_losses",
            "Generations stopped here because another replica had taken their lease",
            registry=r,
        )
        self.handoffs = Counter(
            "assist_stream_handoffs",
            "Generations a drained server let go of for another replica to continue",
            registry=r,
        )
        self.drains = Counter("assist_drains", "Drains begun (SIGTERM)", registry=r)
        self.draining = Gauge("assist_draining", "1 while this server drains", registry=r)
        self.refused_starts = Counter(
            "assist_refused_starts",
            "Starts refused before generating: draining, limits, Redis unavailable",
            ["reason"],
            registry=r,
        )
        self.upstream = UpstreamMetrics(r)

    def exposition(self) -> bytes:
        """The Prometheus text format of this registry."""
        return generate_latest(self.registry)
