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
