"""Splits a growing Markdown text into finished blocks and an unfinished tail.

A block is finished when no later text can change how it renders: a paragraph or list once a
blank line follows it, a heading at its line end, a fenced code block at its closing fence. The
view renders each finished block once and freezes it, so only the short tail is ever redrawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")


@dataclass(slots=True)
class _Fence:
    char: str
    length: int


class BlockSplitter:
    """Feed text as it streams; take finished blocks out as they complete."""

    def __init__(self) -> None:
        self._tail = ""
        self._scanned = 0  # the tail up to here holds complete lines already classified
        self._fence: _Fence | None = None

    @property
    def tail(self) -> str:
        """The text of the unfinished block (possibly empty)."""
        return self._tail

    @property
    def in_code_fence(self) -> bool:
        """Whether the tail is inside an open fenced code block."""
        return self._fence is not None

    def feed(self, text: str) -> list[str]:
        """Append streamed text.

        Returns:
            The blocks that this text finished, in order (often none).
        """
        self._tail += text
        finished: list[str] = []
        block_start = 0
        pos = self._scanned
        while (end := self._tail.find("\n", pos)) != -1:
            line = self._tail[pos:end]
            line_end = end + 1
            if self._fence is not None:
                if _closes(line, self._fence):
                    self._fence = None
                    _take(finished, self._tail[block_start:line_end])
                    block_start = line_end
            elif not line.strip():
                _take(finished, self._tail[block_start:line_end])
                block_start = line_end
            elif match := _FENCE.match(line):
                _take(finished, self._tail[block_start:pos])
                block_start = pos
                marker = match.group(1)
                self._fence = _Fence(marker[0], len(marker))
            elif _HEADING.match(line):
                _take(finished, self._tail[block_start:pos])
                _take(finished, line + "\n")
                block_start = line_end
            pos = line_end
        self._tail = self._tail[block_start:]
        self._scanned = pos - block_start
        return finished

    def finish(self) -> list[str]:
        """End of the stream: whatever is left is a block too."""
        rest: list[str] = []
        _take(rest, self._tail)
        self._tail = ""
        self._scanned = 0
        self._fence = None
        return rest


def _closes(line: str, fence: _Fence) -> bool:
    stripped = line.strip()
    return (
        len(stripped) >= fence.length
        and set(stripped) == {fence.char}
        and len(line) - len(line.lstrip(" ")) <= 3
    )


def _take(blocks: list[str], text: str) -> None:
    if text.strip():
        blocks.append(text)
