"""The reference server's HTTP surface: every endpoint and status of the Assist Streaming Protocol.

``create_app(settings)`` builds a Starlette app whose routes only validate, authorise and pick a
stream; generation runs in :mod:`desktop.server.runner` tasks and responses read the log
(:mod:`desktop.server.event_stream`). Refusals carry the protocol's JSON error body; no handler
ever lets a traceback reach a client.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop.protocol.capabilities import CAPABILITIES_PATH, Capabilities
from desktop.protocol.request import ChatRequest, InvalidRequest
from desktop.server.auth import presented_token
from desktop.server.backend import Caller, GenerationBackend, UpstreamError, offered_options
from desktop.server.cors import StreamEndpointsCORS
from desktop.server.event_stream import event_stream_response
from desktop.server.faults import (
    BODY_FAULTS,
    NO_FAULTS,
    STATUS_FAULTS,
    FaultInjector,
    FaultPlan,
    FaultSpecError,
    parse_faults,
)
from desktop.server.http_errors import (
    draining_refusal,
    error_response,
    invalid_request,
    not_found,
    upstream_refused,
)
from desktop.server.passthrough import ROUTES as PASSTHROUGH_ROUTES
from desktop.server.request_body import read_body
from desktop.server.runner import StreamRunner
from desktop.server.runtime import ServerRuntime
from desktop.server.settings import ServerSettings
from desktop.server.stream_log import Expired, StreamInfo
from desktop.server.stream_log.redis_connection import LOG_UNAVAILABLE

_STREAM_ID: Final = re.compile(r"[0-9a-f]{32}")
_EVENT_ID: Final = re.compile(r"[0-9]{1,18}")
_IDEMPOTENCY_KEY: Final = re.compile(r"[\x21-\x7e]{1,200}")
log = logging.getLogger(__name__)


def _runtime(request: Request) -> ServerRuntime:
    runtime: ServerRuntime = request.app.state.runtime
    return runtime


def _unauthorized() -> JSONResponse:
    return error_response(401, "unauthorized", "a valid bearer token is required")


async def _faults(
    request: Request, runtime: ServerRuntime, scope: str | None
) -> FaultPlan | Response:
    """The faults this response gets (none unless the server allows them)."""
    if not runtime.settings.allow_faults:
        return NO_FAULTS
    try:
        plan = parse_faults(request.headers, request.query_params.getlist("fault"))
    except FaultSpecError as exc:
        return invalid_request(str(exc))
    plan = runtime.faults.admit(plan, scope, STATUS_FAULTS)
    if plan.status is not None:
        kind = {429: "rate_limit", 503: "model_overload"}.get(plan.status, "upstream")
        return error_response(plan.status, kind, "injected fault", retry_after=plan.retry_after)
    return plan


def _stream(
    runtime: ServerRuntime,
    stream_id: str,
    after: int,
    plan: FaultPlan,
    *,
    finished: bool = False,
    owner: str | None = None,
) -> Response:
    """The event stream; ``owner`` given (a start) adds the stream's read token."""
    if plan is not NO_FAULTS:
        plan = runtime.faults.admit(plan, stream_id, BODY_FAULTS)
    injector = FaultInjector(plan, after + 1) if plan.shapes_body else None
    read_token = runtime.read_tokens.issue(stream_id, owner) if owner is not None else None
    headers = {"X-Read-Token": read_token} if read_token is not None else None
    return event_stream_response(
        runtime, stream_id, after, injector, finished=finished, headers=headers
    )


