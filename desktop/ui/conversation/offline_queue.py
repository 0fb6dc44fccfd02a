"""The offline queue of a window: questions asked while the server cannot be reached wait here
and go out, in order, as soon as the health probe sees the server again.

The queue itself is the Qt-free :class:`~desktop.conversation.queue.QuestionQueue`; this object
shows it (each open conversation's transcript has its queued cards, a banner is also
announced), keeps the probe running while anything waits, and hands each question to the
answer controller of its conversation when the server is back: questions of different
conversations go out at once, each in its own pane (opened in the background if need be);
one conversation's go out one after the other. The cache keeps the queue through the signals
(``ui.history`` writes them).

While the probe says "unreachable" the queue *holds*: a new question, a regenerate or an edit
of the last question is queued at once, without a try (the rule is the answer controller's
``_queued_instead``). The network coming back (``network_watch``) probes at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from desktop.conversation.queue import QuestionQueue, QueuedKind, QueuedQuestion
from desktop.protocol.events import Connected, StreamEvent
from desktop.streaming.health_probe import HealthProbe
from desktop.ui.conversation.network_watch import network_is_back

if TYPE_CHECKING:
    from desktop.ui.conversation.answer_controller import AnswerController

log = logging.getLogger(__name__)

#: The controller of a conversation's open pane, or ``None`` when none is open.
ControllerLookup = Callable[[str], "AnswerController | None"]


class OfflineQueue(QObject):
    """Queued questions of one window.

    Signals:
        queued(object, object): a :class:`QueuedQuestion` joined the queue, and the cache id of
            the answer its failed first try recorded (``None`` when none was tried).
        edited(object): a queued question's new :class:`QueuedQuestion`.
        removed(object): a question left the queue (cancelled, or sent now).
        gave_up(int): the probe failed this many times in a row and :attr:`give_up_after` says
            to stop waiting (``--quit-when-done``); the questions stay queued.

    Attributes:
        probe: the server's health probe; ``None`` until a server is connected.
        live_controller: the controller of a conversation's open pane.
        open_controller: the controller of a conversation's pane, opened in the background
            (with the cached conversation loaded) if none is; ``None`` sends only to open panes.
        give_up_after: failed probes in a row after which :attr:`gave_up` is emitted; ``None``
            waits for good (the window's default).
    """

    queued = Signal(object, object)
    edited = Signal(object)
    removed = Signal(object)
    gave_up = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = QuestionQueue()
        self.probe: HealthProbe | None = None
        self.live_controller: ControllerLookup = lambda _cid: None
        self.open_controller: ControllerLookup | None = None
        self.give_up_after: int | None = None
        #: The server is known to be unreachable: new questions queue at once.
        self.holding = False
        self._waiting: asyncio.Task[None] | None = None
        self.model.removed.connect(self._on_model_removed)

    def __len__(self) -> int:
        return len(self.model)

    def attach(self, controller: AnswerController) -> None:
        """Queue the questions of ``controller``'s conversation (a pane was opened)."""
        controller.offline_queue = self
        controller.bridge.event_received.connect(self._on_bridge_event_received)
        controller.answer_finished.connect(self._on_answer_finished)

    # --- what the user and the controllers do ------------------------------------------------

    def add(
        self,
        conversation_id: str,
        text: str,
        message_id: int | None = None,
        kind: QueuedKind = "ask",
    ) -> QueuedQuestion:
        """Queue a question (a new one, a regenerate, an edit): the server is known to be
        unreachable, or its first try found none (``message_id``: the cached answer row that
        try wrote, to withdraw)."""
        question = self.model.add(conversation_id, text, kind)
        self._after_queued(question, message_id)
        return question

    def put_back(self, question: QueuedQuestion, message_id: int | None) -> None:
        """Queue a sent question again, in its old place: it still found no server."""
        self.model.put_back(question)
        self._after_queued(question, message_id)

    def restore(self, questions: Iterable[QueuedQuestion]) -> None:
        """Questions the cache kept from an earlier run: shown, and sent once the probe sees
        the server (which may be at once)."""
        for question in questions:
            if question.id not in self.model:
                self.model.put_back(question)
                self._show(question)
        if len(self.model):
            self._start_waiting()

    def edit(self, question_id: str, text: str) -> None:
        try:
            question = self.model.edit(question_id, text)
        except (KeyError, ValueError) as exc:  # sent meanwhile, or blank: nothing is lost
            log.info("queued question not edited: %s", exc)
            return
        controller = self.live_controller(question.conversation_id)
        if controller is not None:
            for view in controller.transcript.queued:
                if view.question.id == question_id:
                    view.set_question(question)
        self.edited.emit(question)

    def cancel(self, question_id: str) -> None:
        self.model.cancel(question_id)

    def wake(self) -> None:
        """Probe now (the user pressed Retry, or the network came back)."""
        if self.probe is not None:
            self.probe.wake()
        self._start_waiting()

    @Slot(QNetworkInformation.Reachability)  # a slot: the connection goes with this object
    def network_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        """The system's reachability changed (``network_watch``): a network that came back
        is worth a probe now rather than at the end of the backoff."""
        if network_is_back(reachability) and len(self.model):
            self.wake()

    def set_probe(self, probe: HealthProbe | None) -> None:
        """The connected server's probe (a new server replaces it)."""
        self._stop_waiting()
        self.probe = probe
        if len(self.model):
            self._start_waiting()

    def show_in(self, controller: AnswerController) -> None:
        """Show the queued questions of the conversation ``controller`` has now."""
        controller.transcript.clear_queued()
        for question in self.model.of_conversation(controller.conversation_id):
            self._show_on(controller, question)

    def close(self) -> None:
        self._stop_waiting()

    def send_next(self) -> None:
        """Send, unless the server is known to be down, the oldest queued question of every
        conversation that has no answer running, each through its own pane."""
        if self.holding:
            return
        busy: set[str] = set()
        for question in list(self.model):
            conversation_id = question.conversation_id
            if conversation_id in busy:
                continue
            busy.add(conversation_id)
            controller = self.live_controller(conversation_id)
            if controller is None and self.open_controller is not None:
                controller = self.open_controller(conversation_id)
            if controller is None or controller.conversation_id != conversation_id:
                continue  # no pane can hold that conversation (no cache): it waits
            if controller.bridge.running:
                continue
            if self.model.cancel(question.id) is not None:  # leaves the queue and the cache
                controller.send_queued(question)

    # --- internals --------------------------------------------------------------------------

    def _after_queued(self, question: QueuedQuestion, message_id: int | None) -> None:
        self.holding = True
        self._show(question)
        controller = self.live_controller(question.conversation_id)
        if controller is not None:
            controller.show_queued_notice(len(self.model.of_conversation(question.conversation_id)))
        self.queued.emit(question, message_id)
        self._start_waiting()

    def _show(self, question: QueuedQuestion) -> None:
        controller = self.live_controller(question.conversation_id)
        if controller is not None:
            self._show_on(controller, question)

    def _show_on(self, controller: AnswerController, question: QueuedQuestion) -> None:
        known = {view.question.id for view in controller.transcript.queued}
        view = controller.transcript.add_queued(question)
        if question.id not in known:
            view.edit_requested.connect(self.edit)
            view.cancel_requested.connect(self.cancel)

    def _on_model_removed(self, question: QueuedQuestion) -> None:
        controller = self.live_controller(question.conversation_id)
        if controller is not None:
            controller.transcript.remove_queued(question.id)
            controller.show_queued_notice(len(self.model.of_conversation(question.conversation_id)))
        self.removed.emit(question)
        if not len(self.model):  # nothing waits: the next question tries (and may queue)
            self._stop_waiting()

    def _start_waiting(self) -> None:
        if self._waiting is not None or self.probe is None or not len(self.model):
            return
        self._waiting = asyncio.get_running_loop().create_task(self._wait(self.probe))

    def _stop_waiting(self) -> None:
        task, self._waiting = self._waiting, None
        if task is not None and not task.done():
            task.cancel()

    async def _wait(self, probe: HealthProbe) -> None:
        try:
            reached = await probe.wait_until_reachable(give_up_after=self.give_up_after)
        finally:
            self._waiting = None
        if not reached:
            self.gave_up.emit(probe.failures)
            return
        self.holding = False
        self.send_next()

    def _on_bridge_event_received(self, event: StreamEvent) -> None:
        if isinstance(event, Connected):  # the server is there: nothing needs to wait
            self.holding = False

    def _on_answer_finished(self, _outcome: object) -> None:
        # After every other slot of this finish (the cache closes the answer's recording on
        # it): a question sent from inside it would be recorded as the one that finished.
        QTimer.singleShot(0, self.send_next)
