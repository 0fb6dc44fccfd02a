"""The PySide6 pin: a long processEvents loop must not corrupt the refcount of None."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QPlainTextEdit


def test_processing_events_many_times_keeps_none_alive(qapp: QApplication) -> None:
    edit = QPlainTextEdit()
    before = sys.getrefcount(None)
    for i in range(20_000):
        qapp.processEvents()
        if i % 1000 == 0:
            edit.appendPlainText("x")
    after = sys.getrefcount(None)
    # 6.12 on 3.11 lost one reference per call (-20,000 here) and finally aborted.
    assert after - before > -1000
    edit.deleteLater()