async def start_stream(request: Request) -> Response:
    """``POST /api/v1/chat/stream``."""
    started_at = time.monotonic()
    runtime = _runtime(request)
    owner = runtime.auth.owner(request.headers)
    if owner is None:
        return _unauthorized()
    if runtime.draining:
        runtime.metrics.refused_starts.labels("draining").inc()
        return draining_refusal("start")
    caller = Caller(presented_token(request.headers))
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        return invalid_request("Idempotency-Key must be 1 to 200 visible ASCII characters")
    plan = await _faults(request, runtime, f"start:{owner}:{key}" if key else None)
    if isinstance(plan, Response):
        return plan
    body = await read_body(request, runtime.settings.max_body_bytes)
    if body is None:
        return invalid_request("the request body is too large", 413)
    try:
        chat = ChatRequest.from_json(json.loads(body))
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, InvalidRequest
        if isinstance(exc, InvalidRequest):
            return invalid_request(exc.message, exc.status)
        return invalid_request("the body is not valid JSON")

    if key is not None:
        existing = await runtime.log.find_idempotent(owner, key)
        if existing is not None:
            return await _replay_start(runtime, existing, plan, owner)
    stream_id = secrets.token_hex(16)
    refusal = await runtime.limits.admit(owner, stream_id)
    if refusal is not None:
        runtime.metrics.errors.labels("rate_limit").inc()
        runtime.metrics.refused_starts.labels("limit").inc()
        return error_response(429, "rate_limit", refusal.message, retry_after=refusal.retry_after)
    try:
        generation = await runtime.backend.open(chat, caller)
        holder = await runtime.log.create(stream_id, owner, key, request=json.dumps(chat.to_json()))
    except UpstreamError as exc:
        await runtime.limits.release(owner, stream_id)
        runtime.metrics.errors.labels(exc.error_type).inc()
        return upstream_refused(exc)
    except Exception:  # the log is unreachable (503) or failed (500): the start never counted
        with contextlib.suppress(Exception):
            await runtime.limits.release(owner, stream_id)
        raise
    if holder is not None:  # a concurrent start with the same key won
        await runtime.limits.release(owner, stream_id)
        return await _replay_start(runtime, holder, plan, owner)
    runtime.pool.start(
        StreamRunner(
            stream_id=stream_id,
            owner=owner,
            request=chat,
            caller=caller,
            generation=generation,
            backend=runtime.backend,
            stream_log=runtime.log,
            metrics=runtime.metrics,
            started_at=started_at,
        )
    )
    runtime.metrics.streams_started.inc()
    log.info("stream_started stream_id=%s owner=%s", stream_id, owner[:12])
    return _stream(runtime, stream_id, 0, plan, owner=owner)


async def _replay_start(
    runtime: ServerRuntime, stream_id: str, plan: FaultPlan, owner: str
) -> Response:
    """A repeated start with a known key: the same stream from its first event."""
    info = await runtime.log.find(stream_id)
    if not isinstance(info, StreamInfo):
        return error_response(410, "gone", "the stream of this Idempotency-Key has expired")
    runtime.metrics.resumes.inc()
    return _stream(runtime, stream_id, 0, plan, finished=info.state != "running", owner=owner)


async def _lookup(
    request: Request, runtime: ServerRuntime, *, by_read_token: bool = False
) -> tuple[str, StreamInfo] | Response:
    """The caller's stream, or the 401/404/410 answer.

    ``by_read_token``: a ``?read_token=`` for this stream stands in for the bearer token
    (the resume URL, followed by a browser's ``EventSource``).
    """
    owner = runtime.auth.owner(request.headers)
    read_token = request.query_params.get("read_token") if by_read_token else None
    if owner is None and read_token is None:
        return _unauthorized()
    stream_id: str = request.path_params["stream_id"]
    if not _STREAM_ID.fullmatch(stream_id):
        return not_found()
    found = await runtime.log.find(stream_id)
    if owner is None and read_token is not None:
        if found is None or not runtime.read_tokens.allows(read_token, stream_id, found.owner):
            return _unauthorized()
        owner = found.owner
    # Another token's stream is answered exactly like an unknown one, so ids cannot be probed.
    if found is None or found.owner != owner:
        return not_found()
    if isinstance(found, Expired):
        return error_response(410, "gone", "the stream has expired")
    return stream_id, found


def _last_event_id(request: Request) -> int | Response:
    raw = request.headers.get("last-event-id")
    if raw is None:
        raw = request.query_params.get("last_event_id")
    raw = (raw or "").strip()
    if not raw:  # an empty id is no id (as after an ``id:`` field with no value)
        return 0
    if not _EVENT_ID.fullmatch(raw):
        return invalid_request("Last-Event-ID must be a decimal integer")
    return int(raw)


