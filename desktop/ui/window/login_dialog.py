"""Asks for e-mail and password when a server wants its own login (nscale-assist, its gateway).

The dialog only collects: it hands the credentials on with :attr:`LoginDialog.submitted` and
shows what became of them (busy, refused, logged in). It never stores the password, and
clears the field as soon as an attempt ends, so the text lives no longer than the attempt.
Window-modal and opened with ``open()``, never ``exec()``: the answers already on screen keep
rendering, and the event loop that runs the login keeps running.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LoginDialog(QDialog):
    """E-mail and password for one server.

    Signals:
        submitted(str, str): the user asked to log in with this e-mail and password.
    """

    submitted = Signal(str, str)

    def __init__(self, server: str, email: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Log in"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.server = server

        # The heading names the server also where no window manager draws the title bar.
        self.heading = QLabel(self.tr("Log in to %1").replace("%1", server), self)
        self.heading.setObjectName("loginHeading")
        self.heading.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setObjectName("loginIntro")
        self.intro.setWordWrap(True)
        self.intro.setText(self.tr("Your question is kept and sent as soon as you are logged in."))
        self.email = QLineEdit(email, self)
        self.email.setObjectName("loginEmail")
        self.email.setPlaceholderText("name@example.org")
        self.email.setAccessibleName(self.tr("E-mail address"))
        self.email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setAccessibleDescription(self.tr("Not stored; only the login is kept."))
        self.problem = QLabel(self)
        self.problem.setObjectName("loginProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Login problem"))
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        # Own buttons, named before the style first sees them (the stylesheet keys on the
        # name), and without the style's stock icons that no other button here has.
        self.login_button = QPushButton(self.tr("Log in"), self)
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self._build_layout()
        self._connect_signals()
        self._update_button()

    def _build_layout(self) -> None:
        form = QFormLayout()
        email_label = QLabel(self.tr("&E-mail"), self)
        email_label.setBuddy(self.email)
        password_label = QLabel(self.tr("&Password"), self)
        password_label.setBuddy(self.password)
        form.addRow(email_label, self.email)
        form.addRow(password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.email.textChanged.connect(self._update_button)
        self.password.textChanged.connect(self._update_button)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.password if self.email.text() else self.email).setFocus()

    # --- what the login flow tells the dialog -----------------------------------------------

    def set_busy(self, busy: bool) -> None:
        """While a login runs: nothing to edit, nothing to send twice (Cancel stays usable)."""
        for widget in (self.email, self.password, self.login_button):
            widget.setEnabled(not busy)
        if not busy:
            self._update_button()

    def show_problem(self, message: str) -> None:
        """The attempt failed: say why, empty the password, and let the user try again."""
        self.password.clear()
        self.set_busy(False)
        self.problem.setText(message)
        self.problem.show()
        self.problem.setAccessibleDescription(message)
        self.password.setFocus()

    def finish(self) -> None:
        """Logged in: forget the password and close."""
        self.password.clear()
        self.accept()

    def reject(self) -> None:
        self.password.clear()
        super().reject()

    # --- reactions --------------------------------------------------------------------------

    def _update_button(self) -> None:
        self.login_button.setEnabled(bool(self.email.text().strip() and self.password.text()))

    def _on_buttons_accepted(self) -> None:
        email, password = self.email.text().strip(), self.password.text()
        if not email or not password:  # an empty password is never sent (see commands.login)
            return
        self.problem.hide()
        self.set_busy(True)
        self.submitted.emit(email, password)
