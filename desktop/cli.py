"""The ``assist-desktop`` command line: the GUI by default, subcommands for headless work.

Each subcommand lives in its own module under ``desktop.commands`` and contributes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit code. Imports stay lazy so that ``ask`` never loads Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.exit_codes import Exit

#: Subcommand modules under ``desktop.commands``, in help order.
COMMANDS = ("ask", "serve", "resume", "history", "metrics", "login")
_PARSER_FLAGS = ("-h", "--help", "--version")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assist-desktop",
        description="Desktop client for streamed assistant answers. "
        "Without a command, opens the window.",
        epilog=_window_options_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"desktop.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"desktop.commands.{name}":
                raise
            continue  # a command that this build does not ship
        module.register(subparsers)
    return parser


def _window_options_help() -> str:
    """The window's options, as its own parser lists them (``assist-desktop [OPTIONS]``)."""
    from desktop.window_options import build_parser as window_parser

    listing = window_parser().format_help()
    _, _, options = listing.partition("options:\n")
    lines = [line for line in options.splitlines() if not line.startswith("  -h, --help")]
    return "window options (without a command):\n" + "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in _PARSER_FLAGS):
        # No subcommand: the window, with its own options (--server, --ask, ...).
        gui = importlib.import_module("desktop.app")
        gui_code: int = gui.main(args_list)
        return gui_code
    parser = build_parser()
    args = parser.parse_args(args_list)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return Exit.USAGE
    code: int = handler(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