async def resume_stream(request: Request) -> Response:
    """``GET /api/v1/streams/{stream_id}/events``."""
    runtime = _runtime(request)
    if runtime.draining and runtime.shared:  # another replica serves it; this one is leaving
        return draining_refusal("resume")
    found = await _lookup(request, runtime, by_read_token=True)
    if isinstance(found, Response):
        return found
    stream_id, info = found
    after = _last_event_id(request)
    if isinstance(after, Response):
        return after
    if after > info.last_event_id:
        return invalid_request(
            f"Last-Event-ID {after} is beyond the last event ({info.last_event_id})"
        )
    plan = await _faults(request, runtime, stream_id)
    if isinstance(plan, Response):
        return plan
    runtime.metrics.resumes.inc()
    if info.state != "running" and after == info.last_event_id:
        return Response(status_code=204, headers={"X-Stream-Id": stream_id})
    return _stream(runtime, stream_id, after, plan, finished=info.state != "running")


async def cancel_stream(request: Request) -> Response:
    """``DELETE /api/v1/streams/{stream_id}``: stop generation (idempotent)."""
    runtime = _runtime(request)
    found = await _lookup(request, runtime)
    if isinstance(found, Response):
        return found
    stream_id, info = found
    if info.state == "running":
        if not await runtime.pool.cancel(stream_id):
            await runtime.log.request_cancel(stream_id)
        log.info("stream_cancel_requested stream_id=%s", stream_id)
    return Response(status_code=204)


async def stream_status(request: Request) -> Response:
    """``GET /api/v1/streams/{stream_id}``."""
    runtime = _runtime(request)
    found = await _lookup(request, runtime)
    if isinstance(found, Response):
        return found
    stream_id, info = found
    return JSONResponse(
        {"stream_id": stream_id, "state": info.state, "last_event_id": info.last_event_id},
        headers={"Cache-Control": "no-store"},
    )


async def healthz(request: Request) -> Response:
    """``200 ok`` while serving; ``503 draining`` once stopping, so balancers look elsewhere."""
    if _runtime(request).draining:
        return JSONResponse(
            {"status": "draining"}, status_code=503, headers={"Cache-Control": "no-store"}
        )
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


async def capabilities(request: Request) -> Response:
    """``GET /api/v1/capabilities``: the backend and the start options it honours (optional
    extension, see :mod:`desktop.protocol.capabilities`)."""
    backend = _runtime(request).backend
    answer = Capabilities(backend.name, offered_options(backend))
    return JSONResponse(answer.to_json(), headers={"Cache-Control": "no-store"})


async def metrics(request: Request) -> Response:
    return Response(_runtime(request).metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    kind = {404: "not_found", 405: "method_not_allowed"}.get(status, "invalid_request")
    return error_response(status, kind, exc.detail if isinstance(exc, HTTPException) else "")


async def _log_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("stream_log_unavailable path=%s error=%s", request.url.path, type(exc).__name__)
    runtime = _runtime(request)
    runtime.metrics.refused_starts.labels("log_unavailable").inc()
    return error_response(
        503, "model_overload", "the stream store is unavailable; try again shortly", retry_after=2
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("request_failed path=%s error=%s", request.url.path, type(exc).__name__)
    return error_response(500, "internal", "internal server error")


def create_app(settings: ServerSettings, *, backend: GenerationBackend | None = None) -> Starlette:
    """The reference server's ASGI app.

    Args:
        settings: the configuration.
        backend: a ready backend (tests); by default ``settings.backend`` is loaded at startup.
    """
    runtime = ServerRuntime(settings, backend)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    cors = [Middleware(StreamEndpointsCORS, origins=settings.cors_origins)]
    app = Starlette(
        middleware=cors if settings.cors_origins else None,
        routes=[
            Route("/api/v1/chat/stream", start_stream, methods=["POST"]),
            Route("/api/v1/streams/{stream_id}/events", resume_stream, methods=["GET"]),
            Route("/api/v1/streams/{stream_id}", cancel_stream, methods=["DELETE"]),
            Route("/api/v1/streams/{stream_id}", stream_status, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route(CAPABILITIES_PATH, capabilities, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            *PASSTHROUGH_ROUTES,
        ],
        exception_handlers={
            HTTPException: _http_error,
            **dict.fromkeys(LOG_UNAVAILABLE, _log_unavailable),
            Exception: _internal_error,
        },
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
