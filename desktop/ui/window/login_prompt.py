"""The way from a refused request to a new login: dialog, login, token, the question again.

A server with its own login (nscale-assist, or our gateway in front of it) refuses a request
with 401 when there is no token or it has expired (after 24 h, with no refresh). Then
:class:`LoginPrompt` opens the :class:`LoginDialog`, runs the login it was given (the HTTP
exchange belongs to the streaming layer), announces the new login (the composition root keeps
the token) and sends the refused question again. Nothing in the transcript is touched on the
way, so every question and partial answer stays where it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.streaming.login import Login, LoginError
from desktop.ui.conversation.answer_controller import AnswerController
from desktop.ui.window.login_dialog import LoginDialog

LogIn = Callable[[str, str], Awaitable[Login]]

log = logging.getLogger(__name__)


class LoginPrompt(QObject):
    """Asks for a login to one server, at most one dialog at a time.

    Args:
        server: the address shown to the user.
        log_in: sends e-mail and password and returns the login (raises ``LoginError``).
        controller: whose refused questions wait for the login (its ``login_required``);
            :meth:`watch` adds the controllers of conversations opened later (one dialog
            serves them all, and every refused question goes out again after the login).
        parent: the window the dialog belongs to.

    Signals:
        logged_in(object): a :class:`Login`; connected slots must start using its token,
            because the refused question goes out again right after the signal.
        cancelled(): the user closed the dialog without logging in.

    Attributes:
        question_waiting: a question was refused for want of a login and goes out again after
            it (until then its refusal is not the answer's last word).
    """

    logged_in = Signal(object)
    cancelled = Signal()

    def __init__(
        self, server: str, log_in: LogIn, controller: AnswerController, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.server = server
        self._log_in = log_in
        self._controllers: dict[AnswerController, Callable[[], None]] = {}
        self._banners = controller.banners
        self._window = parent
        self.dialog: LoginDialog | None = None
        self.question_waiting = False
        #: The controllers whose question was refused, in the order they were.
        self._waiting: list[AnswerController] = []
        self._email = ""
        self._attempt: asyncio.Task[None] | None = None
        self.watch(controller)

    def watch(self, controller: AnswerController) -> None:
        """Answer ``controller``'s 401s too (a conversation opened later)."""
        slot = partial(self._on_controller_login_required, controller)
        self._controllers[controller] = slot
        controller.login_required.connect(slot)
        controller.destroyed.connect(partial(self._forget, controller))

    def waiting_for(self, controller: AnswerController) -> bool:
        """``controller``'s question was refused and goes out again after the login."""
        return controller in self._waiting

    def detach(self) -> None:
        """Stop answering the controllers' 401s (another server is connected now)."""
        for controller, slot in self._controllers.items():
            controller.login_required.disconnect(slot)
        self._controllers = {}
        self._waiting = []
        if self.dialog is not None:
            self.dialog.rejected.disconnect(self._on_dialog_rejected)  # no "not sent" banner
            self.dialog.reject()
        self.deleteLater()

    def ask(self, *, question_waiting: bool = False) -> LoginDialog:
        """Open the dialog (or raise the open one); ``question_waiting``: a question was
        refused for want of a login and goes out again after it."""
        self.question_waiting = self.question_waiting or question_waiting
        if self.dialog is None:
            dialog = LoginDialog(self.server, self._email, self._window)
            dialog.submitted.connect(self._on_dialog_submitted)
            dialog.rejected.connect(self._on_dialog_rejected)
            dialog.finished.connect(self._on_dialog_finished)
            self.dialog = dialog
            dialog.open()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _on_dialog_submitted(self, email: str, password: str) -> None:
        self._email = email
        self._attempt = asyncio.get_running_loop().create_task(self._run(email, password))

    async def _run(self, email: str, password: str) -> None:
        dialog = self.dialog
        try:
            login = await self._log_in(email, password)
        except LoginError as error:
            if dialog is not None and dialog is self.dialog:
                dialog.show_problem(error.message)
            return
        except Exception as exc:  # never leave the dialog busy for good
            log.exception("the login to %s failed", self.server)
            if dialog is not None and dialog is self.dialog:
                dialog.show_problem(f"{type(exc).__name__}: {exc}")
            return
        if dialog is not None and dialog is self.dialog:
            dialog.finish()
        self.question_waiting = False
        waiting, self._waiting = self._waiting, []
        self.logged_in.emit(login)
        for controller in waiting:
            controller.send_again()

    def _on_controller_login_required(self, controller: AnswerController) -> None:
        if controller not in self._waiting:
            self._waiting.append(controller)
        self._banners = controller.banners
        self.ask(question_waiting=True)

    def _forget(self, controller: AnswerController, _object: object = None) -> None:
        self._controllers.pop(controller, None)
        if controller in self._waiting:
            self._waiting.remove(controller)

    def _on_dialog_rejected(self) -> None:
        if self._attempt is not None and not self._attempt.done():
            self._attempt.cancel()
        if self.question_waiting:
            text = self.tr(
                "Not sent: you are not logged in to %1. Your question is kept; log in to send it."
            )
        else:
            text = self.tr("You are not logged in to %1. Log in before you ask a question.")
        banner = self._banners.show_message("warning", text.replace("%1", self.server))
        banner.setObjectName("loginCancelledBanner")
        waiting = self.question_waiting
        banner.add_action(self.tr("Log in…"), lambda: self._ask_again(waiting))
        self.cancelled.emit()

    def _ask_again(self, question_waiting: bool) -> None:
        self.ask(question_waiting=question_waiting)

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
