"""Wiring the cache into one window: open it off the GUI thread, then build the history parts.

:func:`open_cache` runs in a worker thread at start (the window has painted already): it opens
the writer, purges conversations deleted in an earlier run (their Undo is long gone) and marks
the streams a crash left ``streaming`` as interrupted, before any new answer can start, so a
fresh answer is never taken for an orphan. :class:`WindowHistory` then builds the sidebar, the
recording, search, export, replay and the crash-resume offer on the GUI thread.

A cache that cannot be used (a newer version's file, a read-only directory) leaves the window
working without history, with a banner saying why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop.conversation.model import Answer
from desktop.store.errors import CacheError
from desktop.store.queued_rows import delete_queued, queue_after_first_try, save_queued
from desktop.store.records import QueuedQuestion, StreamRecord
from desktop.store.repository import CacheRepository
from desktop.store.writer import CacheWriter, Work
from desktop.ui.conversation.offline_queue import OfflineQueue
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.history.recording import AnswerRecording, CacheErrorRelay, ServerOfAnswers

__all__ = [
    "CacheErrorRelay",
    "OpenedCache",
    "WindowHistory",
    "attach_history",
    "open_cache",
]
from desktop.ui.history.controller import HistoryController
from desktop.ui.history.crash_resume import CrashResume, ResumeSource
from desktop.ui.history.host import HistoryHost
from desktop.ui.history.library import HistoryLibrary
from desktop.ui.history.sidebar import HistorySidebar

log = logging.getLogger(__name__)


@dataclass
class OpenedCache:
    """What :func:`open_cache` found: a writer, or the reason there is none."""

    writer: CacheWriter | None
    error: str | None = None
    notice: str | None = None
    interrupted: list[StreamRecord] = field(default_factory=list)


def open_cache(path: str | Path | None, relay: CacheErrorRelay) -> OpenedCache:
    """Open the cache (``None``: the default file) and find the answers a crash cut off.

    Offered are the interrupted answers a server could still continue, and, once, those cut
    off just now that none can (the embedded demo's): the user hears why, and is not asked
    again at every start. Call it in a worker thread.
    """
    try:
        writer = CacheWriter(Path(path).expanduser() if path else None, on_error=relay.report)
    except CacheError as exc:
        log.warning("%s", exc)
        return OpenedCache(None, error=str(exc))
    try:
        with CacheRepository.open(writer.path) as repository:
            repository.purge_deleted()
            before = {s.message_id for s in repository.resumable_streams()}
            repository.mark_orphans_interrupted()
            interrupted = [
                s
                for s in repository.resumable_streams()
                if s.resumable or s.message_id not in before
            ]
    except CacheError as exc:
        log.warning("%s", exc)
        interrupted = []
    return OpenedCache(writer, notice=writer.notice, interrupted=interrupted)


class WindowHistory(QObject):
    """Everything the cache adds to one window; :meth:`close` ends it (on shutdown).

    It also keeps the window's queued questions (``store.queued_rows``).

    Each open conversation (pane) gets its own :class:`AnswerRecording`, made when the pane is
    added and dropped with it, so concurrent answers go into their own conversations.
    """

    _queue_written = Signal()  # from the writer thread; queued to the GUI thread

    def __init__(
        self,
        host: HistoryHost,
        writer: CacheWriter,
        relay: CacheErrorRelay,
        server: ServerOfAnswers,
        resume_source: ResumeSource,
    ) -> None:
        super().__init__(host.window())
        self.host = host
        self.writer = writer
        self.relay = relay
        self.library = HistoryLibrary(writer.path, self)
        self.sidebar = HistorySidebar()
        self.history = HistoryController(host, self.library, self.sidebar, self)
        self._server = server
        self.recordings: dict[ConversationPane, AnswerRecording] = {}
        for pane in host.panes:
            self._record(pane)
        self.resume = CrashResume(
            self.history,
            writer,
            lambda: self.recordings.get(host.current_pane),
            resume_source,
            self,
        )
        host.set_sidebar(self.sidebar, self.sidebar.search_field)
        host.pane_loader = self.history.fill_pane
        host.title_lookup = self._title_of
        host.pane_added.connect(self._record)
        host.pane_removed.connect(self._forget)
        host.pane_shown.connect(self._on_pane_shown)
        relay.error.connect(self._on_cache_error)
        host.replay_requested.connect(self._on_replay_requested)
        self._queue_written.connect(self.history.refresh)
        self._keep_queue(host.offline_queue)
        self.history.refresh()

    def _keep_queue(self, queue: OfflineQueue) -> None:
        """The cache keeps the queue: its changes are written in order on the writer thread,
        and the questions an earlier run left are restored."""
        queue.queued.connect(self._on_question_queued)
        queue.edited.connect(lambda q: self._write(lambda c: save_queued(c, q)))
        queue.removed.connect(lambda q: self._write(lambda c: delete_queued(c, q.id)))
        self.library.call(lambda r: r.queued_questions(), queue.restore)

    def _on_question_queued(self, question: QueuedQuestion, message_id: int | None) -> None:
        # After this event: the recording closes the failed try's row on the same signal,
        # and that final checkpoint must be written before the row is withdrawn.
        QTimer.singleShot(
            0, lambda: self._write(lambda c: queue_after_first_try(c, question, message_id))
        )

    def _write(self, work: Work) -> None:
        self.writer.submit(work).add_done_callback(lambda _f: self._queue_written.emit())

    @property
    def recording(self) -> AnswerRecording:
        """The recording of the conversation in view."""
        return self.recordings[self.host.current_pane]

    def close(self) -> None:
        """Keep running answers resumable, then finish every queued write and read."""
        for recording in self.recordings.values():
            recording.close()
        self.library.close()
        self.writer.close()

    def _record(self, pane: ConversationPane) -> None:
        recording = AnswerRecording(
            pane.bridge,
            self.writer,
            self._server,
            self,
            alternative=lambda: pane.controller.pending_alternative,
            edit=lambda: pane.controller.pending_edit,
        )
        self.recordings[pane] = recording
        recording.recorded.connect(self._on_recorded)
        recording.started.connect(pane.controller.set_cache_id)
        pane.controller.alternative_chosen.connect(self._on_alternative_chosen)

    def _forget(self, pane: ConversationPane) -> None:
        recording = self.recordings.pop(pane, None)
        if recording is not None:
            recording.close()  # an idle pane's recorder is retired already: nothing to write
            recording.deleteLater()

    def _on_pane_shown(self, pane: ConversationPane) -> None:
        self.sidebar.select(pane.conversation_id)

    def _title_of(self, conversation_id: str) -> str | None:
        item = self.sidebar.item_for(conversation_id)
        return item.text() if item is not None else None

    def _on_recorded(self, _conversation_id: str) -> None:
        self.history.refresh()

    def _on_alternative_chosen(self, answer: Answer) -> None:
        message_id = answer.cache_id
        if message_id is not None:
            self.library.call(lambda r: r.choose_alternative(message_id))

    def _on_replay_requested(self, speed: float) -> None:
        self.history.replay(self.host.controller.conversation_id, speed)

    def _on_cache_error(self, message: str) -> None:
        self.host.banners.show_message("warning", message)


def attach_history(
    host: HistoryHost,
    opened: OpenedCache,
    relay: CacheErrorRelay,
    server: ServerOfAnswers,
    resume_source: ResumeSource,
) -> WindowHistory | None:
    """Add the history to ``host``, or a banner saying why there is none.

    A moved-aside corrupt file gives a banner too; then the interrupted answers are offered.
    """
    if opened.writer is None:
        host.banners.show_message(
            "warning",
            QApplication.translate("WindowHistory", "Conversation history is off: %1").replace(
                "%1", opened.error or ""
            ),
        )
        return None
    history = WindowHistory(host, opened.writer, relay, server, resume_source)
    if opened.notice:
        host.banners.show_message("warning", opened.notice)
    history.resume.offer(opened.interrupted)
    return history
