"""Argument types shared by the command line and the window's options."""

from __future__ import annotations

import argparse


def server_url(text: str) -> str:
    """An argparse ``type=``: a server address, or a usage error (exit 2) saying why not."""
    from desktop.streaming.config import check_server_url

    try:
        return check_server_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ca_file(text: str) -> str:
    """An argparse ``type=``: a PEM file of trusted certificate authorities, checked at once."""
    from desktop.tls import tls_context

    try:
        tls_context(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_ca_file_option(parser: argparse.ArgumentParser) -> None:
    """``--ca-file``, on every command that connects to a server."""
    parser.add_argument(
        "--ca-file",
        type=ca_file,
        metavar="PEM",
        help="also trust the certificate authorities in this PEM file (an intranet's own CA); "
        "the system's trust store is always used",
    )
