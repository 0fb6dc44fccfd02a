"""Scripted answers that stop half way until the test lets them go on.

Window tests that need two or three answers provably streaming at once hold each answer at a
gate after half its words: no timing decides what the test sees.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from servers.scripted_backend import Step, answer_words

from desktop.protocol.events import Done, Token, Usage
from desktop.protocol.request import ChatRequest


class HalfwayGates:
    """One gate per question: its answer of ``words`` words stops after half of them until
    :meth:`open` (the backend's script is :meth:`script`)."""

    def __init__(self, questions: Iterable[str], words: int) -> None:
        self.words = words
        self.half = words // 2
        self.by_question = {q: threading.Event() for q in questions}

    def script(self, request: ChatRequest, _attempt: int) -> list[Step]:
        gate = self.by_question[request.message]
        steps = [
            Step(Token(0, word, 0), gate=gate if i == self.half else None)
            for i, word in enumerate(answer_words(request, self.words))
        ]
        return [*steps, Step(Done(0, "stop", Usage(1, self.words)))]

    def open(self, question: str) -> None:
        self.by_question[question].set()

    def open_all(self) -> None:
        """Let every answer finish (also after a failed test, so no stream is left waiting)."""
        for gate in self.by_question.values():
            gate.set()
