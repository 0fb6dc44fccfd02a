"""Turns the user's clicks into bridge calls, and the bridge's events into the model and views.

The conversation itself is the Qt-free :class:`~desktop.conversation.model.Conversation`: the
next request's history, regenerate and undo work on it. Each answer view follows its
:class:`~desktop.conversation.model.Answer`, which is a sink of the answer's session; this
controller keeps the panels that belong to the running answer (progress, connection, banners).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from desktop.conversation.cached import conversation_of
from desktop.conversation.model import Answer, Conversation
from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import (
    Connected,
    Connecting,
    GaveUp,
    Progress,
    Reconnecting,
    Rejected,
    Resumed,
    StreamError,
    StreamEvent,
    StreamWarning,
    Token,
)
from desktop.protocol.request import ChatRequest
from desktop.streaming.answer_source import AnswerSource
from desktop.streaming.session import Outcome
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.cached_views import MessageView, show_conversation
from desktop.ui.conversation.connection_status import ConnectionStatus
from desktop.ui.conversation.input_box import InputBox
from desktop.ui.conversation.message_view import AssistantMessageView, UserMessageView
from desktop.ui.conversation.progress_panel import ProgressPanel
from desktop.ui.conversation.transcript_view import TranscriptView
from desktop.ui.widgets.banner import BannerArea

if TYPE_CHECKING:  # the store loads after the window paints
    from desktop.store.records import ConversationRecord, QueuedKind, QueuedQuestion
    from desktop.ui.conversation.offline_queue import OfflineQueue

_CONNECTION_EVENTS = (Connecting, Connected, Reconnecting, Resumed, GaveUp, Rejected)


class AnswerController(QObject):
    """The conversation's behaviour, between the bridge and the widgets.

    Signals:
        answer_finished(object): the :class:`Outcome` after the answer's view is final.
        settings_requested(): an error's action asks the user to check the server settings.
        token_entered(str): the user typed a token into the 401 prompt.
        login_required(): a 401 from a server with its own login (see ``on_unauthorized``).
        alternative_chosen(object): the reader switched to another alternative, the
            :class:`Answer` now shown (the cache remembers it).

    Attributes:
        on_unauthorized: how a 401 is met: ``"token"`` asks for an access token, ``"offer"``
            also offers a login (a gateway may pass one through), ``"login"`` asks for the
            login at once (nscale-assist).
    """

    answer_finished = Signal(object)
    settings_requested = Signal()
    token_entered = Signal(str)
    login_required = Signal()
    alternative_chosen = Signal(object)

    def __init__(
        self,
        bridge: StreamBridge,
        transcript: TranscriptView,
        input_box: InputBox,
        progress: ProgressPanel,
        status: ConnectionStatus,
        banners: BannerArea,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.transcript = transcript
        self.input_box = input_box
        self.progress = progress
        self.status = status
        self.banners = banners
        self.conversation = Conversation()
        self.on_unauthorized: Literal["token", "offer", "login"] = "token"
        self._answer: AssistantMessageView | None = None
        self._model: Answer | None = None
        #: The model answer each shown answer view follows (a cached one may be resumed).
        self._answers: dict[AssistantMessageView, Answer] = {}
        self._undo: list[UserMessageView | AssistantMessageView] = []
        self._undo_conversation = self.conversation
        #: The answer starting now is another alternative of the last question (a regenerate);
        #: the cache records it as such.
        self.pending_alternative = False
        #: The question starting now replaces the last one (an edit); the cache replaces it too.
        self.pending_edit = False
        #: Where questions wait while the server cannot be reached (``None``: they fail).
        self.offline_queue: OfflineQueue | None = None
        #: What the running answer asks while its tries have not reached a server yet: the
        #: kind and text of a question asked now, or a queued question sent; it goes (back) to
        #: the queue if the first try finds no server. ``None`` once the server answered.
        self._queueable: QueuedQuestion | tuple[QueuedKind, str] | None = None
        self._queueing = False
        self._queue_banner: object | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.bridge.event_received.connect(self._on_bridge_event_received)
        self.bridge.finished.connect(self._on_bridge_finished)
        self.bridge.running_changed.connect(self.input_box.set_running)
        self.input_box.send_requested.connect(self.send)
        self.input_box.edit_requested.connect(self.edit_last_question)
        self.input_box.recall_requested.connect(self._on_recall_requested)
        self.input_box.stop_requested.connect(self.stop)
        self.input_box.regenerate_requested.connect(self.regenerate)
        self.input_box.copy_requested.connect(self.copy_answer)
        self.status.retry_requested.connect(self.retry)

    @property
    def answer(self) -> AssistantMessageView | None:
        """The view of the running (or last) answer."""
        return self._answer

    @property
    def conversation_id(self) -> str:
        return self.conversation.id

    # --- commands ---------------------------------------------------------------------------

    def send(self, text: str) -> None:
        """Ask ``text`` with the conversation so far (or queue it while the server cannot be
        reached)."""
        if self.bridge.running or not text.strip() or self._queued_instead("ask", text):
            return
        self._ask(text, ("ask", text))

    def send_queued(self, question: QueuedQuestion) -> None:
        """Ask a queued question now (the server is back); it is queued again, in its old
        place, if it still finds no server."""
        if self.bridge.running:
            return
        if question.kind == "regenerate":
            self._regenerate(question)
        elif question.kind == "edit":  # once tried, the last exchange is replaced: it is a question
            self._edit_last(question.text, dataclasses.replace(question, kind="ask"))
        else:
            self._ask(question.text, question)

    def _queued_instead(self, kind: QueuedKind, text: str) -> bool:
        """The one rule for what waits without a try: anything that asks the server (a new
        question, a regenerate, an edit) while the server is known to be unreachable. What is
        tried and finds no server is queued too (:meth:`_first_try_found_no_server`)."""
        queue = self.offline_queue
        if queue is None or not queue.holding:
            return False
        queue.add(self.conversation.id, text, kind=kind)
        return True

    def _ask(self, text: str, queueable: QueuedQuestion | tuple[QueuedKind, str]) -> None:
        request, answer = self.conversation.ask(text)
        self.transcript.add_user_message(text)
        self._start(request, answer)
        self._queueable = queueable  # after _start: it clears it for every other answer

    def show_queued_notice(self, count: int) -> None:
        """Say that questions wait (the banner is read out too), or that none do any more."""
        if count:
            self.status.set_state("queued", count=count)
        if count and self._queue_banner is None:
            self._queue_banner = self.banners.show_message(
                "info",
                self.tr("Queued: the server cannot be reached; it will be sent when it is back."),
            )
        elif not count and self.status.state == "queued":
            self.status.set_state("idle")

    def stop(self) -> None:
        self.bridge.stop()

    def regenerate(self) -> None:
        """Replace the last answer with a new one to the same question."""
        turn = self.conversation.last_turn
        if self.bridge.running or turn is None or self._queued_instead("regenerate", turn.question):
            return
        self._regenerate(("regenerate", turn.question))

    def _regenerate(self, queueable: QueuedQuestion | tuple[QueuedKind, str]) -> None:
        last = self.transcript.last_answer()
        if last is not None and self.transcript.messages[-1] is last:
            self.transcript.remove_last_answer()
            self._answers.pop(last, None)  # the model keeps it as an alternative
        again = self.conversation.regenerate()
        if again is not None:
            self._start(*again, alternative=True)
            self._queueable = queueable

    def edit_last_question(self, text: str) -> None:
        """Ask ``text`` in place of the last question (see :meth:`Conversation.edit_last`)."""
        if self.bridge.running or not text.strip():
            return
        if self.conversation.last_turn is None:
            self.send(text)
            return
        if not self._queued_instead("edit", text):
            # Once tried, the last exchange is gone (here and in the cache): what waits if the
            # try finds no server is a question after the rest.
            self._edit_last(text, ("ask", text))

    def _edit_last(self, text: str, queueable: QueuedQuestion | tuple[QueuedKind, str]) -> None:
        messages = self.transcript.messages
        while messages and isinstance(messages[-1], AssistantMessageView):
            self._answers.pop(messages[-1], None)
            self.transcript.remove_last_answer()
            messages = self.transcript.messages
        if messages and isinstance(messages[-1], UserMessageView):
            self.transcript.remove_last_question()
        request, answer = self.conversation.edit_last(text)
        self.transcript.add_user_message(text)
        self.pending_edit = True
        try:
            self._start(request, answer)
        finally:
            self.pending_edit = False
        self._queueable = queueable

    @property
    def last_question(self) -> str:
        turn = self.conversation.last_turn
        return turn.question if turn is not None else ""

    def choose_alternative(self, view: AssistantMessageView, delta: int) -> None:
        """Show the previous (-1) or next (+1) alternative in ``view``'s place."""
        if self.bridge.running and view is self._answer:
            return
        answer = self._answers.get(view)
        turn = next((t for t in self.conversation.turns if answer in t.answers), None)
        if turn is None or answer is None:
            return
        index = turn.answers.index(answer) + delta
        if not 0 <= index < len(turn.answers):
            return
        chosen = turn.choose(index)
        self._answers.pop(view, None)
        fresh = self.transcript.replace_answer(view)
        fresh.show_answer(chosen)
        self._adopt_view(fresh, chosen, turn.answers.index(chosen), len(turn.answers))
        if view is self._answer:
            self._answer, self._model = fresh, chosen
        (fresh.next_button if delta > 0 else fresh.previous_button).setFocus()
        self.alternative_chosen.emit(chosen)

    def _on_recall_requested(self) -> None:
        if self.last_question and not self.bridge.running:
            self.input_box.begin_edit(self.last_question)

    def set_cache_id(self, message_id: int) -> None:
        """The running answer's message id in the cache (to remember a switch to it)."""
        if self._model is not None:
            self._model.cache_id = message_id

    def _adopt_view(
        self, view: AssistantMessageView, answer: Answer, index: int, count: int
    ) -> None:
        self._answers[view] = answer
        view.set_alternative(index, count)
        view.alternative_requested.connect(lambda delta: self.choose_alternative(view, delta))

    def retry(self) -> None:
        """Continue the interrupted answer where it stopped, or else ask again; while questions
        wait for the server, probe it now."""
        if self.offline_queue is not None and len(self.offline_queue) and not self.bridge.running:
            self.offline_queue.wake()
            return
        if self.bridge.retry():
            self.banners.clear()
            if self._model is not None and self._model.status is not AnswerStatus.STREAMING:
                self._model.reopen()
            self.progress.resume()
            return
        if not self.bridge.running:
            self.regenerate()

    def send_again(self) -> None:
        """After a new login: continue the refused answer if it holds text (a refused resume),
        else ask its question again in its place."""
        if self._answer is not None and self._answer.text:
            self.retry()
        else:
            self.regenerate()

    def copy_answer(self) -> None:
        answer = self.transcript.last_answer()
        if answer is not None:
            QGuiApplication.clipboard().setText(answer.text)
            self.input_box.confirm_copied()

    def new_conversation(self) -> None:
        """Start over; the old conversation can be brought back from the banner."""
        if self.bridge.running:
            self.bridge.stop()
        messages = self.transcript.messages
        if not messages:
            return
        self._drop_undo()
        self._undo = self.transcript.take_all()
        self._undo_conversation = self.conversation
        self._answer = None
        self._model = None
        self.conversation = Conversation()
        self._show_queued()
        self.progress.hide()
        self.input_box.set_has_answer(False)
        self.banners.clear()
        banner = self.banners.show_message("info", self.tr("Started a new conversation."))
        banner.add_action(self.tr("Undo"), self.undo_new_conversation)

    def undo_new_conversation(self) -> None:
        if not self._undo or self.transcript.messages:
            return
        self.transcript.restore(self._undo)
        self._undo = []
        self.conversation = self._undo_conversation  # follow-ups continue it again
        self._show_queued()
        self._answer = self.transcript.last_answer()
        self._model = self._answers.get(self._answer) if self._answer is not None else None
        self.input_box.set_has_answer(self._answer is not None)
        self.banners.clear()

    def show_cached(
        self, record: ConversationRecord, focus: int | None = None
    ) -> dict[int, MessageView]:
        """Replace the transcript with a cached conversation; follow-ups continue it.

        Returns the views by message id (to scroll to a search hit or resume an answer);
        ``focus`` is a message that must be among them. The caller makes sure no answer runs.
        """
        self._drop_undo()
        self._forget_views()
        self.banners.clear()
        self.progress.hide()
        self.conversation, answers = conversation_of(record)
        views = show_conversation(self.transcript, record, focus)
        for message_id, view in views.items():
            answer = answers.get(message_id)
            if answer is not None and isinstance(view, AssistantMessageView):
                view.follow(answer)
                answer.note = view.note
                turn = next(t for t in self.conversation.turns if answer in t.answers)
                self._adopt_view(view, answer, turn.answers.index(answer), len(turn.answers))
        self._answer = self.transcript.last_answer()
        self._model = self._answers.get(self._answer) if self._answer is not None else None
        self.input_box.set_has_answer(self._answer is not None)
        self._show_queued()
        return views

    def clear_conversation(self) -> None:
        """Empty the transcript without an undo (the conversation was deleted from the cache)."""
        self._drop_undo()
        self._forget_views()
        self._answer = None
        self._model = None
        self.conversation = Conversation()
        self._show_queued()
        self.progress.hide()
        self.input_box.set_has_answer(False)

    def _show_queued(self) -> None:
        if self.offline_queue is not None:
            self.offline_queue.show_in(self)

    def play(
        self,
        view: AssistantMessageView,
        source: AnswerSource,
        *,
        stream_id: str | None = None,
        last_event_id: int = 0,
    ) -> None:
        """Run ``source`` into ``view``: a cached answer resumed in place, or replayed.

        ``stream_id`` and ``last_event_id`` say where a resumed answer stood.
        """
        self.banners.clear()
        model = self._answers.get(view)
        if model is None:  # a replay shows the recorded answer again in a fresh view
            model = Answer()
            view.follow(model)
            self._answers[view] = model
        self._answer = view
        self._model = model
        model.reopen()
        self.progress.start()
        self.input_box.set_has_answer(True)
        self.bridge.play(source, [model], stream_id=stream_id, last_event_id=last_event_id)

    # --- events -----------------------------------------------------------------------------

    def _start(self, request: ChatRequest, answer: Answer, *, alternative: bool = False) -> None:
        self.banners.clear()
        self._queue_banner = None
        self._queueable = None
        self._drop_undo()
        view = self.transcript.add_answer()
        view.follow(answer)
        turn = self.conversation.last_turn
        count = len(turn.answers) if turn is not None else 1
        self._adopt_view(view, answer, count - 1, count)
        self._answer = view
        self._model = answer
        self.progress.start()
        self.input_box.set_has_answer(True)
        self.pending_alternative = alternative
        try:
            self.bridge.start(request, [answer])
        finally:
            self.pending_alternative = False

    def _on_bridge_event_received(self, event: StreamEvent) -> None:
        if isinstance(event, Connected):
            self._queueable = None  # the server answered: this answer runs its course
        elif isinstance(event, Reconnecting) and self._first_try_found_no_server(event):
            self._queueing = True
            self.bridge.stop()  # no stream exists yet: this ends the answer at once
            return
        if isinstance(event, Token):
            self.progress.on_token()
            if self.status.state != "streaming":
                self.status.set_state("streaming")
        elif isinstance(event, Progress):
            self.progress.on_progress(event)
        elif isinstance(event, StreamWarning):
            self.banners.show_message("warning", event.message)
        elif isinstance(event, StreamError) and event.resumable:
            self.status.set_state("reconnecting", reason=event.message)
        elif isinstance(event, _CONNECTION_EVENTS):
            self.status.on_event(event)

    def _first_try_found_no_server(self, event: Reconnecting) -> bool:
        session = self.bridge.session
        return (
            event.unreachable
            and self.offline_queue is not None
            and self._queueable is not None
            and not self._queueing
            and (session is None or session.stream_id is None)
            and (self._model is None or not self._model.text)
        )

    def _withdraw_to_queue(self) -> None:
        """What the answer just stopped asked goes to the queue (it never reached a server): a
        question's cards leave the transcript and its turn the conversation; a regenerate's
        empty answer gives its place back to the answer shown before."""
        queueable, self._queueable = self._queueable, None
        queue = self.offline_queue
        assert queue is not None
        assert queueable is not None
        message_id = self._model.cache_id if self._model is not None else None
        answer = self._answer
        if answer is not None:
            self._answers.pop(answer, None)
        kind = queueable[0] if isinstance(queueable, tuple) else queueable.kind
        restored = self.conversation.withdraw_last_answer() if kind == "regenerate" else None
        turn = self.conversation.last_turn
        if restored is not None and answer is not None and turn is not None:
            fresh = self.transcript.replace_answer(answer)
            fresh.show_answer(restored)
            self._adopt_view(fresh, restored, turn.answers.index(restored), len(turn.answers))
        else:
            self.transcript.remove_last_answer()
            self.transcript.remove_last_question()
            self.conversation.withdraw_last()
        self._answer = self.transcript.last_answer()
        self._model = self._answers.get(self._answer) if self._answer is not None else None
        self.input_box.set_has_answer(self._answer is not None)
        self.progress.hide()
        if isinstance(queueable, tuple):
            queue.add(self.conversation.id, queueable[1], message_id, kind=queueable[0])
        else:
            queue.put_back(queueable, message_id)

    def _on_bridge_finished(self, outcome: Outcome) -> None:
        if self._queueing:
            self._queueing = False
            self._withdraw_to_queue()
            return
        note = self._note_for(outcome)
        if self._model is not None:
            self._model.end(outcome.status, note)
        self.progress.finish(outcome.status)
        if outcome.status is AnswerStatus.DONE:
            self.status.set_state("done")
        elif outcome.status is AnswerStatus.STOPPED:
            self.status.set_state("stopped")
        elif not isinstance(outcome.terminal, GaveUp | Rejected):
            self.status.set_state("failed")
        self._show_error(outcome)
        self.answer_finished.emit(outcome)

    def _note_for(self, outcome: Outcome) -> str:
        terminal = outcome.terminal
        if outcome.status is AnswerStatus.STOPPED:
            return self.tr("Stopped. The text so far is kept.")
        if isinstance(terminal, GaveUp):
            return self.tr(
                "The connection could not be restored (%1). Retry continues where it stopped."
            ).replace("%1", terminal.reason)
        if isinstance(terminal, Rejected) and terminal.reason == "not_resumable":
            if terminal.status is None:  # lost on the way from a server that cannot resume
                return self.tr(
                    "The connection was lost and this server cannot continue an answer. "
                    "The text so far is kept; Ask again starts a new one."
                )
            return self.tr(
                "The server no longer holds the rest of this answer (%1). The text so far is kept."
            ).replace("%1", terminal.message.rstrip(". "))
        if isinstance(terminal, StreamError):
            return self.tr("The server ended the answer: %1").replace("%1", terminal.message)
        if isinstance(terminal, Rejected):
            return self.tr("No answer: %1").replace("%1", terminal.message)
        if outcome.status is not AnswerStatus.DONE:
            return self.tr("The answer ended early; the text so far is kept.")
        return ""

    def _show_error(self, outcome: Outcome) -> None:
        terminal = outcome.terminal
        if isinstance(terminal, Rejected) and terminal.reason == "unauthorized":
            if self.on_unauthorized == "login":
                self.login_required.emit()
                return
            prompt = self.banners.ask_token(
                self.tr(
                    "The server refused the request (HTTP %1: %2). Please enter the access token."
                )
                .replace("%1", str(terminal.status or 401))
                .replace("%2", terminal.message.rstrip(". "))
            )
            prompt.token_entered.connect(self.token_entered)
            if self.on_unauthorized == "offer":
                prompt.add_action(self.tr("Log in…"), self.login_required.emit)
        elif isinstance(terminal, Rejected) and terminal.reason == "not_event_stream":
            banner = self.banners.show_message(
                "error",
                self.tr(
                    "The server did not answer with an event stream (%1). "
                    "The address may point to a web page or a login proxy."
                ).replace("%1", terminal.message),
            )
            banner.add_action(self.tr("Server settings…"), self.settings_requested.emit)
        elif isinstance(terminal, Rejected) and terminal.reason == "not_resumable":
            banner = self.banners.show_message("warning", self._note_for(outcome))
            if terminal.status is None:
                banner.add_action(self.tr("Ask again"), self.regenerate)
        elif isinstance(terminal, Rejected) and terminal.reason == "untrusted_certificate":
            banner = self.banners.show_message("error", terminal.message)  # names the CA file
            banner.add_action(self.tr("Server settings…"), self.settings_requested.emit)
        elif isinstance(terminal, Rejected | StreamError):
            banner = self.banners.show_message("error", terminal.message)
            banner.add_action(self.tr("Try again"), self.regenerate)

    def _drop_undo(self) -> None:
        for view in self._undo:
            if isinstance(view, AssistantMessageView):
                self._answers.pop(view, None)
            view.deleteLater()
        self._undo = []

    def _forget_views(self) -> None:
        for view in self.transcript.take_all():
            if isinstance(view, AssistantMessageView):
                self._answers.pop(view, None)
            view.deleteLater()
