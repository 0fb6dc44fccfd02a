"""Every answer the window streams goes into the cache, through a recorder sink on its session.

The recorder only appends in memory on the GUI thread; the :class:`CacheWriter` thread does
the disk work. Its failures (read-only directory, full disk) arrive on the writer thread and are
re-emitted through a Qt signal, which Qt queues to the GUI thread; the answer on screen never
depends on the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.protocol.answer_status import AnswerStatus
from desktop.protocol.events import StreamEvent
from desktop.protocol.request import ChatRequest
from desktop.store.errors import CacheError
from desktop.store.recorder import AnswerRecorder
from desktop.store.writer import CacheWriter
from desktop.streaming.session import AnswerSession, Outcome
from desktop.ui.bridge import StreamBridge

__all__ = ["AnswerRecording", "CacheErrorRelay", "ServerOfAnswers"]

log = logging.getLogger(__name__)

#: ``() -> (server_url, protocol)`` of the server answering now.
ServerOfAnswers = Callable[[], tuple[str, str]]


class CacheErrorRelay(QObject):
    """Carries a cache writer's errors from its thread to the GUI thread (a queued signal)."""

    error = Signal(str)

    def report(self, error: CacheError) -> None:
        """The writer's ``on_error``: runs on the writer thread, so it only emits."""
        self.error.emit(str(error))


class _AnswerSink:
    """One answer's sink: forwards to whichever recorder records that answer now.

    A Retry closes the failed run's recorder and attaches a new one to the same cached message;
    an answer played again from the cache has none until a resumed one is adopted.
    """

    __slots__ = ("recorder",)

    def __init__(self) -> None:
        self.recorder: AnswerRecorder | None = None

    def __call__(self, event: StreamEvent, at: float) -> None:
        if self.recorder is not None:
            self.recorder(event, at)


class AnswerRecording(QObject):
    """Records each answer one bridge (one conversation) starts, retries or resumes.

    There is one per open conversation: each keeps the recorder of its own answer, so answers
    streaming at once are recorded into their own conversations.

    Signals:
        recorded(str): an answer's conversation is in the cache (its rows when it starts, its
            last checkpoint when it ends; written or failed); the conversation id.
    """

    recorded = Signal(str)
    #: A new answer's message id, at once (on the GUI thread, before its first event).
    started = Signal(object)  # ids are 53-bit: past a C int
    _written = Signal(str)  # from the writer thread; queued to this object's (the GUI) thread

    def __init__(
        self,
        bridge: StreamBridge,
        writer: CacheWriter,
        server: ServerOfAnswers,
        parent: QObject | None = None,
        *,
        alternative: Callable[[], bool] = lambda: False,
        edit: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.writer = writer
        self.server = server
        #: Whether the answer starting now is another one to the last question (a regenerate).
        self.alternative = alternative
        #: Whether the question starting now is an edit of the last one, which it replaces.
        self.edit = edit
        #: The answer being recorded (or the last one), for a Retry that continues it.
        self.recorder: AnswerRecorder | None = None
        self._retired = True
        self._sink: _AnswerSink | None = None
        bridge.observe_own(self._follow)
        bridge.answer_resumed.connect(self._on_answer_resumed)
        bridge.finished.connect(self._on_bridge_finished)
        self._written.connect(self._on_written)

    def adopt(self, recorder: AnswerRecorder) -> None:
        """Record the running answer with ``recorder`` (a cached answer resumed in place)."""
        self.recorder = recorder
        self._retired = False
        if self._sink is not None:
            self._sink.recorder = recorder

    def close(self) -> None:
        """End the recording of a running answer (the window closes): it stays resumable."""
        if self.recorder is not None and not self._retired:
            self._retired = True
            self.recorder.close("interrupted")

    def _follow(self, _session: AnswerSession, request: ChatRequest | None) -> list[_AnswerSink]:
        """An answer starts (an :data:`~desktop.ui.bridge.AnswerObserver`): record a new one."""
        self._sink = _AnswerSink()
        if request is not None:
            self._start(request)
        return [self._sink]

    def _start(self, request: ChatRequest) -> None:
        server_url, protocol = self.server()
        try:
            recorder = AnswerRecorder.start(
                self.writer,
                server_url=server_url,
                protocol=protocol,
                request=request,
                alternative=self.alternative(),
                replaces_last=self.edit(),
            )
        except CacheError as exc:  # a closed writer: answer without the cache
            log.warning("not recording: %s", exc)
            return
        self.adopt(recorder)
        self.started.emit(recorder.message_id)
        self._announce(recorder.conversation_id)

    def _on_answer_resumed(self) -> None:
        previous = self.recorder
        if previous is None or not self._retired:
            return
        try:  # one short read on the writer thread; Retry is a rare, user-driven action
            recorder = AnswerRecorder.attach(self.writer, previous.message_id)
        except CacheError as exc:
            log.warning("not recording the resumed answer: %s", exc)
            return
        self.adopt(recorder)

    def _on_bridge_finished(self, outcome: Outcome) -> None:
        recorder = self.recorder
        if recorder is None or self._retired:
            return
        self._retired = True
        final = "stopped" if outcome.status is AnswerStatus.STOPPED else "interrupted"
        recorder.close(final, wait=False)
        self._announce(recorder.conversation_id)

    def _announce(self, conversation_id: str) -> None:
        """Emit ``recorded`` once the writer has done what was queued so far (it runs in order)."""
        self.writer.submit(lambda _c: None).add_done_callback(
            lambda _f: self._written.emit(conversation_id)
        )

    def _on_written(self, conversation_id: str) -> None:
        self.recorded.emit(conversation_id)
