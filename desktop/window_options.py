"""The window's command-line options, Qt-free so that ``assist-desktop --help`` can list them."""

from __future__ import annotations

import argparse

from desktop.commands.arguments import add_ca_file_option, server_url
from desktop.protocol.backend_protocols import PROTOCOLS
from desktop.settings import THEMES


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
    parser.add_argument("--size", metavar="WxH", help="window size, e.g. 1100x760")
    parser.add_argument(
        "--db", metavar="PATH", help="answer cache file (default: the user's data directory)"
    )
    return parser
