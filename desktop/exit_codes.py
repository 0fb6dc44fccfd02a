"""The exit statuses of every ``assist-desktop`` command and of the window: one enum, one home.

``--help`` and ARCHITECTURE.md describe these numbers; scripts depend on them, so a value never
changes meaning. An ``IntEnum`` so it goes straight to ``sys.exit`` and compares with ints.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Exit(enum.IntEnum):
    """How a command ended.

    Attributes:
        OK: the answer is complete (or the command did what it was asked).
        USAGE: a usage or configuration error (bad flag, bad address, unreadable cache).
        REJECTED: the server refused in a way retrying cannot change (a non-retryable HTTP
            status, not an event stream).
        GAVE_UP: reconnecting failed after every attempt.
        FAILED: the server ended the stream with an error it cannot resume from.
        INTERRUPTED: the answer was cut short: stopped by the user (Ctrl-C, closed stdout) or
            its connection lost where the backend cannot continue it.
    """

    OK = 0
    USAGE = 2
    REJECTED = 3
    GAVE_UP = 4
    FAILED = 5
    INTERRUPTED = 130


#: From the worst to the best, for a run with several answers (the window's repeated
#: ``--ask``): a usage error or a refusal needs someone to change something, a failure or a
#: given-up connection may pass when tried again, an interruption still left text.
SEVERITY: tuple[Exit, ...] = (
    Exit.USAGE,
    Exit.REJECTED,
    Exit.FAILED,
    Exit.GAVE_UP,
    Exit.INTERRUPTED,
    Exit.OK,
)


def worst(codes: Iterable[Exit]) -> Exit:
    """The worst of ``codes`` by :data:`SEVERITY` (``OK`` when there are none)."""
    return min(codes, key=SEVERITY.index, default=Exit.OK)
