"""A cached conversation rebuilt in the transcript exactly as it was streamed.

The same message views as a live answer show it: thinking and tool cards are rebuilt from the
recorded events (the ``token_events=False`` load leaves out the tokens, since the stored text
already holds them), the text goes through the same Markdown renderer, and the answer ends in
its recorded state (done, stopped, interrupted or failed) with a note saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from desktop.conversation.cached import status_of
from desktop.protocol.events import Thinking, ToolUse
from desktop.store.records import EMBEDDED_PROTOCOL
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.conversation.transcript_view import TranscriptView

if TYPE_CHECKING:  # the store loads after the window paints
    from desktop.store.records import ConversationRecord, MessageRecord

MessageView = UserMessageView | AssistantMessageView


#: The window's view state for each cached stream state.


#: A cached conversation opens with this many of its newest messages (building a message view
#: costs about 3 ms, so 1,000 would block the window for seconds); "Show earlier messages" adds
#: :data:`EARLIER_STEP` more at a time.
FIRST_MESSAGES: Final = 60
EARLIER_STEP: Final = 100


def show_conversation(
    transcript: TranscriptView, record: ConversationRecord, focus: int | None = None
) -> dict[int, MessageView]:
    """Show ``record``'s newest messages (and ``focus``, a message id, if it is older).

    Returns the views by message id; the dict grows when earlier messages are shown.
    """
    messages = record.messages
    start = max(0, len(messages) - FIRST_MESSAGES)
    index = next((n for n, m in enumerate(messages) if m.id == focus), None)
    if index is not None:
        start = min(start, max(0, index - 2))
    views: dict[int, MessageView] = {}
    for message in messages[start:]:
        if message.role == "user":
            views[message.id] = transcript.add_user_message(message.text)
        elif message.role == "assistant" and message.chosen:  # alternatives: the card switches
            views[message.id] = show_answer(transcript.add_answer(), message)
    EarlierMessages(transcript, record, start, views)
    return views


class EarlierMessages(QObject):
    """The older part of a long cached conversation, shown on demand above the rest.

    It lives as long as the transcript's "earlier" button, which it drives.
    """

    def __init__(
        self,
        transcript: TranscriptView,
        record: ConversationRecord,
        start: int,
        views: dict[int, MessageView],
    ) -> None:
        super().__init__(transcript.earlier_button)
        self.transcript = transcript
        self.record = record
        self.start = start
        self.views = views
        for older in transcript.earlier_button.findChildren(EarlierMessages):
            if older is not self:  # the previous conversation's
                older.deleteLater()
        transcript.show_earlier = self.show_more
        self._update()

    def show_more(self) -> None:
        stop, self.start = self.start, max(0, self.start - EARLIER_STEP)
        added: list[MessageView] = []
        for message in self.record.messages[self.start : stop]:
            if message.role == "user":
                view: MessageView = self.transcript.new_user_message(message.text)
            elif message.role == "assistant" and message.chosen:
                view = show_answer(self.transcript.new_answer(), message)
            else:
                continue
            self.views[message.id] = view
            added.append(view)
        self.transcript.prepend(added)
        self._update()

    def _update(self) -> None:
        button = self.transcript.earlier_button
        button.setText(
            QApplication.translate("CachedConversation", "Show %1 earlier messages").replace(
                "%1", str(self.start)
            )
        )
        button.setVisible(self.start > 0)


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
    thought = thinking_seconds(message)
    if view.thinking is not None and thought is not None:
        view.thinking.show_duration(thought)
    view.finish(status_of(message), cached_note(message))
    return view


def thinking_seconds(message: MessageRecord) -> float | None:
    """How long the assistant thought: from its first thinking event to the first token."""
    first = next((e.offset_ms for e in message.events if e.type == "thinking"), None)
    ttft = message.stream.ttft_ms if message.stream is not None else None
    if first is None or ttft is None:
        return None
    return max(0.0, ttft - first) / 1000.0


def cached_note(message: MessageRecord) -> str:
    """What the note under a cached answer says about how it ended."""
    stream = message.stream
    state = stream.state if stream is not None else message.state
    error = (stream.error if stream is not None else None) or ""

    translate = QApplication.translate
    if state == "stopped":
        return translate("CachedConversation", "Stopped. The text so far is kept.")
    if state == "interrupted" and stream is not None and stream.protocol == EMBEDDED_PROTOCOL:
        return translate(
            "CachedConversation",
            "This answer was interrupted. It came from the built-in demo server, which keeps "
            "no answers once the window has closed, so it cannot be resumed; the text so far "
            "is kept.",
        )
    if state == "interrupted":
        return translate(
            "CachedConversation", "This answer was interrupted; the text so far is kept."
        )
    if state == "streaming":
        return translate(
            "CachedConversation", "Another window or command is still recording this answer."
        )
    if state == "failed" and error:
        return translate("CachedConversation", "The answer failed: %1").replace("%1", error)
    if state == "failed":
        return translate("CachedConversation", "The answer failed.")
    return ""
