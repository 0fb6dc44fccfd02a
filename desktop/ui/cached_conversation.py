"""A cached conversation rebuilt in the transcript exactly as it was streamed.

The same message views as a live answer show it: thinking and tool cards are rebuilt from the
recorded events (the ``token_events=False`` load leaves out the tokens, since the stored text
already holds them), the text goes through the same Markdown renderer, and the answer ends in
its recorded state (done, stopped, interrupted or failed) with a note saying so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.protocol.events import Thinking, ToolUse
from desktop.store.records import ConversationRecord, MessageRecord
from desktop.ui.message_view import AnswerState, AssistantMessageView, UserMessageView
from desktop.ui.transcript_view import TranscriptView

MessageView = UserMessageView | AssistantMessageView

#: The window's view state for each cached stream state.
VIEW_STATES = {
    "done": AnswerState.DONE,
    "stopped": AnswerState.STOPPED,
    "interrupted": AnswerState.FAILED,
    "failed": AnswerState.FAILED,
    "streaming": AnswerState.FAILED,
}


def show_conversation(
    transcript: TranscriptView, record: ConversationRecord
) -> dict[int, MessageView]:
    """Add every message of ``record`` to ``transcript``; returns the views by message id."""
    views: dict[int, MessageView] = {}
    for message in record.messages:
        if message.role == "user":
            views[message.id] = transcript.add_user_message(message.text)
        elif message.role == "assistant":
            views[message.id] = show_answer(transcript.add_answer(), message)
    return views


def show_answer(view: AssistantMessageView, message: MessageRecord) -> AssistantMessageView:
    """Fill a fresh answer view from the cache and end it in the recorded state."""
    for record in message.events:
        event = record.to_event()
        if isinstance(event, Thinking):
            view.add_thinking(event)
        elif isinstance(event, ToolUse):
            view.add_tool(event)
    if message.text:
        view.push_token(message.text)
    state = message.stream.state if message.stream is not None else message.state
    view.finish(VIEW_STATES.get(state, AnswerState.DONE), cached_note(message))
    return view


def cached_note(message: MessageRecord) -> str:
    """What the note under a cached answer says about how it ended."""
    stream = message.stream
    state = stream.state if stream is not None else message.state
    error = (stream.error if stream is not None else None) or ""

    def tr(text: str) -> str:
        return QApplication.translate("CachedConversation", text)

    if state == "stopped":
        return tr("Stopped. The text so far is kept.")
    if state == "interrupted":
        return tr("This answer was interrupted; the text so far is kept.")
    if state == "streaming":
        return tr("Another window or command is still recording this answer.")
    if state == "failed":
        if error:
            return tr("The answer failed: %1").replace("%1", error)
        return tr("The answer failed.")
    return ""
