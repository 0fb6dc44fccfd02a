"""One asyncio task per answer, decoupled from HTTP: generation writes to the log, not a socket.

The runner owns what the protocol adds around a backend's events: ``stream`` first (id 1), ids
and token indexes, ``progress`` every ten tokens, ``duration_ms`` in ``done``, and errors. An
:class:`UpstreamError` becomes an ``error`` event; when it is resumable the runner waits its
``retry_after``, opens the generation again and drops what it already sent (the same number of
non-token events, and the text already streamed, once the new try has repeated it exactly), so
the client's resume continues the answer instead of repeating it. A try whose text differs from
what was streamed ends the stream with a plain error: no mixed text reaches the log. A
cancelled task ends with ``done`` / ``cancelled``, or, when the server shuts down, with a
non-resumable ``error`` so that readers on other replicas stop.

Two ways of stopping write nothing at all, because another replica goes on with the stream: a
*handoff* (a drained server lets go of an answer its backend can continue elsewhere) and a lost
lease (another replica already took the stream over). A runner made with a ``position``
continues a stream another process started: ids and token indexes follow the log, and the
regenerated text must match the logged text before anything more is written
(:class:`~desktop.server.continuation.LoggedText`); where it does not, the stream ends with the
plain error of an answer nobody can continue, and no altered text reaches the log.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final, Literal, get_args

from desktop.protocol.events import (
    Done,
    FinishReason,
    Progress,
    StreamError,
    StreamStarted,
    Token,
    Usage,
    WireEvent,
)
from desktop.protocol.request import ChatRequest
from desktop.protocol.wire import encode_event
from desktop.server.backend import ANONYMOUS, Caller, Generation, GenerationBackend, UpstreamError
from desktop.server.continuation import ORPHAN_MESSAGE, LoggedPosition, LoggedText, TextDiffers
from desktop.server.metrics import ServerMetrics
from desktop.server.stream_log import EntryKind, LeaseLost, LogOverflow, StreamLog, StreamState

PROGRESS_EVERY: Final = 10
MAX_UPSTREAM_RETRIES: Final = 3
DEFAULT_RETRY_AFTER_S: Final = 1.0
CANCEL_WAIT_S: Final = 5.0
YIELD_EVERY: Final = 32

#: The stream store (Redis) went away mid-answer: readers come back after a while ...
STORE_AWAY: Final = "the stream store is unavailable for a moment; reconnect shortly"
STORE_RETRY_AFTER_S: Final = 2.0
#: ... or it stayed away for longer than the answer could be kept in memory.
STORE_LOST: Final = "the stream store was unavailable for too long; the answer is incomplete"
#: An upstream retry began with other text than the answer already streamed.
RETRY_DIFFERS: Final = (
    "the backend answered differently when asked again; ask again to get a whole answer"
)

CancelReason = Literal["client", "shutdown", "handoff", "lease_lost"]
#: Reasons after which another replica continues the stream: this runner writes nothing more.
Relinquish = Literal["handoff", "lease_lost"]
RELINQUISH: Final = frozenset(get_args(Relinquish))
log = logging.getLogger(__name__)


class _Relinquished(Exception):
    """The stream now belongs to another replica; stop without a closing event."""


class StreamRunner:
    """Generates one answer into the log."""

    def __init__(
        self,
        *,
        stream_id: str,
        owner: str,
        request: ChatRequest,
        caller: Caller = ANONYMOUS,
        generation: Generation,
        backend: GenerationBackend,
        stream_log: StreamLog,
        metrics: ServerMetrics,
        started_at: float,
        position: LoggedPosition | None = None,
    ) -> None:
        """``position``: where the log of a stream taken over stands (``None``: a new stream)."""
        self.stream_id = stream_id
        self.owner = owner
        self.cancel_reason: CancelReason = "client"
        self.request = request
        self._request = request
        self._caller = caller
        self._generation = generation
        self._backend = backend
        self._log = stream_log
        self._metrics = metrics
        self._started_at = started_at
        self._next_id = 1
        self._tokens = 0
        self._first_token_at: float | None = None
        self._sent_other = 0
        self._writing = False
        self._cancel_pending = False
        self._continued = position is not None
        #: Every token's text so far, which each retried or regenerated try must begin with.
        self._written: list[str] = []
        if position is not None:
            self._next_id = position.next_id
            self._tokens = position.tokens
            self._written = [position.text]
            self._sent_other = position.backend_events
            if position.tokens:
                self._first_token_at = started_at

    async def _append(self, event: WireEvent, kind: EntryKind = EntryKind.EVENT) -> None:
        event = dataclasses.replace(event, id=self._next_id)
        self._writing = True
        try:
            buffering = await self._log.append(
                self.stream_id, self._next_id, encode_event(event), kind
            )
        finally:
            self._writing = False
        self._next_id += 1
        if buffering:  # readers elsewhere cannot follow now: tell them to come back
            self._metrics.errors.labels("internal").inc()
            pause = StreamError(0, "internal", STORE_AWAY, True, STORE_RETRY_AFTER_S)
            await self._append(pause, EntryKind.PAUSE)
        if self._next_id % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a backend that never waits must not starve other streams
        if self._cancel_pending:
            self._cancel_pending = False
            raise asyncio.CancelledError

    def cancel(self, task: asyncio.Task[None], reason: CancelReason) -> None:
        """Cancel generation, but never in the middle of a log write.

        A write cancelled half-way may still reach the log (a Redis pipeline that was sent),
        leaving the runner unsure of the next id; so a cancel that arrives during a write
        takes effect right after it.
        """
        self.cancel_reason = reason
        if self._writing:
            self._cancel_pending = True
        else:
            task.cancel()

    async def run(self) -> None:
        """Generate the whole answer; never raises (every failure ends the stream properly)."""
        self._metrics.streams_active.inc()
        try:
            finish, usage, state = await self._generate()
            duration_ms = round((time.monotonic() - self._started_at) * 1000, 1)
            if usage.completion_tokens is None:
                usage = Usage(usage.prompt_tokens, self._tokens)
            done = Done(id=0, finish_reason=finish, usage=usage, duration_ms=duration_ms)
            await self._append(done, EntryKind.FINAL)
            await self._log.finish(self.stream_id, state)
            self._record_finish(state)
        except (LeaseLost, _Relinquished) as exc:
            await self._let_go(exc)
        except Exception:  # the log itself failed: nothing more can be written
            log.exception("stream_log_failed stream_id=%s", self.stream_id)
            self._metrics.errors.labels("internal").inc()
        finally:
            self._metrics.streams_active.dec()

    async def _let_go(self, exc: Exception) -> None:
        """Stop quietly: another replica generates the stream from here on."""
        if isinstance(exc, LeaseLost) or self.cancel_reason == "lease_lost":
            self._metrics.lease_losses.inc()
            log.warning("lease_lost stream_id=%s next_id=%d", self.stream_id, self._next_id)
            return
        self._metrics.handoffs.inc()
        log.info("stream_handed_off stream_id=%s next_id=%d", self.stream_id, self._next_id)
        try:
            await self._log.release(self.stream_id)
        except Exception as error:  # the lease then expires by itself
            log.warning("lease_release_failed stream_id=%s error=%s", self.stream_id, error)

    async def _generate(self) -> tuple[FinishReason, Usage, StreamState]:
        info = self._generation.info
        try:
            if not self._continued:
                await self._append(
                    StreamStarted(
                        id=0,
                        stream_id=self.stream_id,
                        conversation_id=self._request.conversation_id,
                        model=info.model,
                        created_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
                        estimated_tokens=info.estimated_tokens,
                    )
                )
            return await self._generate_with_retries()
        except LeaseLost:
            raise
        except TextDiffers as exc:
            if self._continued:
                log.warning("takeover_text_differs stream_id=%s reason=%s", self.stream_id, exc)
                self._metrics.takeovers.labels("diverged").inc()
                await self._fail("upstream", ORPHAN_MESSAGE)
            else:
                log.warning("retry_text_differs stream_id=%s reason=%s", self.stream_id, exc)
                await self._fail("upstream", RETRY_DIFFERS)
            return "error", Usage(), "failed"
        except LogOverflow:
            log.warning("stream_buffer_full stream_id=%s", self.stream_id)
            await self._fail("internal", STORE_LOST)
            return "error", Usage(), "failed"
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # let the closing writes below run
            if self.cancel_reason in RELINQUISH:
                raise _Relinquished(self.cancel_reason) from None
            if self.cancel_reason == "shutdown":
                await self._fail("internal", "the server shut down before the answer was complete")
                return "error", Usage(), "failed"
            return "cancelled", Usage(), "cancelled"
        except Exception:
            log.exception("generation_failed stream_id=%s", self.stream_id)
            await self._fail("internal", "the answer could not be generated")
            return "error", Usage(), "failed"

    async def _generate_with_retries(self) -> tuple[FinishReason, Usage, StreamState]:
        generation = self._generation
        retries = 0
        while True:
            try:
                return await self._relay(generation)
            except UpstreamError as exc:
                self._metrics.errors.labels(exc.error_type).inc()
                if not exc.resumable or retries >= MAX_UPSTREAM_RETRIES:
                    await self._fail(exc.error_type, exc.message, counted=True)
                    return "error", Usage(), "failed"
                retries += 1
                delay = exc.retry_after if exc.retry_after is not None else DEFAULT_RETRY_AFTER_S
                error = StreamError(0, exc.error_type, exc.message, True, delay)
                await self._append(error, EntryKind.PAUSE)
                await asyncio.sleep(delay)
                try:
                    generation = await self._backend.open(self._request, self._caller)
                except UpstreamError as again:
                    self._metrics.errors.labels(again.error_type).inc()
                    await self._fail(again.error_type, again.message, counted=True)
                    return "error", Usage(), "failed"

    async def _relay(self, generation: Generation) -> tuple[FinishReason, Usage, StreamState]:
        """Copy one generation's events into the log, skipping what an earlier try sent.

        Raises:
            TextDiffers: a retried or continued try's text is not the text already written.
        """
        skip_other = self._sent_other
        logged = LoggedText("".join(self._written))
        async for event in generation.events():
            if isinstance(event, Done):
                logged.check_complete()
                return event.finish_reason, event.usage, "done"
            if isinstance(event, Token):
                content = logged.after(event.content)
                if not content:
                    continue
                await self._append_token(content)
            elif skip_other:
                skip_other -= 1
            else:
                await self._append(event)
                self._sent_other += 1
        logged.check_complete()
        return "stop", Usage(), "done"  # a backend that forgot its Done

    async def _append_token(self, content: str) -> None:
        now = time.monotonic()
        if self._first_token_at is None:
            self._first_token_at = now
            self._metrics.ttft.observe(now - self._started_at)
        await self._append(Token(id=0, content=content, index=self._tokens))
        self._tokens += 1
        self._written.append(content)
        if self._tokens % PROGRESS_EVERY == 0:
            await self._append(self._progress(now))

    def _progress(self, now: float) -> Progress:
        estimated = max(self._generation.info.estimated_tokens, self._tokens)
        since_first = now - (self._first_token_at or now)
        rate = self._tokens / since_first if since_first > 0 else None
        remaining = (estimated - self._tokens) / rate if rate else None
        return Progress(
            id=0,
            tokens_sent=self._tokens,
            estimated_total=estimated,
            progress_percentage=round(100 * self._tokens / estimated, 1) if estimated else None,
            tokens_per_second=round(rate, 2) if rate is not None else None,
            estimated_time_remaining=round(remaining, 2) if remaining is not None else None,
            elapsed_time=round(now - self._started_at, 3),
        )

    async def _fail(self, error_type: str, message: str, *, counted: bool = False) -> None:
        if not counted:
            self._metrics.errors.labels(error_type).inc()
        await self._append(StreamError(0, error_type, message, resumable=False))

    def _record_finish(self, state: StreamState) -> None:
        self._metrics.finished.labels(state).inc()
        if self._first_token_at is not None and self._tokens > 1:
            span = time.monotonic() - self._first_token_at
            if span > 0:
                self._metrics.tokens_per_second.observe(self._tokens / span)
        log.info(
            "stream_finished stream_id=%s state=%s tokens=%d events=%d",
            self.stream_id,
            state,
            self._tokens,
            self._next_id - 1,
        )


class RunnerPool:
    """The running answers of this process, by stream id and by owner."""

    def __init__(self, on_finished: Callable[[StreamRunner], None] | None = None) -> None:
        """``on_finished``: called (on the loop) with every runner whose task has ended."""
        self._running: dict[str, tuple[StreamRunner, asyncio.Task[None]]] = {}
        self._on_finished = on_finished

    def __len__(self) -> int:
        return len(self._running)

    def start(self, runner: StreamRunner) -> None:
        task = asyncio.create_task(runner.run(), name=f"stream-{runner.stream_id}")
        self._running[runner.stream_id] = (runner, task)
        task.add_done_callback(lambda _t: self._forget(runner))

    def _forget(self, runner: StreamRunner) -> None:
        self._running.pop(runner.stream_id, None)
        if self._on_finished is not None:
            self._on_finished(runner)

    def runners(self) -> list[StreamRunner]:
        return [runner for runner, _task in self._running.values()]

    def is_running_here(self, stream_id: str) -> bool:
        return stream_id in self._running

    def stream_ids(self) -> list[str]:
        """The streams this process generates right now."""
        return list(self._running)

    async def wait_empty(self, limit_s: float) -> bool:
        """Wait until every generation here has finished; ``False`` if some still run."""
        tasks = [task for _runner, task in self._running.values()]
        if tasks:
            await asyncio.wait(tasks, timeout=limit_s)
        return not self._running

    async def cancel(self, stream_id: str, reason: CancelReason = "client") -> bool:
        """Cancel a local runner and wait (briefly) until it has written its last event."""
        entry = self._running.get(stream_id)
        if entry is None:
            return False
        runner, task = entry
        runner.cancel(task, reason)
        await asyncio.wait([task], timeout=CANCEL_WAIT_S)
        return True

    async def cancel_all(self, choose: Callable[[StreamRunner], CancelReason]) -> None:
        """Stop every runner, each for the reason ``choose`` gives it (shutdown or handoff)."""
        await asyncio.gather(
            *(
                self.cancel(stream_id, choose(runner))
                for stream_id, (runner, _task) in list(self._running.items())
            )
        )
