"""Opening the answer cache for a command: ``--db``, clear messages, exit code 2 on trouble."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_db_option(parser: argparse.ArgumentParser, *, top_level: bool = True) -> None:
    """``--db PATH``; given on a sub-subcommand too without the later default erasing it."""
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=None if top_level else argparse.SUPPRESS,
        help="the cache file (default: cache.sqlite3 in the user data directory)",
    )


def db_path_of(args: argparse.Namespace) -> Path:
    from desktop.store.paths import default_db_path

    chosen: Path | None = getattr(args, "db", None)
    return chosen.expanduser() if chosen is not None else default_db_path()


def out(line: str) -> None:
    """One line on stdout (the data a script reads)."""
    sys.stdout.write(line + "\n")


def err(line: str) -> None:
    """One line on stderr (diagnostics, never mixed into the data)."""
    sys.stderr.write(line + "\n")


def report_notice(notice: str | None) -> None:
    if notice:
        err(f"assist-desktop: {notice}")
