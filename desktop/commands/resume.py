"""``assist-desktop resume [--all | STREAM]``: finish answers a crash or a drop cut off.

Streams the cache holds as ``interrupted`` (or still ``streaming`` although the process that
recorded them is gone) are resumed from their last applied event id on the server that started
them (its URL is in the cache; the token comes from ``--token`` or ``ASSIST_TOKEN``). stdout
gets each answer's whole text: the cached part first, then the rest as it arrives; with
``--all``, the answers in the order they were started, separated by a blank line. The exit code
is that of ``ask`` (the worst one with ``--all``); a stream the server no longer holds (404/410)
keeps its partial text, stays ``interrupted`` and exits 3. stderr gets ``ask``'s notices
(reconnects, warnings, a ``reset`` with the character where the new attempt begins).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from desktop.commands.arguments import add_ca_file_option
from desktop.commands.cache_access import add_db_option, db_path_of, err, report_notice
from desktop.exit_codes import Exit
from desktop.protocol.answer_status import AnswerStatus

if TYPE_CHECKING:
    from desktop.protocol.events import StreamEvent
    from desktop.store.records import StreamRecord
    from desktop.store.writer import CacheWriter

PROGRAM: Final = "assist-desktop resume"
SEPARATOR: Final = b"\n\n"
#: Exit codes for a stream that needs no resume, by its cached state.
SETTLED_EXIT: Final[dict[str, Exit]] = {
    AnswerStatus.DONE: Exit.OK,
    AnswerStatus.STOPPED: Exit.INTERRUPTED,
    AnswerStatus.FAILED: Exit.FAILED,
}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "resume",
        help="finish answers that were cut off (crash, kill, lost connection)",
        description="Resume cached answers from their last applied event.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every interrupted answer")
    which.add_argument("stream", nargs="?", metavar="STREAM", help="server stream id or message id")
    parser.add_argument(
        "--token", help="bearer token (default: $ASSIST_TOKEN, then the login kept by 'login')"
    )
    parser.add_argument("--idle-timeout", type=float, default=45.0, metavar="S")
    parser.add_argument("--max-attempts", type=int, default=8, metavar="N")
    add_ca_file_option(parser)
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from desktop.store.errors import CacheError
    from desktop.store.repository import CacheRepository
    from desktop.store.writer import CacheWriter

    path = db_path_of(args)
    if not path.exists():
        err(f"assist-desktop: no answer cache at {path}")
        return Exit.OK if args.all else Exit.USAGE
    try:
        writer = CacheWriter(path)
    except CacheError as exc:
        err(f"assist-desktop: {exc}")
        return Exit.USAGE
    try:
        report_notice(writer.notice)
        with CacheRepository.open(path) as repository:
            repository.mark_orphans_interrupted()
            streams = (
                repository.resumable_streams() if args.all else [repository.stream(args.stream)]
            )
        if not streams:
            err("assist-desktop: nothing to resume")
            return Exit.OK
        return asyncio.run(_resume_all(writer, streams, args))
    except CacheError as exc:
        err(f"assist-desktop: {exc}")
        return Exit.USAGE
    finally:
        writer.close()


async def _resume_all(
    writer: CacheWriter, streams: list[StreamRecord], args: argparse.Namespace
) -> int:
    stdout = sys.stdout.buffer
    worst: int = Exit.OK
    for n, stream in enumerate(streams):
        if n:
            _write(stdout, SEPARATOR)
        code, stopped = await _resume_one(writer, stream, args, stdout)
        worst = max(worst, code)
        if stopped:  # Ctrl-C: the user wants the rest left alone too
            break
    return worst


async def _resume_one(
    writer: CacheWriter, stream: StreamRecord, args: argparse.Namespace, stdout: BinaryIO
) -> tuple[int, bool]:
    from desktop.commands.ask_output import Notices
    from desktop.connection import token_for_server
    from desktop.protocol.events import Token
    from desktop.store.recorder import AnswerRecorder
    from desktop.streaming.config import ClientConfig, make_client
    from desktop.streaming.session import AnswerSession
    from desktop.streaming.source import ReconnectingEventSource

    _write(stdout, stream.text.encode())
    written = len(stream.text)  # characters of this answer on stdout, for a reset's notice
    if stream.state in SETTLED_EXIT:
        return SETTLED_EXIT[stream.state], False
    if stream.state != AnswerStatus.INTERRUPTED:
        err(
            f"assist-desktop: stream {stream.message_id} is being recorded by process "
            f"{stream.owner_pid}; not resuming it twice"
        )
        return Exit.USAGE, False
    if not stream.resumable:
        why = "its server has no resume" if stream.protocol != "assist" else "it never started"
        err(f"assist-desktop: answer {stream.message_id} cannot be resumed: {why}")
        return Exit.REJECTED, False

    def write_tokens(event: StreamEvent, _stamp: float) -> None:
        nonlocal written
        if isinstance(event, Token):
            _write(stdout, event.content.encode())
            written += len(event.content)

    notices = Notices(sys.stderr, lambda: written, program=PROGRAM)

    try:
        config = ClientConfig(
            stream.server_url,
            token=token_for_server(stream.server_url, token=args.token),
            idle_timeout=args.idle_timeout,
            max_attempts=args.max_attempts,
            ca_file=args.ca_file,
        )
    except ValueError as exc:
        err(f"assist-desktop: answer {stream.message_id} cannot be resumed: {exc}")
        return Exit.REJECTED, False
    recorder = AnswerRecorder.attach(writer, stream.message_id)
    async with make_client(config) as client:
        source = ReconnectingEventSource(
            client, config, stream_id=stream.stream_id, last_event_id=stream.last_event_id
        )
        session = AnswerSession(source, [recorder, write_tokens, notices])
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGINT, session.stop)
        try:
            outcome = await session.run()
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGINT)
            recorder.close()
    if outcome.message:
        err(f"assist-desktop: answer {stream.message_id}: {outcome.message}")
    return outcome.exit_code, outcome.kind == "stopped"


def _write(stdout: BinaryIO, data: bytes) -> None:
    try:
        stdout.write(data)
        stdout.flush()
    except BrokenPipeError:  # the reader went away; the cache still gets the whole answer
        pass
