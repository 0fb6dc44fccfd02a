"""The conversation as it was asked and answered: Qt-free, followed by its views.

A :class:`Conversation` holds :class:`Turn` objects (a question and its answers); an
:class:`Answer` is fed the session's events as one of its sinks and announces what changed.
The next request's history, regenerate, undo and a cached conversation reopened all work
here, never on widgets.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from desktop.conversation.emitter import Emitter
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Reset, StreamEvent, Thinking, Token, ToolUse
from desktop.protocol.request import ChatRequest, HistoryItem

#: Items of earlier conversation a request carries (the newest ones).
HISTORY_LIMIT: Final = 40


@dataclass(frozen=True, slots=True)
class AnswerEnded:
    """How an answer ended, for views: its status and a note for the reader."""

    status: AnswerStatus
    note: str = ""


class AnswerEvents:
    """What an :class:`Answer` announces."""

    __slots__ = (
        "ended",
        "reopened",
        "restarted",
        "text_appended",
        "thinking_added",
        "tool_changed",
    )

    def __init__(self) -> None:
        self.text_appended: Emitter[str] = Emitter()
        #: The server started the answer over (a ``reset``): the text so far is gone.
        self.restarted: Emitter[None] = Emitter()
        self.thinking_added: Emitter[Thinking] = Emitter()
        self.tool_changed: Emitter[ToolUse] = Emitter()
        self.ended: Emitter[AnswerEnded] = Emitter()
        self.reopened: Emitter[None] = Emitter()


class Answer:
    """One answer: its text, reasoning and tool calls as applied, and its status.

    Call it as a session sink (``answer(event, at)``); views connect to :attr:`events`.
    """

    def __init__(self, text: str = "", status: AnswerStatus = AnswerStatus.STREAMING) -> None:
        self._parts: list[str] = [text] if text else []
        self.thinking: list[Thinking] = []
        self.tools: dict[str, ToolUse] = {}
        self.status = status
        self.note = ""
        self.events = AnswerEvents()
        #: Its message id in the cache, once known (to remember which alternative is shown).
        self.cache_id: int | None = None

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def __call__(self, event: StreamEvent, _at: float) -> None:
        self.apply(event)

    def apply(self, event: StreamEvent) -> None:
        """Take one applied event of the stream (the session has checked it once)."""
        if isinstance(event, Token):
            self._parts.append(event.content)
            self.events.text_appended.emit(event.content)
        elif isinstance(event, Thinking):
            self.thinking.append(event)
            self.events.thinking_added.emit(event)
        elif isinstance(event, ToolUse):
            self.tools[event.call_id] = event
            self.events.tool_changed.emit(event)
        elif isinstance(event, Reset):  # the answer is the tokens after the last reset
            self._parts.clear()
            self.events.restarted.emit(None)

    def end(self, status: AnswerStatus, note: str = "") -> None:
        self.status = status
        self.note = note
        self.events.ended.emit(AnswerEnded(status, note))

    def reopen(self) -> None:
        """It continues (a Retry, a cached answer resumed): streaming again, text kept."""
        self.status = AnswerStatus.STREAMING
        self.note = ""
        self.events.reopened.emit(None)


@dataclass(eq=False)
class Turn:
    """A question and its answers; a regenerated answer keeps the earlier ones (alternatives).

    ``shown`` is the index of the answer the reader chose: the newest unless they switched
    back. ``chosen`` announces a switch (views show that answer, the cache remembers it).
    """

    question: str
    answers: list[Answer] = field(default_factory=list)
    shown: int = -1
    chosen: Emitter[Answer] = field(default_factory=Emitter, repr=False)

    @property
    def answer(self) -> Answer | None:
        """The answer shown now."""
        if not self.answers:
            return None
        return self.answers[
            self.shown if -len(self.answers) <= self.shown < len(self.answers) else -1
        ]

    @property
    def shown_index(self) -> int:
        """The shown answer's place among the alternatives, from 0."""
        return self.shown % len(self.answers) if self.answers else 0

    def choose(self, index: int) -> Answer:
        """Show the alternative at ``index`` (from 0).

        Raises:
            IndexError: no alternative there.
        """
        if not 0 <= index < len(self.answers):
            raise IndexError(f"no answer {index + 1} of {len(self.answers)}")
        self.shown = index
        answer = self.answers[index]
        self.chosen.emit(answer)
        return answer


