"""The main window: layout, menus, shortcuts, theme, language and remembered geometry.

Behaviour lives in each :class:`ConversationPane`'s :class:`AnswerController`; this module
only arranges widgets, keeps the open conversations (one pane each, stacked, one in view) and
routes menu actions to the pane in view. Seams for other parts: ``set_sidebar`` (conversation
history, with its search field), ``set_metrics_widget`` (the developer metrics dock),
``pane_for`` (open or find a conversation's pane, in view or in the background) and
``pane_loader`` (how a cached conversation is put into a pane).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import partial
from typing import Final

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.events import StreamEvent
from desktop.settings import Settings
from desktop.streaming.session import Outcome
from desktop.ui.accessibility.announcer import Announcer
from desktop.ui.accessibility.naming import name_field
from desktop.ui.accessibility.shortcuts_dialog import ShortcutsDialog
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.answer_controller import AnswerController
from desktop.ui.conversation.connection_status import ConnectionStatus
from desktop.ui.conversation.input_box import InputBox
from desktop.ui.conversation.network_watch import watch_network
from desktop.ui.conversation.offline_queue import OfflineQueue
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.conversation.progress_panel import ProgressPanel
from desktop.ui.conversation.transcript_view import TranscriptView
from desktop.ui.widgets.banner import BannerArea
from desktop.ui.window import theme
from desktop.ui.window.about_dialog import AboutDialog
from desktop.ui.window.notifier import DesktopNotifier
from desktop.ui.window.resources import resource

#: Finished conversations kept open in the background (the newest); older ones are dropped:
#: they are in the cache, and opening one again rebuilds it.
MAX_IDLE_BACKGROUND: Final = 4

#: ``(pane, conversation_id)``: put the cached conversation into the (idle) pane, now.
PaneLoader = Callable[[ConversationPane, str], None]


class FindBar(QWidget):
    """Ctrl+F: find text in the conversation; Enter finds the next match, Esc closes."""

    def __init__(self, transcript: TranscriptView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        #: The transcript searched: the conversation in view's (the window sets it on a switch).
        self.transcript = transcript
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        close = self.close_button = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(close)
        self.field.returnPressed.connect(self.find_next)
        self._retranslate()
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def find_next(self) -> bool:
        backward = bool(QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        return self.transcript.find_text(self.field.text(), backward=backward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_escape = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
        if watched is self.field and is_escape:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # Esc closes the bar instead of stopping the answer
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.hide()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.field.setPlaceholderText(
            self.tr("Find in conversation (Enter: next, Shift+Enter: back)")
        )
        name_field(self.field, self.tr("Find in conversation"))
        self.close_button.setAccessibleName(self.tr("Close the find bar"))
        self.close_button.setToolTip(self.tr("Close the find bar (Esc)"))


class MainWindow(QMainWindow):
    """The window around the open conversations, one :class:`ConversationPane` each.

    ``bridge`` is the first conversation's; later panes get theirs from its
    :class:`AnswerRunners` pool. ``controller``, ``transcript``, ``bridge``, ``input_box``,
    ``progress``, ``connection`` and ``banners`` are the parts of the pane in view.

    Signals:
        settings_requested(): the user opened the settings (the composition root shows them).
        closed(): the window was closed; the composition root shuts down.
        pane_added(object): a new :class:`ConversationPane` exists (wire its signals).
        pane_shown(object): this pane is in view now.
        pane_removed(object): this pane is about to go (an idle one switched away from).
        answer_finished(object, object): a pane's answer ended: the pane and its
            :class:`Outcome`, after the pane's own ``controller.answer_finished``.
    """

    settings_requested = Signal()
    closed = Signal()
    replay_requested = Signal(float)
    pane_added = Signal(object)
    pane_shown = Signal(object)
    pane_removed = Signal(object)
    answer_finished = Signal(object, object)

    def __init__(self, bridge: StreamBridge, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(QIcon(str(resource("icons", "app.svg"))))
        self.runners = bridge.runners
        self.settings = settings
        self.palette_in_use = theme.resolve(settings.theme)
        #: How a cached conversation gets into a pane (the history sets it); None: it cannot.
        self.pane_loader: PaneLoader | None = None
        #: A conversation's title as the history knows it (renamed, say); None: unknown.
        self.title_lookup: Callable[[str], str | None] | None = None
        self.panes: list[ConversationPane] = []
        #: Questions waiting for the server, of every conversation (each pane shows its own).
        self.offline_queue = OfflineQueue(self)
        self.offline_queue.live_controller = self._live_controller
        self.offline_queue.open_controller = self._background_controller
        watch_network(self.offline_queue.network_changed)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("conversationStack")
        self.status_stack = QStackedWidget(self)
        self.status_stack.setObjectName("connectionStack")
        first = self._new_pane(bridge)
        self._current = first
        self.find_bar = FindBar(first.transcript, self)
        self.announcer = Announcer(first.transcript, self)
        self.notifier = DesktopNotifier(self)
        self.notifier.activated.connect(self._on_notifier_activated)
        self.sidebar_slot = QWidget(self)
        self.sidebar_slot.setObjectName("sidebarSlot")
        self._sidebar_layout = QVBoxLayout(self.sidebar_slot)
        self._sidebar_layout.setContentsMargins(0, 0, 0, 0)
        self.sidebar_slot.hide()
        self._sidebar_search: QWidget | None = None
        self.metrics_dock = QDockWidget(self)
        self.metrics_dock.setObjectName("metricsDock")
        self.metrics_dock.hide()
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.metrics_dock)
        self._build_layout()
        self._build_actions()
        self._build_menus()
        self._connect_signals()
        self._retranslate()
        self.resize(1000, 760)
        self.restore_geometry()
        self.fit_to_screen()

    # --- layout -----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        pane = QWidget(self)
        pane.setObjectName("centralPane")
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar_slot)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(True)
        self.setCentralWidget(self.splitter)
        self.statusBar().addWidget(self.status_stack, 1)
        self.statusBar().setSizeGripEnabled(False)

    def _build_actions(self) -> None:
        def action(
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None, slot: object
        ) -> QAction:
            act = QAction(self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        # Each acts on the pane in view at the time it is triggered.
        self.send_action = action("Ctrl+Return", lambda: self.input_box.submit())
        self.stop_action = action("Esc", lambda: self.controller.stop())
        self.stop_action.setEnabled(False)
        self.regenerate_action = action("Ctrl+R", lambda: self.controller.regenerate())
        self.copy_action = action("Ctrl+Shift+C", lambda: self.controller.copy_answer())
        self.new_action = action(QKeySequence.StandardKey.New, self.new_conversation)
        self.focus_action = action("Ctrl+L", self.focus_input)
        self.find_action = action(QKeySequence.StandardKey.Find, self.find_bar.open)
        self.settings_action = action("Ctrl+,", self.settings_requested.emit)
        self.quit_action = action(QKeySequence.StandardKey.Quit, self.close)
        self.drop_action = action("Ctrl+Shift+D", lambda: self.bridge.drop_connection())
        self.drop_action.setObjectName("simulateDropAction")
        self.metrics_action = self.metrics_dock.toggleViewAction()
        self.metrics_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.metrics_action.setEnabled(False)
        self.about_action = action(None, self._show_about)
        self.shortcuts_action = action(QKeySequence.StandardKey.HelpContents, self.show_shortcuts)
        self.history_action = action("Ctrl+B", self.set_sidebar_visible)
        self.history_action.setCheckable(True)
        self.history_action.setEnabled(False)
        self.history_search_action = action("Ctrl+K", self.search_history)
        self.history_search_action.setShortcuts(
            [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+Shift+F")]
        )
        self.history_search_action.setEnabled(False)
        self.status_action = action("Ctrl+Shift+S", self.announcer.read_status)
        self.answer_focus_action = action("Ctrl+Shift+A", self.focus_answer)
        #: nscale-assist's plain-language switch; the app enables it for such a server.
        self.simple_language_action = QAction(self)
        self.simple_language_action.setCheckable(True)
        self.simple_language_action.setEnabled(False)
        self.simple_language_action.setObjectName("simpleLanguageAction")
        self.addAction(self.simple_language_action)
        self.notice_focus_action = action("F6", lambda: self.banners.focus_newest())
        self.replay_action = action(None, lambda: self.replay_requested.emit(1.0))
        self.replay_fast_action = action(None, lambda: self.replay_requested.emit(4.0))
        for act in (self.replay_action, self.replay_fast_action):
            act.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = QMenu(self)
        self.file_menu.addActions([self.new_action, self.settings_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.history_action, self.history_search_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.answer_menu = QMenu(self)
        self.answer_menu.addActions(
            [self.send_action, self.stop_action, self.regenerate_action, self.copy_action]
        )
        self.answer_menu.addActions([self.replay_action, self.replay_fast_action])
        self.answer_menu.addSeparator()
        self.answer_menu.addAction(self.simple_language_action)
        self.answer_menu.addSeparator()
        self.answer_menu.addActions([self.find_action, self.focus_action])
        self.answer_menu.addActions(
            [self.answer_focus_action, self.notice_focus_action, self.status_action]
        )
        self.developer_menu = QMenu(self)
        self.developer_menu.setObjectName("developerMenu")
        self.developer_menu.addActions([self.drop_action, self.metrics_action])
        self.help_menu = QMenu(self)
        self.help_menu.addActions([self.shortcuts_action, self.about_action])
        for menu in (self.file_menu, self.answer_menu, self.developer_menu, self.help_menu):
            bar.addMenu(menu)

    def _connect_signals(self) -> None:
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_color_scheme_changed)
        self._accessibility_hints = hints.accessibility()  # a wrapper must outlive the connection
        self._accessibility_hints.contrastPreferenceChanged.connect(
            self._on_contrast_preference_changed
        )

    # --- the open conversations ---------------------------------------------------------------

    @property
    def current_pane(self) -> ConversationPane:
        """The conversation in view."""
        return self._current

    @property
    def bridge(self) -> StreamBridge:
        return self._current.bridge

    @property
    def controller(self) -> AnswerController:
        return self._current.controller

    @property
    def transcript(self) -> TranscriptView:
        return self._current.transcript

    @property
    def input_box(self) -> InputBox:
        return self._current.input_box

    @property
    def progress(self) -> ProgressPanel:
        return self._current.progress

    @property
    def connection(self) -> ConnectionStatus:
        return self._current.connection

    @property
    def banners(self) -> BannerArea:
        return self._current.banners

    def live_pane(self, conversation_id: str) -> ConversationPane | None:
        """The open pane of ``conversation_id``, if one is open."""
        return next((p for p in self.panes if p.conversation_id == conversation_id), None)

    def pane_for(self, conversation_id: str | None, *, show: bool) -> ConversationPane:
        """The pane of ``conversation_id`` (None: a new conversation), opened if need be.

        An open pane is reused as it stands (a streaming one is never rebuilt). Otherwise an
        idle pane in view takes the conversation when ``show``; a new pane does when not (so
        a question can go out in the background: ``pane_for(id, show=False).controller.send``).
        A cached conversation is loaded into the pane before this returns (``pane_loader``).
        """
        if conversation_id is not None:
            live = self.live_pane(conversation_id)
            if live is not None:
                if show:
                    self.show_pane(live)
                return live
        current = self._current
        reuse = show and not current.running
        if conversation_id is None and reuse and current.transcript.messages:
            reuse = False  # a fresh pane; the idle one goes when switched away from
        pane = current if reuse else self._new_pane()
        if conversation_id is not None and self.pane_loader is not None:
            self.pane_loader(pane, conversation_id)
        if show:
            self.show_pane(pane)
        return pane

    def _live_controller(self, conversation_id: str) -> AnswerController | None:
        pane = self.live_pane(conversation_id)
        return pane.controller if pane is not None else None

    def _background_controller(self, conversation_id: str) -> AnswerController | None:
        """A queued question's pane: opened out of view when its conversation is not open."""
        if self.pane_loader is None and self.live_pane(conversation_id) is None:
            return None  # without the cache no pane can take that conversation
        return self.pane_for(conversation_id, show=False).controller

    def spare_pane(self) -> ConversationPane:
        """The pane in view if it is idle (it may take another conversation), else a new
        pane in view, the streaming one going on in the background."""
        if not self._current.running:
            return self._current
        pane = self._new_pane()
        self.show_pane(pane)
        return pane

    def show_pane(self, pane: ConversationPane) -> None:
        """Bring ``pane`` into view; an idle pane switched away from is dropped (unless a
        draft waits in its message box)."""
        old = self._current
        if pane is old:
            return
        self._current = pane
        self.stack.setCurrentWidget(pane)
        self.status_stack.setCurrentWidget(pane.connection)
        self.find_bar.transcript = pane.transcript
        self.announcer.set_target(pane.transcript)
        self._on_bridge_running_changed(pane.running)
        if old.disposable:
            self.drop_pane(old)
        self.pane_shown.emit(pane)

    def drop_pane(self, pane: ConversationPane) -> None:
        """Close a pane not in view (its conversation stays in the cache)."""
        if pane is self._current or pane not in self.panes:
            return
        self.pane_removed.emit(pane)
        self.panes.remove(pane)
        self.stack.removeWidget(pane)
        self.status_stack.removeWidget(pane.connection)
        pane.close_runner()
        pane.deleteLater()

    def new_conversation(self) -> None:
        """Start over: in place when idle (with Undo); beside a streaming answer, which goes on
        in the background, in a new pane."""
        old = self._current
        if not old.running:
            old.controller.new_conversation()
            return
        pane = self.pane_for(None, show=True)
        pane.banners.show_message(
            "info",
            self.tr("The answer in “%1” goes on in the background.").replace("%1", old.title),
        )
        pane.input_box.editor.setFocus()

    def title_of(self, pane: ConversationPane) -> str:
        known = self.title_lookup(pane.conversation_id) if self.title_lookup else None
        return known or pane.title

    def _new_pane(self, bridge: StreamBridge | None = None) -> ConversationPane:
        first = not self.panes
        runner = bridge if bridge is not None else self.runners.bridge()
        pane = ConversationPane(runner, self.palette_in_use.markdown_colors(), self.stack)
        if not first:  # like the pane in view: usable once a server is connected
            pane.input_box.setEnabled(self._current.input_box.isEnabled())
            starting = self._current.connection.state == "starting"
            pane.connection.set_state("starting" if starting else "idle")
        self.offline_queue.attach(pane.controller)
        self.panes.append(pane)
        self.stack.addWidget(pane)
        self.status_stack.addWidget(pane.connection)
        pane.bridge.running_changed.connect(partial(self._on_pane_running_changed, pane))
        pane.bridge.event_received.connect(partial(self._on_pane_event, pane))
        pane.banners.banner_shown.connect(partial(self._on_pane_banner_shown, pane))
        pane.controller.settings_requested.connect(self.settings_requested)
        pane.controller.answer_finished.connect(partial(self._on_pane_answer_finished, pane))
        pane.new_conversation_requested.connect(self.new_conversation)
        if not first:
            self.pane_added.emit(pane)
        return pane

    def _trim(self) -> None:
        idle = [p for p in self.panes if p is not self._current and p.disposable]
        for pane in idle[: max(0, len(idle) - MAX_IDLE_BACKGROUND)]:
            self.drop_pane(pane)

    def _on_pane_running_changed(self, pane: ConversationPane, running: bool) -> None:
        if pane is self._current:
            self._on_bridge_running_changed(running)

    def _on_pane_event(self, pane: ConversationPane, event: StreamEvent) -> None:
        if pane is self._current:
            self.announcer.on_event(event)

    def _on_pane_banner_shown(self, pane: ConversationPane, _kind: str, text: str) -> None:
        if pane is self._current:
            self.announcer.notice(text)

    def _on_pane_answer_finished(self, pane: ConversationPane, outcome: Outcome) -> None:
        answer = pane.controller.answer
        text, note = (answer.text, answer.note) if answer is not None else ("", "")
        in_view = pane is self._current
        if in_view:
            self.announcer.on_finished(outcome, text, note)
        else:
            self.announcer.on_background_finished(outcome, self.title_of(pane))
        if self.settings.notifications and not (in_view and self.isActiveWindow()):
            self.notifier.answer_ended(pane.conversation_id, self.title_of(pane), outcome, note)
        self.answer_finished.emit(pane, outcome)
        self._trim()

    def _on_notifier_activated(self, conversation_id: str) -> None:
        """A notification was clicked: bring the window up on its conversation."""
        self.pane_for(conversation_id, show=True)
        if self.isMinimized():
            self.showNormal()
        else:
            self.show()
        self.raise_()
        self.activateWindow()

    # --- seams ------------------------------------------------------------------------------

    def set_sidebar(self, widget: QWidget, search: QWidget | None = None) -> None:
        """Show ``widget`` (the conversation history) left of the conversation.

        ``search`` is its search field (Ctrl+K and Ctrl+Shift+F focus it). Whether the sidebar
        is shown is remembered in the settings (``extra["history_visible"]``).
        """
        self._sidebar_layout.addWidget(widget)
        self._sidebar_search = search
        for act in (
            self.history_action,
            self.history_search_action,
            self.replay_action,
            self.replay_fast_action,
        ):
            act.setEnabled(True)
        self.set_sidebar_visible(bool(self.settings.extra.get("history_visible", True)))
        if not self.settings.splitter_state or min(self.splitter.sizes()) == 0:
            self.splitter.setSizes([260, max(400, self.width() - 260)])

    @property
    def sidebar_visible(self) -> bool:
        return not self.sidebar_slot.isHidden()

    def set_sidebar_visible(self, visible: bool) -> None:
        self.sidebar_slot.setVisible(visible)
        self.history_action.setChecked(visible)

    def search_history(self) -> None:
        """Show the sidebar and put the cursor into its search field."""
        if self._sidebar_search is None:
            return
        self.set_sidebar_visible(True)
        self._sidebar_search.setFocus()
        if isinstance(self._sidebar_search, QLineEdit):
            self._sidebar_search.selectAll()

    def set_metrics_widget(self, widget: QWidget) -> None:
        """Put the live stream charts into the developer menu's dock.

        They scroll inside it: at 200 % on a small screen the charts' own minimum height would
        otherwise push the window's status bar (and the dock's buttons) off the screen.
        """
        scroll = QScrollArea(self.metrics_dock)
        scroll.setObjectName("metricsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("Stream metrics"))
        scroll.setWidget(widget)
        self.metrics_dock.setWidget(scroll)
        self.metrics_action.setEnabled(True)

    # --- behaviour --------------------------------------------------------------------------

    def focus_input(self) -> None:
        self.input_box.editor.setFocus()

    def focus_answer(self) -> None:
        """Put the keyboard focus into the latest answer's text, to read it by paragraph."""
        answer = self.transcript.last_answer()
        if answer is not None:
            self.transcript.ensureWidgetVisible(answer)
            answer.focus_text()

    def apply_appearance(self, settings: Settings) -> None:
        """Theme and font size; message views are re-rendered in the new colours."""
        self.settings = settings
        palette = theme.resolve(settings.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, palette, settings.font_size)
        if palette != self.palette_in_use:
            self.palette_in_use = palette
            for pane in self.panes:
                pane.transcript.set_colors(palette.markdown_colors())

    def restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(self.settings.window_geometry)))
        if self.settings.window_state:
            self.restoreState(QByteArray(base64.b64decode(self.settings.window_state)))
        if self.settings.splitter_state:
            self.splitter.restoreState(QByteArray(base64.b64decode(self.settings.splitter_state)))

    def fit_to_screen(self) -> None:
        """Shrink the window to the screen's free area: at 200 % on a 1080p screen the default
        size (or one remembered at 100 %) would put the message box below the screen's edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        if self.width() > free.width() or self.height() > free.height():
            self.resize(min(self.width(), free.width()), min(self.height(), free.height()))
            self.move(free.topLeft())

    def geometry_settings(self) -> dict[str, str]:
        """The window's geometry, dock and splitter state, ready for ``Settings``."""

        def encode(data: QByteArray) -> str:
            return base64.b64encode(bytes(data.data())).decode("ascii")

        return {
            "window_geometry": encode(self.saveGeometry()),
            "window_state": encode(self.saveState()),
            "splitter_state": encode(self.splitter.saveState()),
        }

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runners.close()
        self.announcer.close()
        self.notifier.close()
        super().closeEvent(event)
        self.closed.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.settings.theme == "system":  # follow the desktop while the window is open
            self.apply_appearance(self.settings)

    def _on_contrast_preference_changed(self, _preference: Qt.ContrastPreference) -> None:
        if self.settings.theme == "system":
            self.apply_appearance(self.settings)

    def _on_bridge_running_changed(self, running: bool) -> None:
        self.stop_action.setEnabled(running)
        self.regenerate_action.setEnabled(not running)

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard shortcuts, listing every action's keys and the fields' own."""
        actions = [a for menu in self._menus() for a in menu.actions() if not a.isSeparator()]
        actions += [a for a in self.actions() if a not in actions]
        dialog = ShortcutsDialog(actions, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def _menus(self) -> list[QMenu]:
        return [self.file_menu, self.answer_menu, self.developer_menu, self.help_menu]

    def _show_about(self) -> None:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Assist Desktop"))
        self.file_menu.setTitle(self.tr("&File"))
        self.answer_menu.setTitle(self.tr("&Conversation"))
        self.developer_menu.setTitle(self.tr("&Developer"))
        self.help_menu.setTitle(self.tr("&Help"))
        for act, text in (
            (self.send_action, self.tr("Send")),
            (self.stop_action, self.tr("Stop answer")),
            (self.regenerate_action, self.tr("Regenerate answer")),
            (self.copy_action, self.tr("Copy answer")),
            (self.new_action, self.tr("New conversation")),
            (self.focus_action, self.tr("Focus the message box")),
            (self.answer_focus_action, self.tr("Go to the latest answer")),
            (self.notice_focus_action, self.tr("Go to the newest notice (Undo, Retry)")),
            (self.status_action, self.tr("Read the answer's status")),
            (self.find_action, self.tr("Find…")),
            (self.settings_action, self.tr("Settings…")),
            (self.quit_action, self.tr("Quit")),
            (self.drop_action, self.tr("Simulate connection drop")),
            (self.metrics_action, self.tr("Stream metrics")),
            (self.about_action, self.tr("About")),
            (self.shortcuts_action, self.tr("Keyboard shortcuts")),
            (self.history_action, self.tr("Conversation history")),
            (self.history_search_action, self.tr("Search conversations…")),
            (self.replay_action, self.tr("Replay answer")),
            (self.replay_fast_action, self.tr("Replay answer at 4× speed")),
            (self.simple_language_action, self.tr("Plain language (Einfache Sprache)")),
        ):
            act.setText(text)
        self.metrics_dock.setWindowTitle(self.tr("Stream metrics"))
