"""The window's command-line options, Qt-free so that ``assist-desktop --help`` can list them.

The parser makes a typed, frozen :class:`WindowOptions`: the app reads named fields that mypy
checks, never an argparse namespace, and nothing changes them after start-up.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.commands.arguments import add_ca_file_option, server_url
from desktop.protocol.backend_protocols import PROTOCOLS, BackendProtocol
from desktop.settings import THEMES, Theme


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assist-desktop", description="Open the window.")
    parser.add_argument(
        "--server", metavar="URL", type=server_url, help="server base URL (default: the profile)"
    )
    parser.add_argument("--token", help="bearer token (default: keyring, then $ASSIST_TOKEN)")
    parser.add_argument("--protocol", choices=PROTOCOLS, help="backend protocol of --server")
    add_ca_file_option(parser)
    parser.add_argument("--model", help="model to ask for")
    parser.add_argument(
        "--ask",
        metavar="MESSAGE",
        action="append",
        help="send MESSAGE when the window opens; repeat it for several conversations at once",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        help="save a PNG when the answers end (it shows the last --ask's conversation)",
    )
    parser.add_argument(
        "--quit-when-done",
        action="store_true",
        help="quit when every answer has ended, with the worst one's exit code (as ask's); "
        "questions queued while the server cannot be reached are waited for, and a server "
        "that stays unreachable ends with 4 (gave up)",
    )
    parser.add_argument(
        "--max-attempts",
        type=attempts,
        metavar="N",
        help="tries without progress before an answer gives up (default 8, as ask's); with "
        "--quit-when-done also the health probes an unreachable server gets before the run ends",
    )
    parser.add_argument("--theme", choices=THEMES, help="override the theme for this run")
    parser.add_argument("--lang", choices=("de", "en"), help="override the language for this run")
    parser.add_argument("--settings", metavar="PATH", help="settings file (default: config dir)")
    parser.add_argument(
        "--token-rate", type=float, metavar="N", help="embedded demo: tokens per second"
    )
    parser.add_argument(
        "--fault",
        metavar="SPEC",
        help="developer: ask the embedded demo for a fault on every request, e.g. drop_after:40",
    )
    parser.add_argument(
        "--size", metavar="WxH", type=window_size, help="window size, e.g. 1100x760"
    )
    parser.add_argument(
        "--db", metavar="PATH", help="answer cache file (default: the user's data directory)"
    )
    return parser


def attempts(text: str) -> int:
    """An argparse ``type=``: a count of tries, at least 1."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number: {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"at least one try is needed: {text!r}")
    return count


def window_size(text: str) -> tuple[int, int]:
    """An argparse ``type=``: ``WIDTHxHEIGHT`` in pixels, or a usage error saying why not."""
    width, _, height = text.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, e.g. 1100x760: {text!r}"
        ) from None
    if min(size) < 1:
        raise argparse.ArgumentTypeError(f"the width and height must be positive: {text!r}")
    return size


@dataclass(frozen=True, slots=True)
class WindowOptions:
    """One run's command line. Empty fields mean "what the settings say"."""

    server: str | None = None
    token: str | None = None
    protocol: BackendProtocol | None = None
    ca_file: str | None = None
    model: str | None = None
    #: One new conversation per message, all streaming at once.
    asks: tuple[str, ...] = ()
    screenshot: Path | None = None
    quit_when_done: bool = False
    #: ``None``: the client's default.
    max_attempts: int | None = None
    theme: Theme | None = None
    lang: str | None = None
    settings: Path | None = None
    token_rate: float | None = None
    fault: str | None = None
    size: tuple[int, int] | None = None
    db: Path | None = None

    @classmethod
    def parse(cls, argv: Sequence[str]) -> WindowOptions:
        """Parse ``argv``; a usage error exits 2 with argparse's message, as ``--help`` exits 0."""
        args = build_parser().parse_args(list(argv))

        def path(value: str | None) -> Path | None:
            return Path(value).expanduser() if value else None

        return cls(
            server=args.server,
            token=args.token,
            protocol=args.protocol,
            ca_file=args.ca_file,
            model=args.model,
            asks=tuple(args.ask or ()),
            screenshot=path(args.screenshot),
            quit_when_done=args.quit_when_done,
            max_attempts=args.max_attempts,
            theme=args.theme,
            lang=args.lang,
            settings=path(args.settings),
            token_rate=args.token_rate,
            fault=args.fault,
            size=args.size,
            db=path(args.db),
        )
