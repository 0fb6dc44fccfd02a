"""The cache in the window: history list, search, open, rename, pin, delete, export, replay.

It joins the :class:`HistorySidebar` (what the user sees and asks for), the
:class:`HistoryLibrary` (reads and edits on a worker thread), the answer controller (what the
transcript shows) and the bridge (replays and resumes run as the current answer). Crash resume
lives in :mod:`desktop.ui.history.crash_resume`, built on the same pieces.

Opening a conversation never stops an answer: a conversation whose pane is open (streaming,
say) is switched to as it stands; another one goes into the pane in view if that is idle, or
into a new pane while the one in view goes on streaming in the background.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop.store.export import to_html, to_json, to_markdown
from desktop.store.records import ConversationRecord, ConversationSummary, SearchHit
from desktop.store.replay import CachedAnswerSource
from desktop.store.repository import CacheRepository
from desktop.ui.conversation.cached_views import MessageView
from desktop.ui.conversation.message_view import AssistantMessageView
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.history.host import HistoryHost
from desktop.ui.history.library import HistoryLibrary
from desktop.ui.history.list_items import MARK_AFTER, MARK_BEFORE
from desktop.ui.history.sidebar import HistorySidebar
from desktop.ui.widgets.banner import Banner

log = logging.getLogger(__name__)

#: The list shows at most this many conversations (pinned first, then the newest): rebuilding
#: 300 rows takes about 15 ms on the GUI thread, 10,000 would take 400 ms after every answer.
#: Search reaches all of them.
LIST_LIMIT: Final = 300
#: How long the "deleted" banner offers Undo (milliseconds).
UNDO_MS: Final = 10_000
#: File name suffix and dialog filter per export format.
EXPORT_FORMATS: Final = {
    "md": (".md", "Markdown (*.md)"),
    "json": (".json", "JSON (*.json)"),
    "html": (".html", "HTML (*.html)"),
}
#: ``(parent, suggested path, format) -> chosen path or None``; tests replace the dialog.
ExportPathChooser = Callable[[QWidget, str, str], str | None]


def ask_export_path(parent: QWidget, suggested: str, fmt: str) -> str | None:
    """A save dialog for an export (the default :data:`ExportPathChooser`)."""
    suffix, pattern = EXPORT_FORMATS[fmt]
    path, _ = QFileDialog.getSaveFileName(
        parent,
        QApplication.translate("HistoryController", "Export conversation"),
        suggested + suffix,
        pattern,
    )
    return path or None


class HistoryController(QObject):
    """Shows the cache in the window and turns the sidebar's requests into cache calls.

    Signals:
        shown(object): a cached :class:`ConversationRecord` is now in the transcript.
    """

    shown = Signal(object)

    def __init__(
        self,
        host: HistoryHost,
        library: HistoryLibrary,
        sidebar: HistorySidebar | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or host.window())
        self.host = host
        self.library = library
        self.sidebar = sidebar or HistorySidebar()
        self.choose_export_path: ExportPathChooser = ask_export_path
        #: Views of the conversation on screen by message id (from the cache).
        self.views: dict[int, MessageView] = {}
        self.highlighted: MessageView | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        side = self.sidebar
        side.open_requested.connect(self.open)
        side.hit_activated.connect(self.open_hit)
        side.rename_requested.connect(self.rename)
        side.pin_requested.connect(self.set_pinned)
        side.delete_requested.connect(self.delete)
        side.export_requested.connect(self.export)
        side.replay_requested.connect(self.replay)
        side.search_requested.connect(self.search)
        self.library.changed.connect(self.refresh)
        self.library.failed.connect(self._on_library_failed)

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (and the search results, if a search is open)."""
        self.library.call(lambda r: r.list_conversations(limit=LIST_LIMIT), self._show_list)
        if self.sidebar.query:
            self.search(self.sidebar.query)

    def search(self, query: str) -> None:
        if not query:
            return

        def run(repository: CacheRepository) -> list[SearchHit]:
            return repository.search(query, before=MARK_BEFORE, after=MARK_AFTER)

        self.library.call(run, lambda hits: self.sidebar.set_results(query, hits))

    def rename(self, conversation_id: str, title: str) -> None:
        self.library.call(lambda r: r.rename(conversation_id, title), notify=True)

    def set_pinned(self, conversation_id: str, pinned: bool) -> None:
        self.library.call(lambda r: r.set_pinned(conversation_id, pinned), notify=True)

    def delete(self, conversation_id: str) -> None:
        """Hide the conversation at once; a banner offers Undo for :data:`UNDO_MS`."""
        item = self.sidebar.item_for(conversation_id)
        title = item.text() if item is not None else ""
        pane = self.host.live_pane(conversation_id)
        if pane is not None and pane.running:
            self._info(self.tr("Stop the answer before deleting its conversation."))
            return
        was_open = pane is self.host.current_pane
        if was_open:
            self.host.controller.clear_conversation()
            self.views = {}
        elif pane is not None:
            self.host.drop_pane(pane)
        self.library.call(lambda r: r.delete(conversation_id), notify=True)
        banner = self.host.banners.show_message(
            "info", self.tr("Deleted “%1”.").replace("%1", title)
        )
        banner.add_action(
            self.tr("Undo"), lambda: self.undo_delete(conversation_id, banner, reopen=was_open)
        )
        timer = QTimer(banner)  # dies with the banner, so it never fires on a deleted one
        timer.setSingleShot(True)
        timer.timeout.connect(banner.dismiss)
        timer.start(UNDO_MS)

    def undo_delete(
        self, conversation_id: str, banner: Banner | None = None, *, reopen: bool = False
    ) -> None:
        """Bring the conversation back (and onto the screen, if it was open when deleted)."""
        if banner is not None:
            banner.dismiss()
        self.library.call(lambda r: r.undo_delete(conversation_id), notify=True)
        if reopen:
            self.open(conversation_id)

    # --- showing a conversation -------------------------------------------------------------

    def open(
        self,
        conversation_id: str,
        message_id: int | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Show a cached conversation (works without any server), then call ``then``.

        A streaming conversation's pane is shown as it stands (``then`` is not called).
        """
        live = self.host.live_pane(conversation_id)
        if live is not None and live.running:
            self.host.show_pane(live)
            self.sidebar.select(conversation_id)
            return

        def load(repository: CacheRepository) -> ConversationRecord:
            return repository.get_conversation(conversation_id, token_events=False)

        def show(record: ConversationRecord) -> None:
            if self._show(record, message_id) and then is not None:
                then()

        self.library.call(load, show)

    def open_hit(self, conversation_id: str, message_id: int) -> None:
        self.open(conversation_id, message_id)

    def fill_pane(self, pane: ConversationPane, conversation_id: str) -> None:
        """Put a cached conversation into an idle ``pane`` now (the window's ``pane_loader``).

        Waits for the cache's worker (a short read, behind whatever is queued): the caller
        may send a follow-up into the pane right after, which needs the conversation so far.
        """
        future = self.library.call(
            lambda r: r.get_conversation(conversation_id, token_events=False)
        )
        if future is None:
            return
        try:
            record = future.result(timeout=10)
        except Exception as exc:  # the library reports it as well; the pane stays empty
            log.warning("conversation %s could not be loaded: %s", conversation_id, exc)
            return
        views = pane.controller.show_cached(record)
        if pane is self.host.current_pane:
            self.views = views
            self.highlighted = None

    def _show(self, record: ConversationRecord, message_id: int | None) -> bool:
        live = self.host.live_pane(record.id)
        if live is not None and live.running:  # it started while the conversation loaded
            self.host.show_pane(live)
            self.sidebar.select(record.id)
            return False
        pane = live if live is not None else self.host.spare_pane()
        self.host.show_pane(pane)
        self.views = pane.controller.show_cached(record, message_id)
        self.highlighted = None
        self.sidebar.select(record.id)
        if message_id is not None and message_id in self.views:
            view = self.views[message_id]
            view.setProperty("highlighted", True)
            view.style().unpolish(view)
            view.style().polish(view)
            self.highlighted = view
            # once the views have their sizes (after this event), scroll to the message
            QTimer.singleShot(0, lambda: self._reveal(view))
        self.shown.emit(record)
        return True

    def _reveal(self, view: MessageView) -> None:
        if view is self.highlighted:
            self.host.transcript.reveal(view)

    # --- export and replay ------------------------------------------------------------------

    def export(self, conversation_id: str, fmt: str) -> None:
        """Write one conversation as Markdown, JSON or HTML to a file the user chooses."""
        item = self.sidebar.item_for(conversation_id)
        title = item.text() if item is not None else "conversation"
        path = self.choose_export_path(self.host.window(), _file_stem(title), fmt)
        if not path:
            return
        render = {"md": to_markdown, "json": to_json, "html": to_html}[fmt]

        def write(repository: CacheRepository) -> str:
            record = repository.get_conversation(conversation_id)
            Path(path).write_text(render([record]), encoding="utf-8")
            return path

        self.library.call(
            write, lambda written: self._info(self.tr("Exported to %1.").replace("%1", written))
        )

    def replay(self, conversation_id: str, speed: float = 1.0) -> None:
        """Play the conversation's last answer again through the same renderer."""
        if self.host.bridge.running:
            self._info(self.tr("Stop the running answer before replaying another one."))
            return

        def load(repository: CacheRepository) -> ConversationRecord:
            return repository.get_conversation(conversation_id, token_events=True)

        self.library.call(load, lambda record: self._replay(record, speed))

    def _replay(self, record: ConversationRecord, speed: float) -> None:
        if self.host.bridge.running:
            return
        live = self.host.live_pane(record.id)
        if live is not None and live.running:
            return
        if live is not None:
            self.host.show_pane(live)
        answers = [m for m in record.messages if m.role == "assistant" and m.events]
        if not answers:
            self._info(self.tr("This conversation has no recorded answer to replay."))
            return
        message = answers[-1]
        self.views = self.host.controller.show_cached(record)
        self.sidebar.select(record.id)
        old = self.views.get(message.id)
        transcript = self.host.transcript
        if isinstance(old, AssistantMessageView) and transcript.last_answer() is old:
            transcript.remove_last_answer()
        view = transcript.add_answer()
        self.views[message.id] = view
        self.host.controller.play(view, ReplaySource(message.events, speed=speed))

    # --- internals --------------------------------------------------------------------------

    def _show_list(self, summaries: list[ConversationSummary]) -> None:
        self.sidebar.set_conversations(summaries, more=len(summaries) >= LIST_LIMIT)
        self.sidebar.select(self.host.controller.conversation_id)

    def _info(self, text: str) -> None:
        self.host.banners.show_message("info", text)

    def _on_library_failed(self, message: str) -> None:
        self.host.banners.show_message("warning", message)


class ReplaySource(CachedAnswerSource):
    """A replay as the bridge's answer source; it has no connection to drop."""

    def drop_connection(self) -> None:
        """The developer's "simulate connection drop" does nothing to a replay."""


def _file_stem(title: str) -> str:
    """A file name from a title: no path separators or control characters, not too long."""
    safe = "".join(c if c.isalnum() or c in " -_." else "_" for c in title).strip(" .")
    return (safe or "conversation")[:60]
