"""Cycle collection happens on the GUI thread's timer, never in a worker thread."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from desktop.ui.window.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collection_moves_to_the_gui_thread(qtbot: QtBot) -> None:
    collector = GuiThreadCollector()
    collector.install()
    try:
        assert not gc.isenabled()

        def allocate() -> None:
            for _ in range(50_000):
                Cycle()

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join(30)
        assert gc.get_count()[0] > gc.get_threshold()[0]  # the worker collected nothing
        qtbot.waitUntil(lambda: gc.get_count()[0] <= gc.get_threshold()[0], timeout=5000)
    finally:
        collector.uninstall()
    assert gc.isenabled()
