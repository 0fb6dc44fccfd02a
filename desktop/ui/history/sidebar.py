"""The history sidebar: conversations by date, a search field, and the list's own actions.

The sidebar only shows what it is given and says what the user asked for through signals; the
:class:`~desktop.ui.history.controller.HistoryController` reads and edits the cache off the GUI
thread. Destructive keys act only inside the list (Delete there is undoable, see issue 5's
lesson from LM Studio #983); everything else is in the context menu too.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDateTime, QEvent, QLocale, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.answer_status import AnswerStatus
from desktop.store.records import ConversationSummary, SearchHit
from desktop.ui.accessibility.naming import name_field
from desktop.ui.history.list_items import (
    GROUPS,
    RICH_TEXT_ROLE,
    STATE_ROLE,
    ConversationDelegate,
    RichTextDelegate,
    group_of,
    snippet_html,
    state_mark,
)

ID_ROLE = int(Qt.ItemDataRole.UserRole)
TITLE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
PINNED_ROLE = int(Qt.ItemDataRole.UserRole) + 2
MESSAGE_ROLE = int(Qt.ItemDataRole.UserRole) + 3
#: Typing pauses this long before a search runs (milliseconds).
SEARCH_DELAY_MS = 200


class HistorySidebar(QWidget):
    """Conversations grouped by date (Pinned, Today, Yesterday, Previous 7 days, Older).

    Signals:
        open_requested(str): open the conversation with this id.
        hit_activated(str, int): open a conversation and show this message (a search result).
        rename_requested(str, str): conversation id, new title.
        pin_requested(str, bool): conversation id, pinned.
        delete_requested(str): conversation id (the controller offers Undo).
        export_requested(str, str): conversation id, ``md``, ``json`` or ``html``.
        replay_requested(str, float): replay the conversation's last answer at this speed.
        search_requested(str): the query changed (after a short pause); empty ends the search.
    """

    open_requested = Signal(str)
    hit_activated = Signal(str, object)  # message ids exceed a C int
    rename_requested = Signal(str, str)
    pin_requested = Signal(str, bool)
    delete_requested = Signal(str)
    export_requested = Signal(str, str)
    replay_requested = Signal(str, float)
    search_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historySidebar")
        self._filling = False
        self._summaries: list[ConversationSummary] = []
        self._more = False
        self._open_first = False
        self._shown: tuple[object, ...] | None = None
        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("historySearch")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.installEventFilter(self)
        self.list = QListWidget(self)
        self.list.setObjectName("historyList")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.installEventFilter(self)
        self.list.setItemDelegate(ConversationDelegate(self.list))
        # Rows elide their titles to the sidebar's width; a scroll bar would only show the
        # delegate's natural width, never more text.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results = QListWidget(self)
        self.results.setObjectName("historyResults")
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.hide()
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("historyEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search_field)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.results, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._connect_signals()
        self._retranslate()

    def _connect_signals(self) -> None:
        self.search_field.textChanged.connect(self._on_search_text_changed)
        self.search_field.returnPressed.connect(self._on_search_return_pressed)
        self._search_timer.timeout.connect(self.run_search)
        self.list.itemClicked.connect(self._on_item_activated)
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.customContextMenuRequested.connect(self._show_menu)
        self.results.itemClicked.connect(self._on_result_activated)
        self.results.itemActivated.connect(self._on_result_activated)

    # --- what the controller calls ----------------------------------------------------------

    @property
    def query(self) -> str:
        return self.search_field.text().strip()

    def set_conversations(
        self,
        summaries: Sequence[ConversationSummary],
        *,
        more: bool = False,
        today: date | None = None,
    ) -> None:
        """Show ``summaries`` (pinned first, then newest) under their date headings.

        ``more`` says older conversations were left out (a last row points to the search).
        An unchanged list on the same day is left as it is (no rebuild after every answer).
        """
        today = today or date.fromtimestamp(time.time())
        shown = (list(summaries), more, today)
        if shown == self._shown and self.list.count():
            return
        self._shown = shown
        self._more = more
        self._summaries = list(summaries)
        current = self.current_id()
        groups: dict[str, list[ConversationSummary]] = {key: [] for key in GROUPS}
        for summary in summaries:
            groups[group_of(summary.updated, summary.pinned, today)].append(summary)
        self._filling = True
        try:
            self.list.clear()
            for key in GROUPS:
                if not groups[key]:
                    continue
                heading = QListWidgetItem(self._group_title(key), self.list)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setData(ID_ROLE, None)
                heading.setData(TITLE_ROLE, key)
                font = heading.font()
                font.setBold(True)
                font.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
                heading.setFont(font)
                for summary in groups[key]:
                    item = QListWidgetItem(summary.title or self.tr("Untitled"), self.list)
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsEditable
                    )
                    item.setData(ID_ROLE, summary.id)
                    item.setData(TITLE_ROLE, summary.title)
                    item.setData(PINNED_ROLE, summary.pinned)
                    mark = state_mark(
                        summary.answer_status, self._row_word(summary), queued=summary.queued > 0
                    )
                    item.setData(STATE_ROLE, mark)
                    item.setToolTip(summary.title)
                    item.setData(Qt.ItemDataRole.AccessibleTextRole, self._spoken(summary))
                    if summary.id == current:
                        item.setSelected(True)
                        self.list.setCurrentItem(item)
            if more:
                footer = QListWidgetItem(self._more_text(), self.list)
                footer.setFlags(Qt.ItemFlag.NoItemFlags)
                footer.setData(ID_ROLE, None)
                footer.setData(TITLE_ROLE, "more")
        finally:
            self._filling = False
        self._update_empty()

    def set_results(self, query: str, hits: Sequence[SearchHit]) -> None:
        """Show search results for ``query`` (ignored if the field moved on meanwhile)."""
        if query != self.query:
            return
        open_first, self._open_first = self._open_first, False
        self.results.clear()
        for hit in hits:
            title = snippet_html(hit.conversation_title)
            markup = f"<b>{title}</b><br/>{snippet_html(hit.snippet)}"
            item = QListWidgetItem(self.results)
            item.setData(RICH_TEXT_ROLE, markup)
            item.setData(ID_ROLE, hit.conversation_id)
            item.setData(MESSAGE_ROLE, hit.message_id)
            plain = hit.snippet.replace("\x02", "").replace("\x03", "")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{hit.conversation_title}: {plain}")
        self._update_empty()
        if open_first and self.results.count():
            self._on_result_activated(self.results.item(0))

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(ID_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def select(self, conversation_id: str | None) -> None:
        """Mark the open conversation in the list (without opening it again)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == conversation_id:
                self.list.setCurrentItem(item)
                return
        self.list.clearSelection()
        self.list.setCurrentRow(-1)

    def item_for(self, conversation_id: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == conversation_id:
                return item
        return None

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def begin_rename(self, conversation_id: str | None = None) -> None:
        """Edit the title in place (F2, or the context menu)."""
        item = self.item_for(conversation_id) if conversation_id else self.list.currentItem()
        if item is not None and item.data(ID_ROLE):
            self.list.setCurrentItem(item)
            self.list.editItem(item)

    def run_search(self) -> None:
        self._search_timer.stop()
        query = self.query
        searching = bool(query)
        self.list.setVisible(not searching)
        self.results.setVisible(searching)
        if not searching:
            self.results.clear()
            self._update_empty()
        self.search_requested.emit(query)

    # --- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.list and self.list.state() != QAbstractItemView.State.EditingState:
                current = self.current_id()
                if event.key() == Qt.Key.Key_F2 and current:
                    self.begin_rename(current)
                    return True
                if event.key() == Qt.Key.Key_Delete and current:
                    self.delete_requested.emit(current)
                    return True
                if _opens_context_menu(event) and current:  # the keyboard's right click
                    item = self.list.currentItem()
                    self._show_menu(self.list.visualItemRect(item).center())
                    return True
            if watched is self.search_field and event.key() == Qt.Key.Key_Escape:
                self.search_field.clear()
                self.run_search()
                return True
            if watched is self.search_field and event.key() == Qt.Key.Key_Down:
                target = self.results if self.results.isVisible() else self.list
                target.setFocus()
                if target.currentItem() is None and target.count():
                    target.setCurrentRow(0 if target is self.results else 1)
                return True
        if (
            watched is self.search_field
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search_field.text()
        ):
            event.accept()  # Esc clears the search instead of stopping the answer
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_return_pressed(self) -> None:
        """Enter opens the first result (searching at once if the pause has not passed)."""
        if self._search_timer.isActive():
            self._open_first = True
            self.run_search()
        elif self.results.count():
            self._on_result_activated(self.results.item(0))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(ID_ROLE)
        if isinstance(conversation_id, str):
            self.open_requested.emit(conversation_id)

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        conversation_id, message_id = item.data(ID_ROLE), item.data(MESSAGE_ROLE)
        if isinstance(conversation_id, str) and isinstance(message_id, int):
            self.hit_activated.emit(conversation_id, message_id)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        conversation_id = item.data(ID_ROLE)
        old = item.data(TITLE_ROLE)
        new = item.text().strip()
        if not isinstance(conversation_id, str) or new == old:
            return
        if not new:  # an empty title is no title: put the old one back
            self._filling = True
            item.setText(str(old))
            self._filling = False
            return
        self._filling = True
        item.setData(TITLE_ROLE, new)
        self._filling = False
        self.rename_requested.emit(conversation_id, new)

    def _show_menu(self, point: QPoint) -> None:
        item = self.list.itemAt(point)
        conversation_id = item.data(ID_ROLE) if item is not None else None
        if item is None or not isinstance(conversation_id, str):
            return
        menu = self.context_menu(conversation_id, bool(item.data(PINNED_ROLE)))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(self.list.viewport().mapToGlobal(point))

    def context_menu(self, conversation_id: str, pinned: bool) -> QMenu:
        """The actions on one conversation (also what tests trigger)."""
        cid = conversation_id
        menu = QMenu(self)
        menu.setObjectName("historyMenu")
        menu.addAction(self.tr("Open"), lambda: self.open_requested.emit(cid))
        menu.addAction(self.tr("Rename…"), lambda: self.begin_rename(cid))
        menu.addAction(
            self.tr("Unpin") if pinned else self.tr("Pin to top"),
            lambda: self.pin_requested.emit(cid, not pinned),
        )
        replay = menu.addMenu(self.tr("Replay answer"))
        replay.addAction(
            self.tr("At original speed (1×)"), lambda: self.replay_requested.emit(cid, 1.0)
        )
        replay.addAction(
            self.tr("Four times faster (4×)"), lambda: self.replay_requested.emit(cid, 4.0)
        )
        export = menu.addMenu(self.tr("Export"))
        export.addAction(self.tr("Markdown…"), lambda: self.export_requested.emit(cid, "md"))
        export.addAction(self.tr("JSON…"), lambda: self.export_requested.emit(cid, "json"))
        export.addAction(self.tr("HTML…"), lambda: self.export_requested.emit(cid, "html"))
        menu.addSeparator()
        menu.addAction(self.tr("Delete"), lambda: self.delete_requested.emit(cid))
        return menu

    def _update_empty(self) -> None:
        if self.query:
            empty = self.results.count() == 0
            self.empty_label.setText(self.tr("No message matches."))
        else:
            empty = not self._summaries
            self.empty_label.setText(self.tr("Answers you receive are kept here."))
        self.empty_label.setVisible(empty)

    def _spoken(self, summary: ConversationSummary) -> str:
        """What a screen reader says on a row: the title, then what a sighted user sees from
        its group and its look (its answer's state, pinned, how long it is, when it was last
        changed)."""
        when = QDateTime.fromSecsSinceEpoch(int(summary.updated))
        parts = [
            summary.title or self.tr("Untitled"),
            self._row_word(summary),
            self.tr("pinned") if summary.pinned else "",
            self.tr("%1 messages").replace("%1", str(summary.message_count)),
            self.tr("changed %1").replace(
                "%1", QLocale().toString(when, QLocale.FormatType.ShortFormat)
            ),
        ]
        return ", ".join(p for p in parts if p)

    def _row_word(self, summary: ConversationSummary) -> str:
        if summary.queued:
            return self.tr("queued")
        return self._state_word(summary.answer_status)

    def _state_word(self, status: AnswerStatus | None) -> str:
        """The word for a latest answer that is not plainly done (empty when it is)."""
        return (
            {
                AnswerStatus.STREAMING: self.tr("answering"),
                AnswerStatus.STOPPED: self.tr("stopped"),
                AnswerStatus.INTERRUPTED: self.tr("interrupted"),
                AnswerStatus.FAILED: self.tr("failed"),
            }.get(status, "")
            if status is not None
            else ""
        )

    def _more_text(self) -> str:
        return self.tr("Older conversations are found by the search.")

    def _group_title(self, key: str) -> str:
        return {
            "pinned": self.tr("Pinned"),
            "today": self.tr("Today"),
            "yesterday": self.tr("Yesterday"),
            "week": self.tr("Previous 7 days"),
            "older": self.tr("Older"),
        }[key]

    def _retranslate(self) -> None:
        self.search_field.setPlaceholderText(self.tr("Search all conversations (Ctrl+K)"))
        name_field(self.search_field, self.tr("Search all conversations"))
        self.list.setAccessibleName(self.tr("Conversations"))
        self.results.setAccessibleName(self.tr("Search results"))
        if self._summaries:
            self._shown = None  # rebuild in the new language
            self.set_conversations(self._summaries, more=self._more)
        self._update_empty()


def _opens_context_menu(event: QKeyEvent) -> bool:
    """The Menu key, or Shift+F10 (the keyboards that have no Menu key)."""
    shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
    return event.key() == Qt.Key.Key_Menu or (event.key() == Qt.Key.Key_F10 and bool(shift))
