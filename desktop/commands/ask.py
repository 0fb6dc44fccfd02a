"""``assist-desktop ask``: one answer, headless, with the exit codes of ARCHITECTURE.md.

0 the answer is complete; 2 usage or configuration error; 3 rejected (a refusal retrying
cannot change); 4 gave up reconnecting; 5 the server ended the stream with a fatal error; 130
interrupted (Ctrl-C cancels the server stream first; or the connection was lost where the
stream cannot be continued, so the text so far is all there is). On
every exit stdout holds exactly the answer text applied so far. Without ``--url`` the
reference server's demo backend runs embedded on a loopback port for the duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from desktop.commands.arguments import add_ca_file_option, server_url
from desktop.commands.ask_output import PROGRAM, AnswerWriter, Notices, summary_record
from desktop.commands.cache_access import add_db_option, db_path_of
from desktop.connection import TOKEN_ENV, ServerConnection
from desktop.exit_codes import Exit
from desktop.metrics.recorder import StreamMetricsRecorder
from desktop.protocol.backend_protocols import PROTOCOLS, BackendProtocol
from desktop.protocol.capabilities import CAPABILITIES_PATH, SIMPLE_LANGUAGE
from desktop.protocol.events import Rejected
from desktop.protocol.request import ChatRequest, InvalidRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.capabilities import fetch_capabilities
from desktop.streaming.config import ClientConfig, make_client
from desktop.streaming.factory import open_source
from desktop.streaming.session import AnswerSession, EventSink, Outcome

if TYPE_CHECKING:
    from desktop.store.recorder import AnswerRecorder


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ask",
        help="ask one question and stream the answer to stdout",
        description="Ask one question and stream the answer to stdout. Without --url, an "
        "embedded demo server answers. Exit codes: 0 complete, 2 usage, 3 rejected, "
        "4 gave up reconnecting, 5 fatal server error, 130 interrupted (Ctrl-C, or the "
        "connection lost where the backend cannot continue the answer). If the server starts "
        "the answer over (a reset event), text mode keeps the abandoned attempt on stdout and "
        "names on stderr the character where the answer begins; jsonl has the reset line.",
    )
    parser.add_argument("message", metavar="MESSAGE", help="the question")
    parser.add_argument(
        "--url", type=server_url, help="server base URL (default: an embedded demo server)"
    )
    parser.add_argument(
        "--token", help=f"bearer token (default: ${TOKEN_ENV}, then the login kept by 'login')"
    )
    parser.add_argument("--protocol", choices=PROTOCOLS, default="assist")
    add_ca_file_option(parser)
    parser.add_argument("--model", help="model name (required for ollama)")
    parser.add_argument("--output", choices=("text", "jsonl"), default="text")
    parser.add_argument(
        "--idle-timeout", type=float, default=45.0, metavar="S", help="seconds without data"
    )
    parser.add_argument(
        "--max-attempts", type=int, default=8, metavar="N", help="reconnect attempts"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="do not keep the answer in the local cache"
    )
    parser.add_argument(
        "--simple-language",
        action="store_true",
        help="ask for the answer in plain language (Einfache Sprache): --protocol nscale, or "
        "an Assist server that offers it (an nscale gateway)",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _usage_error(message: str) -> int:
    sys.stderr.write(f"{PROGRAM}: error: {message}\n")
    return Exit.USAGE


def run(args: argparse.Namespace) -> int:
    """Validate the arguments, find a server, stream the answer; returns the exit code."""
    try:
        request = ChatRequest.from_json(
            {"message": args.message, "options": {"model": args.model} if args.model else None}
        )
    except InvalidRequest as exc:
        return _usage_error(exc.message)
    if args.idle_timeout <= 0 or args.max_attempts < 1:
        return _usage_error("--idle-timeout must be positive and --max-attempts at least 1")
    if args.url is None and args.protocol != "assist":
        return _usage_error(f"--protocol {args.protocol} needs --url")
    if args.protocol == "ollama" and not args.model:
        return _usage_error("--protocol ollama needs --model")
    if args.simple_language and args.protocol not in ("nscale", "assist"):
        return _usage_error(
            f"--simple-language needs --protocol nscale or an Assist server that offers plain "
            f"language, not --protocol {args.protocol}"
        )
    try:
        connection = ServerConnection.resolve(
            url=args.url,
            protocol=args.protocol,
            token=args.token,
            model=args.model,
            ca_file=args.ca_file,
        )
    except RuntimeError as exc:
        return _usage_error(f"cannot start the embedded server: {exc}")
    try:
        config = connection.client_config(
            idle_timeout=args.idle_timeout, max_attempts=args.max_attempts
        )
        if args.simple_language and args.protocol == "assist":
            if not asyncio.run(_offers_plain_language(config)):
                return _usage_error(
                    f"--simple-language: the server at {connection.url} does not offer plain "
                    f"language (its {CAPABILITIES_PATH} does not list {SIMPLE_LANGUAGE})"
                )
            plain = dataclasses.replace(request.options, simple_language=True)
            request = dataclasses.replace(request, options=plain)
        cache = None if args.no_cache else _open_cache(args, connection, request)
        sinks: tuple[EventSink, ...] = () if cache is None else (cache,)
        options: dict[str, Any] = {}
        if args.protocol == "nscale":
            options = {"simple_language": args.simple_language}
            options.update(_server_memory(cache, connection.url))
        try:
            code = asyncio.run(
                ask(
                    config,
                    args.protocol,
                    request,
                    model=args.model,
                    mode=args.output,
                    sinks=sinks,
                    **options,
                )
            )
        except KeyboardInterrupt:  # before the loop's own handler was installed
            code = Exit.INTERRUPTED
        finally:
            if cache is not None:
                # An answer without its final event stays resumable ("interrupted"), unless
                # the user stopped it.
                cache.close("stopped" if code == Exit.INTERRUPTED else "interrupted")
    finally:
        connection.close()
    return code


async def _offers_plain_language(config: ClientConfig) -> bool:
    """Whether the Assist server says it can answer in plain language (an nscale gateway)."""
    async with make_client(config) as client:
        return (await fetch_capabilities(client, config)).plain_language


def _server_memory(cache: AnswerRecorder | None, url: str) -> dict[str, Any]:
    """What the cache knows of an nscale server (the endpoint that worked), and a callback
    that keeps what this answer learns: its server session and the endpoint that answered."""
    if cache is None:
        return {}
    from desktop.store.errors import CacheError
    from desktop.store.server_records import remember_session, remember_transport, transport_of
    from desktop.streaming.backends.nscale import NscaleSource

    writer, conversation = cache.writer, cache.conversation_id
    try:
        transport = writer.submit(lambda c: transport_of(c, url)).result()
    except CacheError:
        transport = None

    def remember(source: AnswerSource, outcome: Outcome) -> None:
        if not isinstance(source, NscaleSource):
            return
        if source.session_id is not None:
            session = str(source.session_id)
            writer.submit(lambda c: remember_session(c, conversation, url, session))
        if outcome.kind in ("done", "failed", "interrupted"):  # the endpoint did answer
            chosen, now = source.transport, time.time()
            writer.submit(lambda c: remember_transport(c, url, chosen, now))

    return {"transport": transport, "after": remember}


def _open_cache(
    args: argparse.Namespace, connection: ServerConnection, request: ChatRequest
) -> AnswerRecorder | None:
    """The answer's cache recording, or ``None`` (with a notice) when the cache is unusable.

    A broken cache never costs the answer: it is still streamed to stdout.
    """
    from desktop.store.errors import CacheError
    from desktop.store.recorder import open_answer_recording

    def on_error(error: CacheError) -> None:  # called on the cache's writer thread
        sys.stderr.write(f"{PROGRAM}: the answer is not being cached: {error}\n")

    try:
        return open_answer_recording(
            db_path_of(args),
            server_url=connection.url,
            protocol=connection.recorded_protocol,
            request=request,
            on_error=on_error,
        )
    except CacheError as exc:
        sys.stderr.write(f"{PROGRAM}: answering without the cache: {exc}\n")
        return None


async def ask(
    config: ClientConfig,
    protocol: BackendProtocol,
    request: ChatRequest,
    *,
    model: str | None = None,
    mode: str = "text",
    sinks: Sequence[EventSink] = (),
    after: Callable[[AnswerSource, Outcome], None] | None = None,
    **source_options: Any,
) -> int:
    """Stream one answer to stdout and return the ``ask`` exit code.

    ``sinks`` see every event too (the answer cache, say), after the metrics and before stdout;
    ``after`` is called with the source and the outcome once the answer has ended.
    """
    loop = asyncio.get_running_loop()
    async with make_client(config) as client:
        source = open_source(client, config, protocol, request, model=model, **source_options)
        recorder = StreamMetricsRecorder(
            started_at=loop.time(), bytes_received=lambda: source.stats.bytes_received
        )
        session = AnswerSession(source, clock=loop.time)

        def on_stdout_closed() -> None:
            session.stop("stdout was closed; the answer was cancelled")

        writer = AnswerWriter(sys.stdout.buffer, mode, on_closed=on_stdout_closed)
        shared = mode == "text" and _same_terminal()
        notices = Notices(
            sys.stderr,
            (lambda: writer.text_chars) if mode == "text" else None,
            mid_line=writer.flush_to_line_end if shared else None,
        )
        all_sinks: list[EventSink] = [recorder, *sinks, writer, notices]
        for sink in all_sinks:
            session.add_sink(sink)
        task = loop.create_task(session.run())
        ctrl_c = _CtrlC(session, task, notices)
        ctrl_c.install(loop)
        try:
            outcome = await _finish(task)
        finally:
            ctrl_c.remove(loop)
            writer.flush()
    if outcome is None:  # the cancel was not confirmed in time
        notices.say("interrupted")
        return Exit.INTERRUPTED
    if after is not None:
        after(source, outcome)
    snapshot = recorder.snapshot(loop.time())
    writer.write_summary(summary_record(outcome, snapshot, stream_id=source.stream_id))
    if outcome.exit_code != 0:
        notices.say(outcome.message)
    if isinstance(outcome.terminal, Rejected) and outcome.terminal.reason == "unauthorized":
        notices.say(f"to log in: assist-desktop login --server {config.root} (or pass --token)")
    return Exit.INTERRUPTED if ctrl_c.presses else outcome.exit_code


async def _finish(task: asyncio.Task[Outcome]) -> Outcome | None:
    """Await the session, which bounds the wait after a stop by itself.

    ``None`` when a second Ctrl-C gave up waiting for the server to confirm the cancel.
    """
    await asyncio.wait({task})
    return None if task.cancelled() else task.result()


def _same_terminal() -> bool:
    """Whether the answer (stdout) and the notices (stderr) share one terminal."""
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


class _CtrlC:
    """SIGINT once: cancel the stream and wait for the server to confirm; twice: stop waiting."""

    def __init__(self, session: AnswerSession, task: asyncio.Task[Outcome], notices: Notices):
        self._session = session
        self._task = task
        self._notices = notices
        self.presses = 0

    def __call__(self) -> None:
        self.presses += 1
        if self.presses == 1:
            self._notices.say("interrupted; cancelling the answer (Ctrl-C again to quit now)")
            self._session.stop()
        else:
            self._task.cancel()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signal handlers here
            loop.add_signal_handler(signal.SIGINT, self)

    def remove(self, loop: asyncio.AbstractEventLoop) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
