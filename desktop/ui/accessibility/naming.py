"""Names for the parts Qt builds inside its own widgets, which the code never constructs.

A field's clear button and a combo box's pop-up list are real objects on the AT-SPI bus; unnamed,
a screen reader says only "button" or "list". Each helper is called where the widget is built.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget


def describe(widget: QWidget, name: str, description: str = "") -> None:
    """Give ``widget`` its accessible name and, where it helps, a description."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)


def name_field(field: QLineEdit, name: str, description: str = "") -> None:
    """Name a line edit and the clear button Qt adds to it (``setClearButtonEnabled``)."""
    describe(field, name, description)
    for button in field.findChildren(QAbstractButton):
        clear = QCoreApplication.translate("Accessibility", "Clear %1")
        button.setAccessibleName(clear.replace("%1", name))


def name_choice(combo: QComboBox, name: str, description: str = "") -> None:
    """Name a combo box and the list it pops up."""
    describe(combo, name, description)
    combo.view().setAccessibleName(name)
