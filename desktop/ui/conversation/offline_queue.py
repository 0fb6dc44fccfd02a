"""The offline queue in the window: questions asked while the server cannot be reached wait
here and go out, in order, as soon as the health probe sees the server again.

The queue itself is the Qt-free :class:`~desktop.conversation.queue.QuestionQueue`; this object
shows it (the transcript's queued cards, a banner that is also announced), keeps the
probe running while anything waits, and hands each question to the answer controller when the
server is back. The cache keeps the queue through the signals (``ui.history`` writes them).

While the probe says "unreachable" the queue *holds*: a new question is queued at once, without
a try. A question whose conversation is not on screen is sent by opening that conversation
first (:attr:`OfflineQueue.open_conversation`, given by the history).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.conversation.queue import QuestionQueue, QueuedQuestion
from desktop.protocol.events import Connected, StreamEvent
from desktop.streaming.health_probe import HealthProbe

if TYPE_CHECKING:
    from desktop.ui.conversation.answer_controller import AnswerController

log = logging.getLogger(__name__)

#: ``(conversation_id, then)``: show that cached conversation, then call ``then``.
ConversationOpener = Callable[[str, Callable[[], None]], None]


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
        open_conversation: how to bring a conversation on screen (``None``: only the one on
            screen is sent).
        give_up_after: failed probes in a row after which :attr:`gave_up` is emitted; ``None``
            waits for good (the window's default).
    """

    queued = Signal(object, object)
    edited = Signal(object)
    removed = Signal(object)
    gave_up = Signal(int)

    def __init__(self, controller: AnswerController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = QuestionQueue()
        self.probe: HealthProbe | None = None
        self.open_conversation: ConversationOpener | None = None
        self.give_up_after: int | None = None
        #: The server is known to be unreachable: new questions queue at once.
        self.holding = False
        self._waiting: asyncio.Task[None] | None = None
        self._opening = False
        self.model.removed.connect(self._on_model_removed)
        controller.bridge.event_received.connect(self._on_bridge_event_received)
        controller.answer_finished.connect(self._on_answer_finished)

    def __len__(self) -> int:
        return len(self.model)

    # --- what the user and the controller do -------------------------------------------------

    def add(self, conversation_id: str, text: str, message_id: int | None = None) -> QueuedQuestion:
        """Queue a new question: the server is known to be unreachable, or its first try
        found none (``message_id``: the cached answer row that try wrote, to withdraw)."""
        question = self.model.add(conversation_id, text)
        self._after_queued(question, message_id)
        return question

    def put_back(self, question: QueuedQuestion, message_id: int | None) -> None:
        """Queue a question whose first try found no server (``message_id``: the cached
        answer row that try wrote, to withdraw)."""
        self.model.put_back(question)
        self._after_queued(question, message_id)

    def restore(self, questions: Iterable[QueuedQuestion]) -> None:
        """Questions the cache kept from an earlier run: shown, and sent once the probe sees
        the server (which may be at once)."""
        for question in questions:
            if question.id not in self.model:
                self.model.put_back(question)
        self.show_conversation(self.controller.conversation_id)
        if len(self.model):
            self._start_waiting()

    def edit(self, question_id: str, text: str) -> None:
        try:
            question = self.model.edit(question_id, text)
        except (KeyError, ValueError) as exc:  # sent meanwhile, or blank: nothing is lost
            log.info("queued question not edited: %s", exc)
            return
        for view in self.controller.transcript.queued:
            if view.question.id == question_id:
                view.set_question(question)
        self.edited.emit(question)

    def cancel(self, question_id: str) -> None:
        self.model.cancel(question_id)

    def wake(self) -> None:
        """Probe now (the user pressed Retry)."""
        if self.probe is not None:
            self.probe.wake()
        if self._waiting is None:
            self._start_waiting()

    def set_probe(self, probe: HealthProbe | None) -> None:
        """The connected server's probe (a new server replaces it)."""
        self._stop_waiting()
        self.probe = probe
        if len(self.model):
            self._start_waiting()

    def show_conversation(self, conversation_id: str) -> None:
        """Show the queued questions of the conversation now on screen."""
        transcript = self.controller.transcript
        transcript.clear_queued()
        for question in self.model.of_conversation(conversation_id):
            self._show(question)

    def close(self) -> None:
        self._stop_waiting()

    # --- internals --------------------------------------------------------------------------

    def _after_queued(self, question: QueuedQuestion, message_id: int | None) -> None:
        self.holding = True
        if question.conversation_id == self.controller.conversation_id:
            self._show(question)
        self.controller.show_queued_notice(len(self.model))
        self.queued.emit(question, message_id)
        self._start_waiting()

    def _show(self, question: QueuedQuestion) -> None:
        view = self.controller.transcript.add_queued(question)
        with contextlib.suppress(RuntimeError):  # connect once per view
            view.edit_requested.disconnect(self.edit)
            view.cancel_requested.disconnect(self.cancel)
        view.edit_requested.connect(self.edit)
        view.cancel_requested.connect(self.cancel)

    def _on_model_removed(self, question: QueuedQuestion) -> None:
        self.controller.transcript.remove_queued(question.id)
        self.removed.emit(question)
        if not len(self.model):  # nothing waits: the next question tries (and may queue)
            self._stop_waiting()
            self.controller.show_queued_notice(0)

    def _start_waiting(self) -> None:
        if self._waiting is not None or self.probe is None:
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

    def send_next(self) -> None:
        """Send the oldest queued question if the server is not known to be down and no
        answer runs; its conversation is brought on screen first when it is another one."""
        if self.holding or self._opening or self.controller.bridge.running:
            return
        question = next(iter(self.model), None)
        if question is None:
            return
        if question.conversation_id == self.controller.conversation_id:
            self._send(question)
            return
        if self.open_conversation is None:
            return
        self._opening = True

        def then() -> None:
            self._opening = False
            if self.controller.conversation_id == question.conversation_id:
                self._send(question)

        self.open_conversation(question.conversation_id, then)

    def _send(self, question: QueuedQuestion) -> None:
        if self.model.cancel(question.id) is not None:  # leaves the queue (and the cache)
            self.controller.send_queued(question)

    def _on_bridge_event_received(self, event: StreamEvent) -> None:
        if isinstance(event, Connected):  # the server is there: nothing needs to wait
            self.holding = False

    def _on_answer_finished(self, _outcome: object) -> None:
        self.send_next()
