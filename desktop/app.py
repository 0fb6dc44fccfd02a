"""The composition root: builds the application, its server connection and the window.

``assist-desktop [--server URL] [--token T] [--protocol P] [--ask MESSAGE]... [--screenshot PATH]
[--quit-when-done] [--max-attempts N] [--theme light|dark|system] [--lang de|en] [--db PATH]``.
Each ``--ask`` starts its own conversation at once, all streaming side by side. Without a server
(on the command line or in the active profile) the reference server's demo backend runs
embedded on a loopback port for as long as the window is open. Every answer is recorded in the
local cache (``--db`` names another file), which the history sidebar shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Final

import qasync
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.credentials import TokenStoreUnavailable, save_token, server_key
from desktop.exit_codes import Exit, worst
from desktop.settings import ServerProfile, Settings, default_path
from desktop.ui.bridge import StreamBridge
from desktop.ui.conversation.pane import ConversationPane
from desktop.ui.window import theme
from desktop.ui.window.gc_guard import GuiThreadCollector
from desktop.ui.window.i18n import Translations
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.settings_dialog import SettingsDialog
from desktop.window_options import WindowOptions

if TYPE_CHECKING:  # loaded after the window paints (see DesktopApp)
    from desktop.connection import ServerConnection
    from desktop.metrics.analytics import CachedStream
    from desktop.server.embedded import EmbeddedServer
    from desktop.store.records import StreamRecord
    from desktop.streaming.answer_source import AnswerSource
    from desktop.streaming.login import Login
    from desktop.streaming.session import Outcome
    from desktop.streaming.source_factory import StreamingSourceFactory
    from desktop.ui.history.setup import WindowHistory
    from desktop.ui.metrics.dock import MetricsDock
    from desktop.ui.window.login_prompt import LoginPrompt

log = logging.getLogger("desktop.app")
#: Backends whose tokens come from their own login (e-mail and password), not from a setting.
LOGIN_PROTOCOLS: Final[frozenset[str]] = frozenset({"nscale"})

#: Give the last frame time to paint before a screenshot is taken (milliseconds).
SCREENSHOT_SETTLE_MS: Final = 250


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window until it closes; returns the exit code."""
    try:
        options = WindowOptions.parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=os.environ.get("ASSIST_LOG", "WARNING"))
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125 %, 150 %) as the desktop sets them, not rounded.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication([sys.argv[0] if sys.argv else "assist-desktop"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Assist Desktop")
    app.setOrganizationName("Assist Desktop")
    app.setDesktopFileName("assist-desktop")
    app.setQuitOnLastWindowClosed(False)  # the coroutine below decides when to quit
    previous_hook = sys.excepthook
    sys.excepthook = _excepthook
    collector = GuiThreadCollector()  # the embedded server's thread must never free Qt objects
    collector.install()
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(DesktopApp(app, options).run())
    finally:
        collector.uninstall()
        sys.excepthook = previous_hook


class DesktopApp:
    """Owns the server connection, the bridge and the window for one run of the program.

    The window paints first; the server connection (and the embedded demo server, and the
    charting libraries of the metrics dock) load in a worker thread right after, so the window
    appears in about the time the GUI libraries alone take to import.
    """

    def __init__(self, app: QApplication, options: WindowOptions) -> None:
        self.app = app
        self.options = options
        #: ``--server`` until the user switches profiles in the settings; then the profile's.
        self.server_override = options.server
        self.settings_path = options.settings or default_path()
        self.settings = Settings.load(self.settings_path)
        self.translations = Translations(app)
        self.server: EmbeddedServer | None = None
        #: A problem found while opening the server, shown as a banner once the window is up.
        self.startup_problem: str | None = None
        self.factory: StreamingSourceFactory | None = None
        self.metrics: MetricsDock | None = None
        self.connection: ServerConnection | None = None
        self.history: WindowHistory | None = None
        self.login: LoginPrompt | None = None
        self._resume_factories: list[StreamingSourceFactory] = []
        self.exit_code = 0
        #: The panes still answering an ``--ask`` (``--quit-when-done`` waits for them all).
        self._asked: set[ConversationPane] = set()
        self._outcomes: list[Exit] = []
        #: Every asked answer has ended but queued questions went out after them.
        self._awaiting_queue = False
        self._closed = asyncio.Event()

    async def run(self) -> int:
        args = self.options
        self.translations.set_language(args.lang or self.settings.language)
        look = dataclasses.replace(self.settings, theme=args.theme or self.settings.theme)
        theme.apply(self.app, theme.resolve(look.theme), look.font_size)
        self.bridge = StreamBridge(None)
        self.window = window = MainWindow(self.bridge, look)
        if args.size:
            window.resize(*args.size)
        self._connect_signals()
        window.input_box.setEnabled(False)
        window.connection.set_state("starting")
        window.show()
        try:
            cache = asyncio.get_running_loop().create_task(self._open_history())
            try:
                await self._connect_backend(self.settings.active())
            except RuntimeError as exc:
                sys.stderr.write(f"assist-desktop: {exc}\n")
                if args.quit_when_done:
                    return Exit.USAGE
                window.banners.show_message("error", str(exc))
            else:
                metrics = self._start_metrics()
                await cache  # so the answer is recorded, and never taken for a crashed one
                await self._link_server_memory()
                if args.asks:
                    await metrics  # so the dock sees these answers from their first event
                    self._ask_all(args.asks)
                elif args.screenshot:
                    QTimer.singleShot(SCREENSHOT_SETTLE_MS, self._take_screenshot)
            await self._closed.wait()
        finally:
            await self._shutdown()
        return self.exit_code

    def _connect_signals(self) -> None:
        window = self.window
        window.closed.connect(self._closed.set)
        self.app.aboutToQuit.connect(self._closed.set)
        window.settings_requested.connect(self._show_settings)
        for pane in window.panes:
            self._wire_pane(pane)
        window.pane_added.connect(self._wire_pane)
        window.answer_finished.connect(self._on_answer_finished)
        window.offline_queue.gave_up.connect(self._on_queue_gave_up)
        window.simple_language_action.toggled.connect(self._on_simple_language)

    def _wire_pane(self, pane: ConversationPane) -> None:
        """A conversation's parts the composition root answers: tokens, logins."""
        pane.controller.token_entered.connect(partial(self._on_token_entered, pane))
        pane.controller.on_unauthorized = self.window.controller.on_unauthorized
        if self.login is not None and pane is not self.window.panes[0]:
            self.login.watch(pane.controller)

    def _ask_all(self, messages: Sequence[str]) -> None:
        """Each message in a conversation of its own, all at once; the last stays in view."""
        for index, text in enumerate(messages):
            pane = self.window.current_pane if index == 0 else self.window.pane_for(None, show=True)
            self._asked.add(pane)
            pane.controller.send(text)

    # --- server -----------------------------------------------------------------------------

    async def _connect_backend(self, profile: ServerProfile) -> None:
        """Open the profile's server off the GUI thread, then let the user send."""
        loop = asyncio.get_running_loop()
        self.factory = factory = await loop.run_in_executor(None, self._open_factory, profile)
        if self.startup_problem:
            self.window.banners.show_message("error", self.startup_problem)
        if self.metrics is not None:
            factory.on_message = self.metrics.inspector.feed
        self.bridge.factory = factory
        self._watch_queue(factory)
        for pane in self.window.panes:
            pane.input_box.setEnabled(True)
            if pane.connection.state == "starting":
                pane.connection.set_state("idle")
        self.window.focus_input()
        self._configure_login(factory)
        # After the input opens: a slow server must not hold the window back for an extra.
        await factory.learn_capabilities()
        plain = self.window.simple_language_action
        plain.setEnabled(factory.offers_simple_language)
        plain.setChecked(bool(self.settings.extra.get("simple_language")))
        factory.simple_language = plain.isEnabled() and plain.isChecked()

    def _watch_queue(self, factory: StreamingSourceFactory) -> None:
        """Questions queued while this server cannot be reached wait for its health probe."""
        from desktop.streaming.health_probe import HealthProbe

        queue = self.window.offline_queue
        if self.options.quit_when_done:  # nobody is there to wait for good: give up as ask does
            queue.give_up_after = factory.config.max_attempts
        queue.set_probe(HealthProbe(factory.client, factory.config, factory.protocol))

    def _on_queue_gave_up(self, failures: int) -> None:
        if not self.options.quit_when_done:
            return
        count = len(self.window.offline_queue)
        sys.stderr.write(
            f"assist-desktop: the server could not be reached ({failures} tries); "
            f"{count} question(s) stay queued in the cache and go out at the next start\n"
        )
        self.exit_code = Exit.GAVE_UP
        QTimer.singleShot(0, self.window.close)

    # --- logins -----------------------------------------------------------------------------

    def _configure_login(self, factory: StreamingSourceFactory) -> None:
        """How a 401 is met on this server; a login backend without a token asks at once."""
        from desktop.ui.window.login_prompt import LoginPrompt

        if self.login is not None:
            self.login.detach()
            self.login = None
        embedded = self.server is not None and factory.config.base_url == self.server.url
        controllers = [pane.controller for pane in self.window.panes]
        if embedded:
            for controller in controllers:
                controller.on_unauthorized = "token"
            return
        login_backend = factory.protocol in LOGIN_PROTOCOLS
        for controller in controllers:
            controller.on_unauthorized = "login" if login_backend else "offer"
        first, *others = controllers
        self.login = LoginPrompt(factory.config.root, self._log_in, first, self.window)
        for controller in others:
            self.login.watch(controller)
        self.login.logged_in.connect(self._on_logged_in)
        self.login.cancelled.connect(self._on_login_cancelled)
        if login_backend and factory.config.token is None and not self.options.asks:
            self.login.ask()

    async def _log_in(self, email: str, password: str) -> Login:
        from desktop.streaming.login import log_in

        assert self.factory is not None
        return await log_in(self.factory.client, self.factory.config, email, password)

    def _on_logged_in(self, login: Login) -> None:
        if self.factory is None:
            return
        self.factory.set_token(login.token)
        try:
            save_token(server_key(self.factory.config.base_url), login.token)
        except TokenStoreUnavailable:
            self.window.banners.show_message("info", _no_keyring_text())

    def _on_login_cancelled(self) -> None:
        if self.options.quit_when_done:  # nobody will log in later: end as the refusal did
            self.exit_code = Exit.REJECTED
            QTimer.singleShot(0, self.window.close)

    def _open_factory(self, profile: ServerProfile) -> StreamingSourceFactory:
        """Runs in a worker thread: imports the HTTP stack and starts the embedded server."""
        from desktop.connection import EmbeddedOptions, ServerConnection
        from desktop.streaming.source_factory import StreamingSourceFactory

        args = self.options
        connection = ServerConnection.resolve(
            url=self.server_override,
            protocol=args.protocol,
            token=args.token,
            model=args.model,
            ca_file=args.ca_file,
            profile=profile,
            embedded=EmbeddedOptions(args.token_rate, bool(args.fault), args.token),
        )
        self.connection = connection
        self.server = connection.embedded
        if connection.problem:
            self.startup_problem = connection.problem
        limits = {} if args.max_attempts is None else {"max_attempts": args.max_attempts}
        try:
            config = connection.client_config(**limits)
        except ValueError as exc:  # the profile's CA file went missing: say so, connect anyway
            self.startup_problem = f"{exc}. Fix it in Settings."
            config = dataclasses.replace(connection, ca_file=None).client_config(**limits)
        factory = StreamingSourceFactory(config, connection.protocol, connection.model)
        if args.fault:
            factory.extra_headers = _fault_headers(args.fault)
        return factory

    def _on_simple_language(self, checked: bool) -> None:
        """The plain-language switch: for the next answers, and kept in the settings."""
        if self.factory is not None:
            self.factory.simple_language = checked and self.factory.offers_simple_language
        extra = {**self.settings.extra, "simple_language": checked}
        self.settings = dataclasses.replace(self.settings, extra=extra)

    async def _link_server_memory(self) -> None:
        """For nscale: seed the factory with the cached sessions and endpoint, and keep what
        later answers learn (read off the GUI thread)."""
        factory, history = self.factory, self.history
        if factory is None or history is None or factory.protocol != "nscale":
            return
        from desktop.store.server_records import ServerMemory

        memory = ServerMemory(history.writer, factory.config.base_url)
        loop = asyncio.get_running_loop()
        try:
            sessions, transport = await loop.run_in_executor(None, memory.load)
        except Exception:  # an unreadable cache costs the memory, not the answer
            log.exception("the cached nscale sessions could not be read")
            return
        factory.sessions.update(sessions)
        if transport in ("v1", "legacy", "whole"):
            factory.transport = transport  # type: ignore[assignment]
        factory.remember = memory

    # --- the answer cache ---------------------------------------------------------------------

    async def _open_history(self) -> None:
        """Open the cache off the GUI thread, then add the history sidebar and recording."""
        loop = asyncio.get_running_loop()
        try:  # the store and SQLite load in the worker too, not on the GUI thread
            setup = await loop.run_in_executor(
                None, importlib.import_module, "desktop.ui.history.setup"
            )
            relay = setup.CacheErrorRelay(self.window)
            opened = await loop.run_in_executor(None, setup.open_cache, self.options.db, relay)
            self.history = setup.attach_history(
                self.window, opened, relay, self._server_of_answers, self._resume_source
            )
        except Exception:  # the window works without history; never block the first answer
            log.exception("the conversation history could not be set up")

    def _server_of_answers(self) -> tuple[str, str]:
        """Where the answer starting now comes from, as the cache records it."""
        factory, connection = self.factory, self.connection
        if factory is None:
            return "", "assist"
        if connection is not None and factory.config.base_url == connection.url:
            return connection.url, connection.recorded_protocol
        return factory.config.base_url, factory.protocol

    def _resume_source(self, stream: StreamRecord) -> AnswerSource | None:
        """A source continuing a cached stream on the server that started it."""
        from desktop.connection import profile_of, stored_token
        from desktop.streaming.config import ClientConfig
        from desktop.streaming.source_factory import StreamingSourceFactory

        if stream.stream_id is None:
            return None
        factory = self.factory
        url = stream.server_url.rstrip("/")
        if factory is None or factory.config.base_url.rstrip("/") != url:
            profile = profile_of(url, self.settings.profiles)
            token = stored_token(profile, url)
            ca_file = profile.ca_file if profile is not None else None
            factory = StreamingSourceFactory(
                ClientConfig(base_url=url, token=token, ca_file=ca_file)
            )
            self._resume_factories.append(factory)
        return factory.resume(stream.stream_id, stream.last_event_id)

    def _start_metrics(self) -> asyncio.Task[None]:
        """The developer metrics dock, loaded after the first answer can already start."""

        async def load() -> None:
            loop = asyncio.get_running_loop()
            module = await loop.run_in_executor(
                None, importlib.import_module, "desktop.ui.metrics.dock"
            )
            db = self.options.db
            self.metrics = module.MetricsDock(load_cached=lambda: _load_cached_streams(db))
            self.window.set_metrics_widget(self.metrics)
            if self.factory is not None:
                self.factory.on_message = self.metrics.inspector.feed
            self.metrics.follow(self.window)  # every conversation's answers; the one in view

        self._metrics_task = asyncio.get_running_loop().create_task(load())
        return self._metrics_task

    async def _shutdown(self) -> None:
        self.window.offline_queue.close()
        with contextlib.suppress(Exception):
            geometry = self.window.geometry_settings()
            self.settings = dataclasses.replace(
                self.settings,
                window_geometry=geometry["window_geometry"],
                window_state=geometry["window_state"],
                splitter_state=geometry["splitter_state"],
                extra={**self.settings.extra, "history_visible": self.window.sidebar_visible},
            )
            self.settings.save(self.settings_path)
        await self.bridge.runners.aclose()
        if self.history is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.history.close)
            self.history = None
        for factory in self._resume_factories:
            await factory.aclose()
        if self.factory is not None:
            await self.factory.aclose()
        if self.server is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.server.stop)
            self.server = None

    # --- reactions --------------------------------------------------------------------------

    def _on_answer_finished(self, pane: ConversationPane, outcome: Outcome) -> None:
        if self.login is not None and self.login.waiting_for(pane.controller):
            return  # refused for want of a login: the question goes out again after it
        if self.options.asks:
            if pane in self._asked:
                self._asked.discard(pane)
            elif not self._awaiting_queue:
                return  # --quit-when-done and --screenshot wait for the asked answers only
            self._outcomes.append(outcome.exit_code)
            if self._asked:
                return  # the others still stream
        if self.options.quit_when_done and len(self.window.offline_queue):
            self._awaiting_queue = True  # queued questions go out next: quit after the last
            return
        if self.options.quit_when_done:
            self.exit_code = worst(self._outcomes or [outcome.exit_code])
        if self.options.screenshot:
            QTimer.singleShot(SCREENSHOT_SETTLE_MS, self._take_screenshot)
        elif self.options.quit_when_done:
            QTimer.singleShot(0, self.window.close)

    def _take_screenshot(self) -> None:
        path = self.options.screenshot
        assert path is not None  # only scheduled with --screenshot
        path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(path), "PNG"):
            log.error("could not save the screenshot to %s", path)
            self.exit_code = self.exit_code or 1
        if self.options.quit_when_done or not self.options.asks:
            self.window.close()

    def _on_token_entered(self, pane: ConversationPane, token: str) -> None:
        profile = self.settings.active()
        if self.factory is not None:
            self.factory.set_token(token)
        try:
            if not profile.embedded:
                save_token(profile.name, token)
        except TokenStoreUnavailable:
            self.window.banners.show_message("info", _no_keyring_text())
        pane.controller.regenerate()

    def _show_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        new = dialog.result_settings()
        for name, token in dialog.tokens().items():
            try:
                save_token(name, token)
            except TokenStoreUnavailable:
                self.window.banners.show_message("info", _no_keyring_text())
            if name == new.active_profile and self.factory is not None:
                self.factory.set_token(token)
        old_profile = self.settings.active()
        self.settings = new
        new.save(self.settings_path)
        self.translations.set_language(new.language)
        self.window.apply_appearance(new)
        if new.active() != old_profile:
            asyncio.get_running_loop().create_task(self._switch_server(new.active()))

    async def _switch_server(self, profile: ServerProfile) -> None:
        await self.bridge.runners.aclose()
        old_factory, old_server = self.factory, self.server
        self.server = None
        self.server_override = None
        for pane in self.window.panes:
            pane.input_box.setEnabled(False)
        try:
            await self._connect_backend(profile)
            await self._link_server_memory()
        except RuntimeError as exc:
            self.server, self.factory = old_server, old_factory
            self.bridge.factory = old_factory
            for pane in self.window.panes:
                pane.input_box.setEnabled(True)
            self.window.banners.show_message("error", str(exc))
            return
        if old_factory is not None:
            await old_factory.aclose()
        if old_server is not None:
            await asyncio.get_running_loop().run_in_executor(None, old_server.stop)


def _load_cached_streams(db: Path | None) -> list[CachedStream]:
    """The cached answers (of ``--db``, else the default cache) for the metrics dock."""
    from desktop.commands.metrics import load_cached_streams_from

    return load_cached_streams_from(db)


def _no_keyring_text() -> str:
    return QApplication.translate(
        "DesktopApp",
        "No system keyring is available, so the token is used for this session only and is "
        "not saved. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, "
        "Windows Credential Locker) to keep it.",
    )


def _fault_headers(spec: str) -> dict[str, str]:
    return {"X-Fault-" + name: value for name, value in _fault_items(spec)}


def _fault_items(spec: str) -> list[tuple[str, str]]:
    items = []
    for item in spec.split(","):
        name, _, value = item.strip().partition(":")
        header = "-".join(part.capitalize() for part in name.split("_"))
        items.append((header, value or "1"))
    return items


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Log an error that reached the event loop and tell the user without blocking them."""
    log.error("unhandled error", exc_info=(kind, value, tb))
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        app.translate("DesktopApp", "Unexpected error"),
        app.translate("DesktopApp", "Something went wrong: %1").replace("%1", str(value)),
    )
    box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.show()
