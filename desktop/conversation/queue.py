"""Questions asked while the server cannot be reached: what waits, in which conversation, in
which order, and the user's edits and cancellations. No Qt, no I/O.

The queue is the model; the window shows it and the cache keeps it (``store.queued_rows``),
both through its emitters. Questions go out oldest first, one conversation's in the order they
were asked; a question that meets an unreachable server again is put back in its old place.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator

from desktop.conversation.emitter import Emitter
from desktop.store.records import QueuedKind, QueuedQuestion

__all__ = ["QuestionQueue", "QueuedKind", "QueuedQuestion"]


class QuestionQueue:
    """The questions waiting for the server.

    Attributes:
        added: a question joined the queue (also one put back after another failed try).
        edited: a question's text changed (the new :class:`QueuedQuestion`).
        removed: a question left the queue: cancelled, or taken to be sent.
    """

    def __init__(
        self,
        questions: Iterable[QueuedQuestion] = (),
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self._questions: dict[str, QueuedQuestion] = {}
        self.added: Emitter[QueuedQuestion] = Emitter()
        self.edited: Emitter[QueuedQuestion] = Emitter()
        self.removed: Emitter[QueuedQuestion] = Emitter()
        for question in questions:
            self._questions[question.id] = question

    def __len__(self) -> int:
        return len(self._questions)

    def __iter__(self) -> Iterator[QueuedQuestion]:
        """Oldest first."""
        return iter(sorted(self._questions.values(), key=lambda q: (q.queued_at, q.id)))

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._questions

    def get(self, question_id: str) -> QueuedQuestion:
        """Raises ``KeyError`` for a question no longer queued (sent or cancelled meanwhile)."""
        return self._questions[question_id]

    def of_conversation(self, conversation_id: str) -> tuple[QueuedQuestion, ...]:
        return tuple(q for q in self if q.conversation_id == conversation_id)

    def add(self, conversation_id: str, text: str, kind: QueuedKind = "ask") -> QueuedQuestion:
        """Queue ``text`` in ``conversation_id``, after everything queued so far."""
        question = QueuedQuestion(
            uuid.uuid4().hex, conversation_id, _checked(text), self._next_stamp(), kind
        )
        return self.put_back(question)

    def put_back(self, question: QueuedQuestion) -> QueuedQuestion:
        """Queue ``question`` again in its old place (its first try found no server)."""
        self._questions[question.id] = question
        self.added.emit(question)
        return question

    def edit(self, question_id: str, text: str) -> QueuedQuestion:
        """Change a queued question's text; it keeps its place.

        Raises:
            KeyError: it is no longer queued.
            ValueError: ``text`` is blank (cancel the question instead), or the question is a
                regenerate (it asks the conversation's last question again, as it stands).
        """
        old = self._questions[question_id]
        if old.kind == "regenerate":
            raise ValueError("a queued regenerate has no text of its own; cancel it instead")
        question = QueuedQuestion(
            question_id, old.conversation_id, _checked(text), old.queued_at, old.kind
        )
        self._questions[question_id] = question
        self.edited.emit(question)
        return question

    def cancel(self, question_id: str) -> QueuedQuestion | None:
        """Drop a question; ``None`` if it is no longer queued (it went out meanwhile)."""
        return self._remove(question_id)

    def take(self, *, skip: Iterable[str] = ()) -> QueuedQuestion | None:
        """Remove and return the oldest question of a conversation not in ``skip`` (those
        already have an answer running: their next question must wait for it)."""
        busy = set(skip)
        for question in self:
            if question.conversation_id not in busy:
                return self._remove(question.id)
        return None

    def _remove(self, question_id: str) -> QueuedQuestion | None:
        question = self._questions.pop(question_id, None)
        if question is not None:
            self.removed.emit(question)
        return question

    def _next_stamp(self) -> float:
        # Strictly after the last one, so the order holds even within one clock tick.
        latest = max((q.queued_at for q in self._questions.values()), default=0.0)
        return max(self._clock(), latest + 1e-6)


def _checked(text: str) -> str:
    if not text.strip():
        raise ValueError("a queued question needs text; cancel it to drop it")
    return text
