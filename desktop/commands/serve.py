"""``assist-desktop serve``: run the reference streaming server.

The token comes from ``--token`` or ``ASSIST_SERVER_TOKEN`` (the environment keeps it out of the
process list); the upstream API key only from ``ASSIST_UPSTREAM_API_KEY`` or ``OPENAI_API_KEY``.
A server listening beyond loopback without a token is refused, except the nscale gateway: it
forwards each user's own nscale-assist login token, which nscale-assist checks, so it takes no
token of its own (``--token`` is refused with it, since one ``Authorization`` header cannot carry
two tokens).

The process tunes the garbage collector the way long-running async servers commonly do: the
objects of start-up are frozen out of collection and the young generation is collected less
often. With a thousand live streams, default collections of a large heap paused the event loop
often enough to double the 99th-percentile gap between tokens in the benchmark.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import os
import sys
from typing import Any

from desktop.exit_codes import Exit

BACKENDS = ("demo", "ollama", "openai", "nscale")
GC_THRESHOLDS = (100_000, 50, 100)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="run the reference streaming server",
        description="Run the reference server of the Assist Streaming Protocol.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="listening address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="listening port (8000)")
    parser.add_argument(
        "--backend",
        default="demo",
        help="generation backend: demo (default), ollama, openai, or nscale (a gateway)",
    )
    parser.add_argument(
        "--upstream-url", help="the ollama, OpenAI-compatible or nscale-assist server's URL"
    )
    parser.add_argument(
        "--upstream-ca",
        metavar="FILE",
        help="a CA certificate (PEM) the nscale gateway trusts besides the system's",
    )
    parser.add_argument("--model", help="the upstream model name")
    parser.add_argument("--redis-url", help="share stream logs through Redis Streams")
    parser.add_argument(
        "--redis-cluster",
        action="store_true",
        default=None,
        help="--redis-url names a Redis Cluster (default: ask the server)",
    )
    parser.add_argument(
        "--redis-key-prefix", default="assist", help="namespace of this deployment's Redis keys"
    )
    parser.add_argument(
        "--redis-buffer",
        type=int,
        default=1000,
        help="events a stream keeps in memory while Redis is unreachable (1000)",
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=120.0,
        help="seconds a stopping server lets running answers finish (120)",
    )
    parser.add_argument(
        "--lease-seconds",
        type=float,
        default=5.0,
        help="seconds before another replica takes over the answers of a dead one (5)",
    )
    parser.add_argument(
        "--token", help="bearer token clients must send (default: $ASSIST_SERVER_TOKEN)"
    )
    parser.add_argument(
        "--token-rate", type=float, default=40.0, help="demo tokens per second (0 = unpaced)"
    )
    parser.add_argument(
        "--ttl", type=float, default=600.0, help="seconds a finished stream stays resumable"
    )
    parser.add_argument("--keepalive", type=float, default=15.0, help="seconds between pings")
    parser.add_argument(
        "--max-streams-per-token", type=int, default=1000, help="concurrent streams per token"
    )
    parser.add_argument(
        "--max-starts-per-minute",
        type=int,
        default=0,
        help="starts one token may make per minute, across replicas (0 = no limit)",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let web pages from ORIGIN use the stream endpoints (repeatable)",
    )
    parser.add_argument(
        "--allow-faults", action="store_true", help="honour fault-injection headers (tests, demos)"
    )
    parser.add_argument("--log-format", choices=("kv", "json"), default="kv")
    parser.add_argument("--log-level", default="info")
    parser.set_defaults(handler=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_origin(value: str) -> bool:
    """``scheme://host[:port]`` and nothing more (what a browser sends in ``Origin``)."""
    scheme, sep, rest = value.partition("://")
    return bool(sep) and scheme in ("http", "https") and bool(rest) and "/" not in rest


def _usage(message: str) -> int:
    sys.stderr.write(f"assist-desktop serve: {message}\n")
    return Exit.USAGE


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the exit code."""
    token = args.token or os.environ.get("ASSIST_SERVER_TOKEN") or None
    gateway = args.backend == "nscale"
    if gateway and token is not None:
        return _usage("the nscale gateway forwards the users' own tokens: drop --token")
    if gateway and not args.upstream_url:
        return _usage("the nscale gateway needs --upstream-url (the nscale-assist server)")
    if args.upstream_ca:
        from desktop.tls import tls_context

        try:
            tls_context(args.upstream_ca)
        except ValueError as exc:
            return _usage(f"--upstream-ca: {exc}")
    if not _is_loopback(args.host) and token is None and not gateway:
        return _usage(
            f"refusing to listen on {args.host} without a token (--token or ASSIST_SERVER_TOKEN)"
        )
    if args.backend not in BACKENDS and ":" not in args.backend:
        return _usage(f"unknown backend {args.backend!r} (one of {', '.join(BACKENDS)})")
    if args.token_rate < 0 or args.ttl <= 0 or args.keepalive <= 0:
        return _usage("--token-rate must be >= 0, --ttl and --keepalive > 0")
    if args.drain_timeout < 0 or args.max_starts_per_minute < 0 or args.redis_buffer < 0:
        return _usage("--drain-timeout, --max-starts-per-minute and --redis-buffer must be >= 0")
    bad_origin = next((o for o in args.cors_origin if not _is_origin(o)), None)
    if bad_origin is not None:
        return _usage(f"--cors-origin {bad_origin!r} is not an origin like https://example.com")
    if args.lease_seconds < 2:
        return _usage("--lease-seconds must be at least 2 (leases are renewed every second)")

    from desktop.server.app import create_app
    from desktop.server.log_format import configure_logging
    from desktop.server.serving import build_server
    from desktop.server.settings import ServerSettings

    configure_logging(args.log_format, args.log_level)
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        backend=args.backend,
        token=token,
        redis_url=args.redis_url,
        allow_faults=args.allow_faults,
        token_rate=args.token_rate,
        ttl=args.ttl,
        keepalive=args.keepalive,
        max_streams_per_token=args.max_streams_per_token,
        key_prefix=args.redis_key_prefix,
        redis_cluster=args.redis_cluster,
        drain_timeout=args.drain_timeout,
        lease_seconds=args.lease_seconds,
        max_starts_per_minute=args.max_starts_per_minute,
        redis_buffer=args.redis_buffer,
        cors_origins=tuple(args.cors_origin),
        upstream_url=args.upstream_url,
        upstream_ca=args.upstream_ca,
        model=args.model,
        api_key=os.environ.get("ASSIST_UPSTREAM_API_KEY") or os.environ.get("OPENAI_API_KEY"),
    )
    server = build_server(
        create_app(settings), host=args.host, port=args.port, log_level=args.log_level
    )
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    server.run()
    return Exit.OK if server.started else 1