class ConversationEvents:
    """What a :class:`Conversation` announces."""

    __slots__ = ("answer_added", "turn_added")

    def __init__(self) -> None:
        self.turn_added: Emitter[Turn] = Emitter()
        self.answer_added: Emitter[tuple[Turn, Answer]] = Emitter()


class Conversation:
    """The turns of one conversation, in order, under the id its server and cache know.

    Args:
        conversation_id: a cached conversation's id; a new one gets a fresh UUID.
        turns: turns already asked (a cached conversation reopened).
    """

    def __init__(self, conversation_id: str | None = None, turns: Iterable[Turn] = ()) -> None:
        self.id = conversation_id or str(uuid.uuid4())
        self.turns: list[Turn] = list(turns)
        self.events = ConversationEvents()

    @property
    def last_turn(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    @property
    def last_answer(self) -> Answer | None:
        turn = self.last_turn
        return turn.answer if turn is not None else None

    def ask(self, question: str) -> tuple[ChatRequest, Answer]:
        """Add a turn for ``question`` with a new answer; the request carries the history."""
        history = self.history()
        turn = Turn(question)
        self.turns.append(turn)
        self.events.turn_added.emit(turn)
        return ChatRequest(question, self.id, history), self._new_answer(turn)

    def regenerate(self) -> tuple[ChatRequest, Answer] | None:
        """A new answer to the last question, with the history before it; ``None`` if none.

        The earlier answers stay in the turn as alternatives; the newest is the one shown and
        the one later requests carry.
        """
        turn = self.last_turn
        if turn is None:
            return None
        history = self.history(before=len(self.turns) - 1)
        return ChatRequest(turn.question, self.id, history), self._new_answer(turn)

    def edit_last(self, question: str) -> tuple[ChatRequest, Answer]:
        """Ask ``question`` in place of the last one: a new turn replaces the last turn.

        The user corrected what they asked, so the server must not see the old question (nor
        its answer) in the history; the cache replaces the old exchange too (what the user
        sees is what a reopened conversation, search and exports show).
        """
        if self.turns:
            self.turns.pop()
        return self.ask(question)

    def withdraw_last(self) -> Turn | None:
        """Take back the last turn if its only answer is still empty: the question never
        reached a server and waits in the queue instead (see ``conversation.queue``)."""
        turn = self.last_turn
        if turn is None or len(turn.answers) != 1 or turn.answers[0].text:
            return None
        return self.turns.pop()

    def withdraw_last_answer(self) -> Answer | None:
        """Take back the last turn's newest answer if it is still empty and an earlier one
        remains: a regenerate that never reached a server (it waits in the queue). Returns the
        answer shown again, ``None`` if nothing was taken back."""
        turn = self.last_turn
        if turn is None or len(turn.answers) < 2 or turn.answers[-1].text:
            return None
        turn.answers.pop()
        turn.shown = -1
        return turn.answers[-1]

    def history(self, *, before: int | None = None) -> tuple[HistoryItem, ...]:
        """What a request sends as the conversation so far: questions and non-empty answers."""
        items: list[HistoryItem] = []
        for turn in self.turns[:before]:
            if turn.question:
                items.append(HistoryItem("user", turn.question))
            answer = turn.answer
            if answer is not None and answer.text:
                items.append(HistoryItem("assistant", answer.text))
        return tuple(items[-HISTORY_LIMIT:])

    def _new_answer(self, turn: Turn) -> Answer:
        answer = Answer()
        turn.answers.append(answer)
        turn.shown = -1
        self.events.answer_added.emit((turn, answer))
        return answer
