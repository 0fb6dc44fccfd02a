"""``assist-desktop history``: review the answer cache from a terminal, no server needed.

``list``, ``show ID``, ``search QUERY``, ``export [ID | --all]`` and ``import --server URL``
(an nscale-assist account's history, copied in). A conversation id may be
shortened to any unique prefix (``list`` shows eight characters). ``--json`` gives scripts
the same data as the window has; ``export`` writes Markdown, JSON (every event) or one
self-contained HTML file, to stdout unless ``--output`` names a file.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from desktop.commands.arguments import server_url
from desktop.commands.cache_access import (
    add_db_option,
    db_path_of,
    err,
    out,
    report_notice,
)
from desktop.exit_codes import Exit

ID_WIDTH: Final = 8
ANSI_BOLD: Final = ("\x1b[1m", "\x1b[0m")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "history",
        help="review cached conversations offline",
        description="Review the local answer cache: list, show, search and export.",
    )
    add_db_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="conversations, pinned first, newest first")
    listing.add_argument("--deleted", action="store_true", help="include deleted ones")
    listing.add_argument("--limit", type=int, default=None, help="at most N conversations")

    show = actions.add_parser("show", help="one conversation as a transcript")
    show.add_argument("id", metavar="ID", help="conversation id or a unique prefix of it")

    search = actions.add_parser("search", help="full-text search over all messages")
    search.add_argument("query", nargs="+", metavar="QUERY", help="words that must all occur")
    search.add_argument("--limit", type=int, default=50, help="at most N hits (50)")
    search.add_argument("--newest", action="store_true", help="newest first, not best first")

    export = actions.add_parser("export", help="write conversations as md, json or html")
    export.add_argument("id", nargs="?", metavar="ID", help="conversation id or prefix")
    export.add_argument("--all", action="store_true", help="every conversation")
    export.add_argument("--format", choices=("md", "json", "html"), default="md")
    export.add_argument("--output", type=Path, metavar="FILE", help="write here, not stdout")

    imported = actions.add_parser(
        "import",
        help="copy an nscale-assist server's chat history into the cache",
        description="Copy the conversations of your nscale-assist account (GET /api/sessions) "
        "into the local cache, to read and search them offline. Importing again updates them.",
    )
    imported.add_argument("--server", type=server_url, required=True, metavar="URL")
    imported.add_argument("--token", help="bearer token (default: $ASSIST_TOKEN)")

    for action in (listing, show, search):
        action.add_argument("--json", action="store_true", help="machine-readable output")
    for action in (listing, show, search, export, imported):
        add_db_option(action, top_level=False)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run one ``history`` action; 0 on success, 2 for a bad id or an unusable cache."""
    from desktop.store.errors import CacheError
    from desktop.store.repository import CacheRepository

    if args.action == "import":
        from desktop.commands import history_import

        return history_import.run(args)
    if args.action == "export" and bool(args.id) == bool(args.all):
        err("assist-desktop history export: give an ID or --all (not both)")
        return Exit.USAGE
    path = db_path_of(args)
    if not path.exists():
        err(f"assist-desktop: no answer cache at {path} yet")
        if args.action in ("list", "search"):
            if args.json:
                _print_json([])
            return Exit.OK
        return Exit.USAGE
    try:
        with CacheRepository.open(path) as repository:
            report_notice(repository.opened.notice)
            handler = _ACTIONS[args.action]
            return handler(repository, args)
    except CacheError as exc:
        err(f"assist-desktop: {exc}")
        return Exit.USAGE


def _list(repository: Any, args: argparse.Namespace) -> int:
    conversations = repository.list_conversations(include_deleted=args.deleted, limit=args.limit)
    if args.json:
        _print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "created": _iso(c.created),
                    "updated": _iso(c.updated),
                    "pinned": c.pinned,
                    "deleted": c.deleted_at is not None,
                    "messages": c.message_count,
                }
                for c in conversations
            ]
        )
        return Exit.OK
    for c in conversations:
        marks = ("*" if c.pinned else " ") + ("x" if c.deleted_at is not None else " ")
        out(f"{c.id[:ID_WIDTH]}  {_local(c.updated)}  {c.message_count:4d} {marks} {c.title}")
    return Exit.OK


def _show(repository: Any, args: argparse.Namespace) -> int:
    from desktop.store.export import conversation_json, to_markdown

    conversation = repository.get_conversation(repository.resolve_conversation_id(args.id))
    if args.json:
        _print_json(conversation_json(conversation))
    else:
        sys.stdout.write(to_markdown([conversation]))
    return Exit.OK


def _search(repository: Any, args: argparse.Namespace) -> int:
    marks = ANSI_BOLD if sys.stdout.isatty() and not args.json else ("[", "]")
    hits = repository.search(
        " ".join(args.query),
        limit=args.limit,
        before=marks[0],
        after=marks[1],
        newest_first=args.newest,
    )
    if args.json:
        _print_json(
            [
                {
                    "conversation_id": h.conversation_id,
                    "conversation_title": h.conversation_title,
                    "message_id": h.message_id,
                    "role": h.role,
                    "created": _iso(h.created),
                    "snippet": h.snippet,
                }
                for h in hits
            ]
        )
        return Exit.OK
    for h in hits:
        out(f"{h.conversation_id[:ID_WIDTH]}  #{h.message_id}  {h.conversation_title}")
        out(f"    {' '.join(h.snippet.split())}")
    return Exit.OK


def _export(repository: Any, args: argparse.Namespace) -> int:
    from desktop.store.export import FORMATS

    if args.all:
        conversations = list(repository.all_conversations())
    else:
        conversations = [repository.get_conversation(repository.resolve_conversation_id(args.id))]
    document: str = FORMATS[args.format](conversations)
    if args.output is None:
        sys.stdout.write(document)
    else:
        try:
            args.output.write_text(document, encoding="utf-8")
        except OSError as exc:
            err(f"assist-desktop: cannot write {args.output}: {exc.strerror}")
            return Exit.USAGE
        err(f"wrote {len(conversations)} conversation(s) to {args.output}")
    return Exit.OK


_ACTIONS: Final = {"list": _list, "show": _show, "search": _search, "export": _export}


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _iso(timestamp: float) -> str:
    from desktop.store.export import iso

    return iso(timestamp) or ""


def _local(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
