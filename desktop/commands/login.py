"""``assist-desktop login`` and ``logout``: a server's own login, kept in the system keyring.

``login --server URL [--email E] [--password-stdin]`` posts the credentials to the server's
``/api/auth/login`` (nscale-assist, or our gateway in front of it), stores the token it answers
in the keyring under the server's address, and says who is logged in until when. ``ask``,
``resume`` and the window then use that token until it expires. The password is read from the
terminal without echo (or the first line of stdin), sent once, and forgotten.

Exit codes: 0 logged in (or out); 2 usage; 3 the server refused the credentials or the
certificate; 4 the server could not be reached; 5 no keyring to keep the login in.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from datetime import datetime
from typing import Any

from desktop.commands.arguments import add_ca_file_option, server_url
from desktop.exit_codes import Exit


def register(subparsers: Any) -> None:
    login = subparsers.add_parser(
        "login",
        help="log in to a server and keep its token in the system keyring",
        description="Log in to a server that has its own login (nscale-assist, or the gateway "
        "in front of it) and keep the token in the system keyring; the password is never "
        "stored. Exit codes: 0 logged in, 2 usage, 3 refused, 4 unreachable, 5 no keyring.",
    )
    login.add_argument("--server", required=True, type=server_url, metavar="URL")
    login.add_argument("--email", metavar="E", help="the account (default: ask)")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of asking",
    )
    add_ca_file_option(login)
    login.set_defaults(handler=run_login)
    logout = subparsers.add_parser(
        "logout",
        help="forget the token a login kept for a server",
        description="Remove the token that 'login' kept for the server from the system keyring.",
    )
    logout.add_argument("--server", required=True, type=server_url, metavar="URL")
    logout.set_defaults(handler=run_logout)


def _say(message: str, command: str = "login") -> None:
    sys.stderr.write(f"assist-desktop {command}: {message}\n")


def run_login(args: argparse.Namespace) -> int:
    """Ask for what is missing, log in once, keep the token; returns the exit code."""
    logging.basicConfig(level=os.environ.get("ASSIST_LOG", "WARNING"))
    email = args.email
    if args.password_stdin and not email:
        _say("error: --password-stdin needs --email (stdin holds the password)")
        return Exit.USAGE
    try:
        if not email:
            sys.stderr.write("E-mail: ")
            sys.stderr.flush()
            email = sys.stdin.readline().strip()
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"Password for {email} at {args.server}: ")
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")
        _say("login cancelled")
        return Exit.USAGE
    if not email or not password:
        # nscale-assist tries a built-in password when it gets an empty one: never send that.
        _say("error: an e-mail address and a password are needed")
        return Exit.USAGE
    return asyncio.run(_log_in(args.server, args.ca_file, email, password))


async def _log_in(server: str, ca_file: str | None, email: str, password: str) -> int:
    from desktop.credentials import TokenStoreUnavailable, save_token, server_key
    from desktop.streaming.config import ClientConfig, make_client
    from desktop.streaming.login import LoginError, log_in

    config = ClientConfig(server, ca_file=ca_file)
    async with make_client(config) as client:
        try:
            login = await log_in(client, config, email, password)
        except LoginError as error:
            _say(f"login refused: {error.message}" if error.kind == "refused" else error.message)
            return Exit.GAVE_UP if error.kind == "unreachable" else Exit.REJECTED
    try:
        save_token(server_key(server), login.token)
    except TokenStoreUnavailable as exc:
        _say(f"logged in, but the login cannot be kept: {exc}")
        return Exit.FAILED
    who = login.user or email
    until = f" until {_local(login.expires_at)}" if login.expires_at else ""
    sys.stdout.write(f"Logged in to {config.root} as {who}{until}.\n")
    return Exit.OK


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")


def run_logout(args: argparse.Namespace) -> int:
    from desktop.credentials import (
        TokenStoreUnavailable,
        load_token,
        save_token,
        server_key,
    )

    key = server_key(args.server)
    had_login = load_token(key) is not None
    try:
        save_token(key, None)
    except TokenStoreUnavailable as exc:
        _say(str(exc), "logout")
        return Exit.FAILED
    root = args.server.rstrip("/")
    sys.stdout.write(
        f"Logged out of {root}.\n" if had_login else f"There was no login for {root}.\n"
    )
    return Exit.OK
