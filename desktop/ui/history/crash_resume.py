"""Answers a crash cut off, offered for resuming when the window starts.

At start the cache's ``streaming`` rows of dead processes are marked ``interrupted`` (done by
the composition root before any new answer can start, so a fresh answer is never mistaken for
an orphan). A banner names them with "Resume all" and "Show". Resuming one opens its
conversation, reopens the answer in place with its cached text, and continues the server's
stream after the last applied event id, recorded into the same message. Answers one at a time,
in the order they were started.

Two cases cannot continue and say so at once instead of retrying: the embedded demo server's
answers (its stream log lived in the process that died) and servers without resume (OpenAI,
Ollama). A server that no longer holds the stream (404/410) ends the answer with its text kept
and marked interrupted (see ``AnswerController``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject

from desktop.protocol.answer_status import AnswerStatus
from desktop.store.errors import CacheError
from desktop.store.recorder import AnswerRecorder
from desktop.store.records import EMBEDDED_PROTOCOL, ConversationRecord, StreamRecord
from desktop.store.writer import CacheWriter
from desktop.streaming.answer_source import AnswerSource
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.history.controller import HistoryController
from desktop.ui.history.recording import AnswerRecording
from desktop.ui.widgets.banner import Banner

log = logging.getLogger(__name__)

#: ``stream -> source`` continuing it on its server, or ``None`` if no client can reach it.
ResumeSource = Callable[[StreamRecord], AnswerSource | None]


class CrashResume(QObject):
    """Offers interrupted answers and resumes them in the window, one after another."""

    def __init__(
        self,
        history: HistoryController,
        writer: CacheWriter | None,
        recording: Callable[[], AnswerRecording | None],
        resume_source: ResumeSource,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or history)
        self.history = history
        self.host = history.host
        self.writer = writer
        self.recording = recording
        self.resume_source = resume_source
        self.streams: list[StreamRecord] = []
        self.banner: Banner | None = None
        self._queue: list[StreamRecord] = []
        self._current: StreamRecord | None = None
        self.host.answer_finished.connect(self._on_answer_finished)
        history.shown.connect(self._on_conversation_shown)

    def offer(self, streams: Sequence[StreamRecord]) -> None:
        """Show the banner for ``streams`` (interrupted, in start order); none: nothing."""
        self.streams = list(streams)
        if not self.streams:
            return
        count = len(self.streams)
        if count == 1:
            text = self.tr("An answer was interrupted when the app last closed.")
        else:
            text = self.tr("%1 answers were interrupted when the app last closed.").replace(
                "%1", str(count)
            )
        banner = self.host.banners.show_message("warning", text)
        banner.add_action(self.tr("Resume all"), self.resume_all)
        banner.add_action(self.tr("Show"), self.show_first)
        self.banner = banner

    def show_first(self) -> None:
        if self.streams:
            first = self.streams[0]
            self.history.open(first.conversation_id, first.message_id)

    def resume_all(self) -> None:
        self._queue = list(self.streams)
        self._next()

    def resume(self, stream: StreamRecord) -> None:
        """Resume one answer (also what a test calls)."""
        self._queue = [stream]
        self._next()

    # --- internals --------------------------------------------------------------------------

    def _next(self) -> None:
        self._current = None
        if not self._queue or self.host.bridge.running:
            return
        stream = self._queue.pop(0)
        self._current = stream
        self.history.open(
            stream.conversation_id, stream.message_id, then=lambda: self._continue(stream)
        )

    def _continue(self, stream: StreamRecord) -> None:
        view = self.history.views.get(stream.message_id)
        why = self._cannot_resume(stream)
        source = None if why else self.resume_source(stream)
        if source is None and not why:
            why = self.tr("no connection to its server (%1) is configured.").replace(
                "%1", stream.server_url
            )
        if why or not isinstance(view, AssistantMessageView) or stream.stream_id is None:
            self.host.banners.show_message(
                "warning",
                self.tr("This answer cannot be resumed: %1 The text so far is kept.").replace(
                    "%1", why
                ),
            )
            self._next()
            return
        assert source is not None
        self.host.controller.play(
            view, source, stream_id=stream.stream_id, last_event_id=stream.last_event_id
        )
        self._attach_recorder(stream)

    def _cannot_resume(self, stream: StreamRecord) -> str:
        if stream.protocol == EMBEDDED_PROTOCOL:
            return self.tr(
                "it came from the built-in demo server, which keeps no answers once the "
                "window has closed."
            )
        if stream.protocol != "assist":
            return self.tr("its server (%1) cannot continue an answer.").replace(
                "%1", stream.protocol
            )
        if not stream.stream_id:
            return self.tr("it was cut off before the server started it.")
        return ""

    def _attach_recorder(self, stream: StreamRecord) -> None:
        recording = self.recording()
        if self.writer is None or recording is None:
            return
        try:  # one short read on the writer thread, once per resumed answer
            recorder = AnswerRecorder.attach(self.writer, stream.message_id)
        except CacheError as exc:
            log.warning("the resumed answer is not recorded: %s", exc)
            return
        recording.adopt(recorder)

    def _on_conversation_shown(self, record: ConversationRecord) -> None:
        """An opened conversation with an answer a server may still finish offers Resume."""
        if self._current is not None:
            return  # opened by a resume run, which continues it anyway
        streams = [
            m.stream
            for m in record.messages
            if m.stream is not None
            and m.stream.state == AnswerStatus.INTERRUPTED
            and m.stream.resumable
        ]
        if not streams:
            return
        stream = streams[-1]
        banner = self.host.banners.show_message(
            "info", self.tr("This answer was interrupted before it was complete.")
        )
        banner.add_action(self.tr("Resume"), lambda: self._resume_from(banner, stream))

    def _resume_from(self, banner: Banner, stream: StreamRecord) -> None:
        banner.dismiss()
        if not self.host.bridge.running:
            self.resume(stream)

    def _on_answer_finished(self, _pane: object, _outcome: object) -> None:
        if self._current is None:
            return
        self.history.refresh()
        self._next()
