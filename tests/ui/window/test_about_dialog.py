"""The About dialog shows this build's version and the licences of what it bundles."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.window.about_dialog import AboutDialog

ICON = Path(__file__).resolve().parents[3] / "resources" / "icons" / "assist-desktop.svg"


def _rows(dialog: AboutDialog) -> dict[str, tuple[str, str]]:
    table = dialog.table
    rows = {}
    for row in range(table.rowCount()):
        name, ver, licence = (table.item(row, c).text() for c in range(3))  # type: ignore[union-attr]
        rows[name.lower()] = (ver, licence)
    return rows


def test_title_shows_the_version_from_the_package_metadata(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert f"Assist Desktop {version('assist-desktop')}" in dialog.title.text()
    assert "Assist Desktop" in dialog.windowTitle()


def test_runtime_line_names_python_qt_and_pyside_versions(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.runtime.text()
    assert f"Qt {qVersion()}" in text
    assert f"PySide6 {PySide6.__version__}" in text
    assert "Python 3." in text


def test_table_lists_qt_as_lgpl_and_the_runtime_dependencies_with_their_licences(
    qtbot: QtBot,
) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    assert rows["pyside6_essentials"][0] == PySide6.__version__
    assert "LGPL-3.0" in rows["pyside6_essentials"][1]
    assert rows["httpx"] == (version("httpx"), "BSD-3-Clause")
    assert rows["redis"][1] == "MIT"
    assert "Apache-2.0" in rows["prometheus_client"][1]
    assert rows["python (cpython)"][1] == "PSF-2.0"
    assert "lgpl" in dialog.qt_notice.text().lower()


def test_development_and_packaging_tools_are_not_listed_as_bundled(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    names = set(_rows(dialog))
    assert {"pytest", "mypy", "ruff", "pyinstaller", "assist-desktop"}.isdisjoint(names)


def test_table_is_read_only(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.table.editTriggers() == dialog.table.EditTrigger.NoEditTriggers


def test_close_button_closes_the_dialog(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    with qtbot.waitSignal(dialog.finished) as finished:
        close.click()
    assert finished.args == [QDialog.DialogCode.Rejected.value]
    assert not dialog.isVisible()


def test_the_dialog_shows_the_icon_of_the_window_that_opened_it(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setWindowIcon(QIcon(str(ICON)))
    dialog = AboutDialog(parent)
    pictures = [label for label in dialog.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(pictures) == 1
    assert pictures[0].pixmap().width() > 0


def test_qt_has_its_own_row_with_the_runtime_version_and_the_wheels_licence(
    qtbot: QtBot,
) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    assert rows["qt (shared libraries)"] == (qVersion(), rows["pyside6_essentials"][1])


def test_a_frozen_build_points_at_its_licences_folder(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert str(tmp_path / "licenses") in dialog.qt_notice.text()
