"""A cached conversation as a model: its turns and answers, in their recorded status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.conversation.model import Answer, Conversation, Turn
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import Thinking, ToolUse

if TYPE_CHECKING:  # records arrive from the store, which the window loads after it paints
    from desktop.store.records import ConversationRecord, MessageRecord


def conversation_of(record: ConversationRecord) -> tuple[Conversation, dict[int, Answer]]:
    """The conversation ``record`` holds, and its answers by message id.

    A crash left an answer ``streaming``; to the reader it is interrupted until it is resumed.
    """
    turns: list[Turn] = []
    answers: dict[int, Answer] = {}
    for message in record.messages:
        if message.role == "user":
            turns.append(Turn(message.text))
        elif message.role == "assistant":
            if not turns:  # an answer whose question was not kept
                turns.append(Turn(""))
            answer = Answer(message.text, status_of(message))
            answer.cache_id = message.id
            for event_record in message.events:
                event = event_record.to_event()
                if isinstance(event, Thinking):
                    answer.thinking.append(event)
                elif isinstance(event, ToolUse):
                    answer.tools[event.call_id] = event
            turn = turns[-1]
            turn.answers.append(answer)
            if message.chosen:
                turn.shown = len(turn.answers) - 1
            answers[message.id] = answer
    return Conversation(record.id, turns), answers


def status_of(message: MessageRecord) -> AnswerStatus:
    """The recorded status of an answer (its stream's, when it was streamed)."""
    state = message.stream.state if message.stream is not None else message.state
    status = AnswerStatus(state) if state in set(AnswerStatus) else AnswerStatus.DONE
    return AnswerStatus.INTERRUPTED if status is AnswerStatus.STREAMING else status
