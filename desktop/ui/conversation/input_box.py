"""Where the user writes: Enter sends, Shift+Enter adds a line, and the answer's actions.

Stop, Regenerate, Copy answer and New conversation sit beside the text. Esc stops only while
the input box (or the window's Stop shortcut) has focus; no bare key elsewhere destroys anything.
Up in an empty box brings back the last question to edit (as in a shell); Enter then asks it
in its place, Esc leaves it as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MAX_INPUT_LINES = 8
#: How long the copy button says "Copied".
COPIED_MS = 1500


class MessageEdit(QPlainTextEdit):
    """A plain text edit that grows with its text (up to a few lines) and submits on Enter."""

    submitted = Signal()
    escape_pressed = Signal()
    recall_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageEdit")
        self.setTabChangesFocus(True)
        self.document().contentsChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Up and not self.toPlainText() and not event.modifiers():
            self.recall_requested.emit()
            return
        super().keyPressEvent(event)

    def _fit_height(self) -> None:
        lines = min(MAX_INPUT_LINES, max(2, self.document().lineCount()))
        line_height = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        frame = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        self.setFixedHeight(lines * line_height + frame + 4)


class InputBox(QWidget):
    """The message editor and the buttons that act on the conversation.

    Signals:
        send_requested(str): the user sent this (non-blank) text.
        edit_requested(str): the user edited the last question into this text and sent it.
        recall_requested(): Up in the empty box: the last question should come back to edit
            (answer with :meth:`begin_edit`).
        stop_requested(), regenerate_requested(), copy_requested(), new_conversation_requested()
    """

    send_requested = Signal(str)
    edit_requested = Signal(str)
    recall_requested = Signal()
    stop_requested = Signal()
    regenerate_requested = Signal()
    copy_requested = Signal()
    new_conversation_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputBox")
        self.editor = MessageEdit(self)
        self.editing = False
        self.edit_label = QLabel(self)
        self.edit_label.setObjectName("editLabel")
        self.edit_label.hide()
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("stopButton")
        self.regenerate_button = QPushButton(self)
        self.copy_button = QPushButton(self)
        self.new_button = QPushButton(self)
        for button in (self.regenerate_button, self.copy_button, self.new_button):
            button.setObjectName("secondaryButton")
        actions = QHBoxLayout()
        actions.setSpacing(6)
        actions.addWidget(self.new_button)
        actions.addStretch(1)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.regenerate_button)
        actions.addWidget(self.stop_button)
        actions.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(self.edit_label)
        layout.addWidget(self.editor)
        layout.addLayout(actions)
        self._connect_signals()
        self.set_running(False)
        self.set_has_answer(False)
        self._retranslate()

    def _connect_signals(self) -> None:
        self.editor.submitted.connect(self.submit)
        self.editor.escape_pressed.connect(self._on_escape)
        self.editor.recall_requested.connect(self.recall_requested)
        self.send_button.clicked.connect(self.submit)
        self.stop_button.clicked.connect(self.stop_requested)
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.copy_button.clicked.connect(self.copy_requested)
        self.new_button.clicked.connect(self.new_conversation_requested)

    def submit(self) -> None:
        """Send the text unless it is blank or an answer is running."""
        text = self.editor.toPlainText().strip()
        if not text or self.stop_button.isEnabled():
            return
        self.editor.clear()
        if self.editing:
            self._end_edit()
            self.edit_requested.emit(text)
        else:
            self.send_requested.emit(text)

    def begin_edit(self, question: str) -> None:
        """Put the last question into the box to be edited; Enter asks it in its place."""
        self.editing = True
        self.editor.setPlainText(question)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.edit_label.show()

    def _end_edit(self) -> None:
        self.editing = False
        self.edit_label.hide()

    def _on_escape(self) -> None:
        if self.editing:  # leave the question as it was
            self._end_edit()
            self.editor.clear()
        else:
            self.stop_requested.emit()

    def confirm_copied(self) -> None:
        """Say "Copied" on the copy button for a moment (the clipboard itself shows nothing)."""
        self.copy_button.setText(self.tr("Copied"))
        QTimer.singleShot(COPIED_MS, self, self._retranslate)

    def set_running(self, running: bool) -> None:
        self.stop_button.setEnabled(running)
        self.stop_button.setVisible(running)
        self.send_button.setVisible(not running)
        self.regenerate_button.setEnabled(not running and self.copy_button.isEnabled())

    def set_has_answer(self, has_answer: bool) -> None:
        self.copy_button.setEnabled(has_answer)
        self.regenerate_button.setEnabled(has_answer and not self.stop_button.isEnabled())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.editor.setPlaceholderText(
            self.tr("Ask a question… (Enter sends, Shift+Enter adds a line)")
        )
        self.editor.setAccessibleName(self.tr("Message"))
        self.edit_label.setText(
            self.tr("Editing your last question: Enter asks it again, Esc keeps it as it was.")
        )
        labels = (
            (self.send_button, self.tr("Send"), self.tr("Send the message (Enter)")),
            (self.stop_button, self.tr("Stop"), self.tr("Stop the answer (Esc)")),
            (self.regenerate_button, self.tr("Regenerate"), self.tr("Ask for a new answer")),
            (self.copy_button, self.tr("Copy answer"), self.tr("Copy the last answer")),
            (self.new_button, self.tr("New conversation"), self.tr("Start over (Ctrl+N)")),
        )
        for button, text, tip in labels:
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(text)
