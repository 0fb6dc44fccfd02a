"""The status of one answer: the single vocabulary of the store, the commands and the window.

A ``StrEnum`` whose values are the strings the cache has always stored, so old cache files read
as they are and a status compares equal to its stored text.
"""

from __future__ import annotations

from enum import StrEnum


class AnswerStatus(StrEnum):
    """Where an answer stands.

    Attributes:
        STREAMING: events are still arriving (or a crash left it so: the cache offers Resume).
        DONE: complete.
        STOPPED: the user stopped it; the text so far is kept.
        INTERRUPTED: cut short by the network or an expired stream; a resume may continue it.
        FAILED: the server refused or ended it with an error no retry can change.
    """

    STREAMING = "streaming"
    DONE = "done"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"
    FAILED = "failed"

    @property
    def settled(self) -> bool:
        """Whether nothing more will arrive for this answer without the user asking again."""
        return self is not AnswerStatus.STREAMING
