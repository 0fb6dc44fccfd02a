"""The About dialog: which build this is, and the licences of everything shipped with it.

It takes no application state, so it can be opened from any menu and tested on its own. The
component list is read from package metadata at run time (see
:mod:`desktop.ui.window.bundled_components`), so it always matches what the build really carries.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.window.bundled_components import (
    Component,
    app_version,
    bundled_components,
    python_component,
)

APP_NAME = "Assist Desktop"
_ICON_SIZE = 64
_QT_WHEELS = ("pyside6-essentials", "pyside6")


def qt_component(bundled: list[Component]) -> Component:
    """Qt itself, which ships inside the PySide6 wheel and so has no metadata of its own.

    Its licence is the wheel's, taken from the metadata like every other row.
    """
    wheel = next((c for c in bundled if c.name.lower().replace("_", "-") in _QT_WHEELS), None)
    licence = wheel.licence if wheel else "LGPL-3.0-only"
    return Component("Qt (shared libraries)", qVersion(), licence, "https://www.qt.io")


class AboutDialog(QDialog):
    """Name, version, runtime versions, and a table of bundled components with their licences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About {name}").format(name=APP_NAME))
        bundled = bundled_components()
        self.components: list[Component] = [python_component(), qt_component(bundled), *bundled]
        self.title = QLabel(f"<h2>{APP_NAME} {app_version()}</h2>", self)
        self.title.setObjectName("aboutTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.runtime = QLabel(self.runtime_text(), self)
        self.runtime.setObjectName("aboutRuntime")
        self.runtime.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qt_notice = QLabel(self._qt_notice_text(), self)
        self.qt_notice.setObjectName("aboutQtNotice")
        self.qt_notice.setWordWrap(True)
        self.table = self._build_table()
        self.table.setAccessibleName(self.tr("Bundled components and their licences"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        icon = self.windowIcon()
        if not icon.isNull():
            picture = QLabel(self)
            picture.setPixmap(icon.pixmap(_ICON_SIZE, _ICON_SIZE))
            layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.runtime)
        layout.addWidget(self.qt_notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def runtime_text(self) -> str:
        """The versions a bug report needs: Python, the Qt it runs on, PySide6, the platform."""
        return self.tr("Python {python} · Qt {qt} · PySide6 {pyside} · {system}").format(
            python=platform.python_version(),
            qt=qVersion(),
            pyside=PySide6.__version__,
            system=platform.platform(terse=True),
        )

    def _qt_notice_text(self) -> str:
        # The LGPL asks that users can swap in their own Qt: say that the libraries are shared.
        if getattr(sys, "frozen", False):
            where = self.tr("The licence texts are in the folder {folder}.").format(
                folder=Path(getattr(sys, "_MEIPASS", ".")) / "licenses"
            )
        else:
            where = self.tr("The licence texts are installed with each package.")
        return " ".join(
            (
                self.tr(
                    "Qt and PySide6 are used under the GNU LGPL v3 and ship as separate shared "
                    "libraries, which you may replace with your own build of the same version."
                ),
                where,
                self.tr("Bundled components:"),
            )
        )

    def _build_table(self) -> QTableWidget:
        headers = [self.tr("Component"), self.tr("Version"), self.tr("Licence")]
        table = QTableWidget(len(self.components), len(headers), self)
        table.setObjectName("aboutComponents")
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        for row, component in enumerate(self.components):
            cells = (component.name, component.version, component.licence)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if component.homepage:
                    item.setToolTip(component.homepage)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return table
