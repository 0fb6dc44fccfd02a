"""A question waiting for the server, in the transcript below the conversation so far.

The waiting shows as a word and a shape (the hollow "pending" mark), not by colour alone, and
the whole card is named for screen readers ("Queued question: …, waiting for the server").
Edit opens the text in place; Cancel drops the question. A queued regenerate shows the question
it asks again and has no Edit: its text is the conversation's, not its own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.store.records import QueuedQuestion
from desktop.ui.accessibility.state_mark import StateMark


class QueuedQuestionView(QFrame):
    """One queued question with Edit and Cancel.

    Signals:
        edit_requested(str, str): the question's id and its new text (Save after Edit).
        cancel_requested(str): the question's id.
    """

    edit_requested = Signal(str, str)
    cancel_requested = Signal(str)

    def __init__(self, question: QueuedQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuedQuestion")
        self.question = question
        self.text_label = QLabel(question.text, self)
        self.text_label.setObjectName("queuedText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("queuedEditor")
        self.editor.hide()
        self.mark = StateMark(self)
        self.mark.set_kind("pending")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("queuedState")
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName("queuedEdit")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("queuedSave")
        self.save_button.hide()
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("queuedCancel")
        row = QHBoxLayout()
        row.addWidget(self.mark)
        row.addWidget(self.state_label, 1)
        row.addWidget(self.edit_button)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.text_label)
        column.addWidget(self.editor)
        column.addLayout(row)
        self.edit_button.clicked.connect(self.begin_edit)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.edit_button.setVisible(question.kind != "regenerate")
        self._retranslate()

    @property
    def editing(self) -> bool:
        return not self.editor.isHidden()

    def begin_edit(self) -> None:
        self.editor.setPlainText(self.question.text)
        self.text_label.hide()
        self.editor.show()
        self.edit_button.hide()
        self.save_button.show()
        self.editor.setFocus()

    def set_question(self, question: QueuedQuestion) -> None:
        """Show ``question``'s (edited) text and leave editing."""
        self.question = question
        self.text_label.setText(question.text)
        self.editor.hide()
        self.text_label.show()
        self.save_button.hide()
        self.edit_button.setVisible(question.kind != "regenerate")
        self._retranslate()

    def _on_save_clicked(self) -> None:
        text = self.editor.toPlainText()
        if text.strip():
            self.edit_requested.emit(self.question.id, text)
        else:  # a blank edit keeps the question as it was: Cancel drops it
            self.set_question(self.question)

    def _on_cancel_clicked(self) -> None:
        self.cancel_requested.emit(self.question.id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.state_label.setText(self.tr("Waiting for the server…"))
        self.edit_button.setText(self.tr("Edit"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.edit_button.setAccessibleName(self.tr("Edit the queued question"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the queued question"))
        self.editor.setAccessibleName(self.tr("Queued question"))
        self.setAccessibleName(
            self.tr("Queued question: %1, waiting for the server").replace("%1", self.question.text)
        )
