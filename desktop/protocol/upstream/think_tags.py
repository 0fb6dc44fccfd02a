"""Reasoning that arrives inside the answer text, between ``<think>`` and ``</think>``.

DeepSeek-R1, QwQ and other reasoning models served without a reasoning parser (plain llama.cpp,
older Ollama, many OpenAI-compatible servers) start their ``content`` with a ``<think>`` block.
Shown as answer text it would bury the answer; this splitter turns it into thinking, for the
server's upstream backends and the client's direct adapters alike. Tags may be cut anywhere
between chunks, so a possible tag prefix is held back until the next chunk decides it. Only a
block at the very start counts: a ``<think>`` later in an answer is text.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

OPEN: Final = "<think>"
CLOSE: Final = "</think>"

Part: TypeAlias = tuple[Literal["thinking", "answer"], str]
_State: TypeAlias = Literal["start", "thinking", "after", "answer"]


class ThinkTagSplitter:
    """Splits one answer's content chunks into thinking and answer parts."""

    def __init__(self) -> None:
        self._state: _State = "start"
        self._held = ""

    def feed(self, text: str) -> list[Part]:
        """The parts ``text`` completes, in order (possibly none while a tag may be forming)."""
        if self._state == "answer":
            return [("answer", text)] if text else []
        self._held += text
        parts: list[Part] = []
        while self._held:
            if self._state == "start":
                head = self._held.lstrip()
                if not head or (OPEN.startswith(head) and head != OPEN):
                    break  # undecided until more arrives
                if head.startswith(OPEN):
                    self._state, self._held = "thinking", head[len(OPEN) :]
                else:
                    self._state = "answer"
            elif self._state == "thinking":
                end = self._held.find(CLOSE)
                if end >= 0:
                    if end:
                        parts.append(("thinking", self._held[:end]))
                    self._state, self._held = "after", self._held[end + len(CLOSE) :]
                    continue
                keep = _partial_suffix(self._held, CLOSE)
                ready = self._held[: len(self._held) - keep]
                if ready:
                    parts.append(("thinking", ready))
                self._held = self._held[len(ready) :]
                break
            elif self._state == "after":  # the blank lines between the block and the answer
                self._held = self._held.lstrip()
                if self._held:
                    self._state = "answer"
            else:
                parts.append(("answer", self._held))
                self._held = ""
        return parts

    def close(self) -> list[Part]:
        """What is still held when the content ends."""
        held, self._held = self._held, ""
        if not held:
            return []
        if self._state == "thinking":
            return [("thinking", held)]
        if self._state == "after":
            return []
        return [("answer", held)]


def _partial_suffix(text: str, tag: str) -> int:
    """The length of the longest end of ``text`` that could be the start of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
